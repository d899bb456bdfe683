namespace GreenLoop.Server.Web;

/// <summary>The web UI's routes and the links between its pages (relative to the app's path base).</summary>
public static class UiRoutes
{
    /// <summary>The site shown when a URL names none.</summary>
    public const string DefaultSite = "demo";

    internal const string SiteOverviewTemplate = "sites/{site}";
    internal const string SiteMetersTemplate = "sites/{site}/meters";
    internal const string LanguageTemplate = "/lang/{code}";

    /// <summary><c>~/</c> for the default site, else <c>~/sites/{site}</c>.</summary>
    public static string Overview(string site) =>
        site == DefaultSite ? "~/" : "~/sites/" + Uri.EscapeDataString(site);

    /// <summary><c>~/meters</c> for the default site, else <c>~/sites/{site}/meters</c>.</summary>
    public static string Meters(string site) =>
        site == DefaultSite ? "~/meters" : "~/sites/" + Uri.EscapeDataString(site) + "/meters";

    /// <summary><c>~/sites/{site}/meters/{meter}</c>.</summary>
    public static string Meter(string site, string meter) =>
        "~/sites/" + Uri.EscapeDataString(site) + "/meters/" + Uri.EscapeDataString(meter);

    /// <summary><c>~/sites/{site}/energy</c>: comprehensive energy, unit-product energy and the limit verdict (<c>?period=</c>).</summary>
    public static string Energy(string site) => "~/sites/" + Uri.EscapeDataString(site) + "/energy";

    /// <summary>
    /// <c>~/cost</c> for the default site, else <c>~/cost?site={site}</c>: the month's electricity bill and the site's
    /// electricity account (<c>month=yyyy-MM</c> is read by the page script).
    /// </summary>
    public static string Cost(string site) =>
        site == DefaultSite ? "~/cost" : "~/cost?site=" + Uri.EscapeDataString(site);
    /// <summary><c>~/energy-flow</c> for the default site, else <c>~/energy-flow?site={site}</c>: the energy-flow Sankey (<c>from</c>, <c>to</c>, <c>unit</c>, <c>node</c>).</summary>
    public static string EnergyFlow(string site) =>
        site == DefaultSite ? "~/energy-flow" : "~/energy-flow?site=" + Uri.EscapeDataString(site);

    /// <summary><c>~/balance?site={site}</c> (and <c>&amp;meter={meter}</c>): a parent meter per day against its sub-meters.</summary>
    public static string Balance(string site, string? meter = null) =>
        "~/balance?site=" + Uri.EscapeDataString(site) + (meter is null ? "" : "&meter=" + Uri.EscapeDataString(meter));

    /// <summary><c>~/sites/{site}/carbon</c>: the GHG inventory with lineage (<c>?period=</c>).</summary>
    public static string Carbon(string site) => "~/sites/" + Uri.EscapeDataString(site) + "/carbon";

    /// <summary><c>~/kpis</c> for the default site, else <c>~/kpis?site={site}</c>: the cleaner-production KPI board.</summary>
    public static string Kpis(string site) =>
        site == DefaultSite ? "~/kpis" : "~/kpis?site=" + Uri.EscapeDataString(site);

    /// <summary><c>~/projects</c> for the default site, else <c>~/projects?site={site}</c>: the project register, its economics and the MAC curve.</summary>
    public static string Projects(string site) =>
        site == DefaultSite ? "~/projects" : "~/projects?site=" + Uri.EscapeDataString(site);

    /// <summary><c>~/models</c> for the default site, else <c>~/models?site={site}</c>: baseline models and verified savings.</summary>
    public static string Models(string site) =>
        site == DefaultSite ? "~/models" : "~/models?site=" + Uri.EscapeDataString(site);

    /// <summary><c>~/rounds</c> for the default site, else <c>~/rounds?site={site}</c>: today's inspection rounds, done on a phone.</summary>
    public static string Rounds(string site) =>
        site == DefaultSite ? "~/rounds" : "~/rounds?site=" + Uri.EscapeDataString(site);

    /// <summary><c>~/work-orders</c> for the default site, else <c>~/work-orders?site={site}</c>: my work, open work and one work order.</summary>
    public static string WorkOrders(string site) =>
        site == DefaultSite ? "~/work-orders" : "~/work-orders?site=" + Uri.EscapeDataString(site);

    /// <summary><c>~/checklist-templates</c> for the default site, else <c>~/checklist-templates?site={site}</c>: the checklist templates and their builder.</summary>
    public static string ChecklistTemplates(string site) =>
        site == DefaultSite ? "~/checklist-templates" : "~/checklist-templates?site=" + Uri.EscapeDataString(site);

    /// <summary><c>~/inspections</c> for the default site, else <c>~/inspections?site={site}</c>: the inspections done (<c>id=</c> shows one).</summary>
    public static string Inspections(string site) =>
        site == DefaultSite ? "~/inspections" : "~/inspections?site=" + Uri.EscapeDataString(site);

    /// <summary><c>~/factors</c> for the default site, else <c>~/factors?site={site}</c> (the site whose overrides are shown).</summary>
    public static string Factors(string site) =>
        site == DefaultSite ? "~/factors" : "~/factors?site=" + Uri.EscapeDataString(site);

    /// <summary><c>~/sites/{site}/alarms</c>: the site's alarms with filters, actions and history (<c>~/alarms</c> redirects here).</summary>
    public static string Alarms(string site) => "~/sites/" + Uri.EscapeDataString(site) + "/alarms";

    /// <summary><c>~/sites/{site}/alarm-rules</c>: the site's alarm rules and the rule editor.</summary>
    public static string AlarmRules(string site) => "~/sites/" + Uri.EscapeDataString(site) + "/alarm-rules";

    /// <summary><c>~/channels</c> (<c>?site={site}</c> for other sites, so the top bar keeps the site): notification channels and the delivery log.</summary>
    public static string Channels(string site) =>
        site == DefaultSite ? "~/channels" : "~/channels?site=" + Uri.EscapeDataString(site);

    /// <summary><c>~/data-sources</c> (<c>?site={site}</c> for other sites): MQTT brokers and Modbus devices with their health.</summary>
    public static string DataSources(string site) =>
        site == DefaultSite ? "~/data-sources" : "~/data-sources?site=" + Uri.EscapeDataString(site);

    /// <summary><c>~/lang/{code}</c>: sets the language cookie and returns to the page it came from.</summary>
    public static string Language(string code) => "~/lang/" + Uri.EscapeDataString(code);

    internal const string SwitchSiteTemplate = "/go/{site}";

    /// <summary>
    /// The same page for another site (the top bar's site switcher): <paramref name="nav"/> is the page's nav key
    /// (<c>energy</c>, <c>alarmRules</c>, …); a meter page goes to the other site's meter list, an unknown key to its overview.
    /// </summary>
    public static string ForNav(string? nav, string site) => nav switch
    {
        "meters" or "meter" => Meters(site),
        "energy" => Energy(site),
        "carbon" => Carbon(site),
        "factors" => Factors(site),
        "kpis" => Kpis(site),
        "projects" => Projects(site),
        "models" => Models(site),
        "rounds" => Rounds(site),
        "workOrders" => WorkOrders(site),
        "alarms" => Alarms(site),
        "alarmRules" => AlarmRules(site),
        "channels" => Channels(site),
        "sources" => DataSources(site),
        "import" => GreenLoop.Server.Pages.ImportModel.Link(site),
        "manualEntry" => GreenLoop.Server.Pages.ManualEntryModel.Link(site),
        _ => Overview(site),
    };

    /// <summary>The site named by a route or query value, or <see cref="DefaultSite"/>.</summary>
    public static string SiteOrDefault(string? site) => string.IsNullOrWhiteSpace(site) ? DefaultSite : site.Trim();
}
