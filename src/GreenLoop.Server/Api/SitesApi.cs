using GreenLoop.Domain.Model;
using GreenLoop.Pipeline;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Pipeline.Monitor.Derivation;
using GreenLoop.Pipeline.Monitor.Query;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;
using GreenLoop.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GreenLoop.Server.Api;

/// <summary>Site documents, series, energy by carrier, the overview, meter events and balances.</summary>
public static class SitesApi
{
    public static IEndpointRouteBuilder MapSitesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/sites").WithTags("Sites");
        api.MapGet("/", ListSites).WithSummary("Sites of the tenant that the caller may see (site-level figures for at least that site)");
        api.MapGet("/{site}", GetSite).WithSummary("The site document (same format as 'greenloop site export')").RequirePermission(Permissions.Read);
        api.MapPut("/{site}", PutSite).WithSummary("Apply a site document (idempotent)").RequirePermission(Permissions.Configure);
        api.MapGet("/{site}/overview", Overview).WithSummary("Today's dashboard figures in the site's local time").RequirePermission(Permissions.ReadPark);
        api.MapGet("/{site}/energy", Energy).WithSummary("Energy by carrier per node and period").RequirePermission(Permissions.ReadPark);
        api.MapGet("/{site}/comparison", Compare).Produces<Comparison>()
            .WithSummary("Year-on-year (同比) and period-on-period (环比) of a node's energy by carrier for a day (yyyy-MM-dd), month (yyyy-MM) or year (yyyy), with unit consumption per product output")
            .RequirePermission(Permissions.ReadPark);
        api.MapGet("/{site}/meters/{meter}/series", MeterSeries).WithSummary("A meter's series at 15m, hour, day or month grain").RequirePermission(Permissions.Read);
        api.MapGet("/{site}/meters/{meter}/events", MeterEvents).WithSummary("Drops, rollovers, replacements, resets, gaps and spikes found in a meter's readings").RequirePermission(Permissions.Read);
        api.MapGet("/{site}/meters/{meter}/balance", MeterBalance).WithSummary("A meter against the sum of its sub-meters").RequirePermission(Permissions.Read);
        api.MapGet("/{site}/derivation-failures", DerivationFailures)
            .WithSummary("Meters of the site whose derivation failed: set aside with the error and retried with back-off while every other meter carries on")
            .RequirePermission(Permissions.Read);
        api.MapGet("/{site}/nodes/{node}/series", NodeSeries).WithSummary("A node's total of one carrier ('_site' for the whole site)").RequirePermission(Permissions.Read);
        return app;
    }

    public sealed record ApplyAnswer(int Created, int Updated, int Unchanged);

    internal static async Task<Ok<List<SiteSummary>>> ListSites(QueryService query, TenantContext tenant, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok((await query.SitesAsync(tenant.TenantId, ct)).Where(s => Permissions.Has(http.User, Permissions.ReadPark, s.Key)).ToList());

    internal static async Task<Results<Ok<SiteDefinition>, NotFound>> GetSite(string site, SiteService sites, TenantContext tenant, CancellationToken ct) =>
        await sites.ExportAsync(tenant.TenantId, site, ct) is { } def ? TypedResults.Ok(def) : TypedResults.NotFound();

    internal static async Task<Results<Ok<ApplyAnswer>, ValidationProblem>> PutSite(string site, SiteDefinition document, SiteService sites, TenantContext tenant, CancellationToken ct)
    {
        if (document.Key != site)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["key"] = [$"the document's key '{document.Key}' differs from the URL's '{site}'"] });
        var outcome = await sites.ApplyAsync(tenant.TenantId, document, ct);
        if (outcome.Result is not { } r)
            return TypedResults.ValidationProblem(outcome.Errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray()),
                title: "The site document has errors; nothing was applied");
        return TypedResults.Ok(new ApplyAnswer(r.Created, r.Updated, r.Unchanged));
    }

    /// <summary>A meter set aside by derivation: its key, the error, how many attempts, and when it is tried again.</summary>
    public sealed record DerivationFailure(string Meter, string Error, int Attempts, DateTimeOffset RetryAt);

    internal static async Task<Results<Ok<List<DerivationFailure>>, NotFound>> DerivationFailures(string site, SiteService sites, DerivationService derivation,
        TenantContext tenant, CancellationToken ct)
    {
        if (await sites.ExportAsync(tenant.TenantId, site, ct) is null) return TypedResults.NotFound();
        return TypedResults.Ok(derivation.Failures.Values
            .Where(f => f.TenantId == tenant.TenantId && f.SiteKey == site)
            .OrderBy(f => f.MeterKey, StringComparer.Ordinal)
            .Select(f => new DerivationFailure(f.MeterKey, f.Error, f.Attempts, f.RetryAt)).ToList());
    }

    internal static Task<IResult> Overview(string site, QueryService query, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => query.OverviewAsync(tenant.TenantId, site, ct));

    internal static async Task<IResult> Energy(string site, string? grain, string? from, string? to, string? node, QueryService query, TenantContext tenant, CancellationToken ct)
    {
        if (!QueryText.TryRequest(grain, Grain.Day, from, to, out var asked, out var error))
            return await UnreadableAsync(error, query, tenant.TenantId, site, _ => true, ct);
        return await ApiResults.Answer(() => query.EnergyAsync(tenant.TenantId, site, asked.Grain, asked.Range, node, ct));
    }

    internal static Task<IResult> Compare(string site, string? period, string? node, ComparisonService comparisons, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => comparisons.CompareAsync(tenant.TenantId, site, period, node, ct));

    internal static async Task<IResult> MeterSeries(string site, string meter, string? grain, string? from, string? to, QueryService query, TenantContext tenant, CancellationToken ct)
    {
        if (!QueryText.TryRequest(grain, Grain.Hour, from, to, out var asked, out var error))
            return await UnreadableAsync(error, query, tenant.TenantId, site, m => HasMeter(m, meter), ct);
        return await ApiResults.Answer(() => query.MeterSeriesAsync(tenant.TenantId, site, meter, asked.Grain, asked.Range, ct));
    }

    internal static async Task<IResult> MeterEvents(string site, string meter, string? from, string? to, QueryService query, TenantContext tenant, CancellationToken ct)
    {
        if (!QueryText.TryRange(from, to, out var range, out var error))
            return await UnreadableAsync(error, query, tenant.TenantId, site, m => HasMeter(m, meter), ct);
        return await ApiResults.Answer(() => query.EventsAsync(tenant.TenantId, site, meter, range, ct));
    }

    internal static async Task<IResult> MeterBalance(string site, string meter, string? grain, string? from, string? to, QueryService query, TenantContext tenant, CancellationToken ct)
    {
        if (!QueryText.TryRequest(grain, Grain.Day, from, to, out var asked, out var error))
            return await UnreadableAsync(error, query, tenant.TenantId, site, m => HasMeter(m, meter), ct);
        return await ApiResults.Answer(() => query.BalanceAsync(tenant.TenantId, site, meter, asked.Grain, asked.Range, ct));
    }

    internal static async Task<IResult> NodeSeries(string site, string node, string? carrier, string? grain, string? from, string? to, QueryService query, TenantContext tenant, CancellationToken ct)
    {
        var key = node == "_site" ? SiteNode.RootKey : node;
        if (!QueryText.TryRequest(grain, Grain.Hour, from, to, out var asked, out var error))
            return await UnreadableAsync(error, query, tenant.TenantId, site, m => m.Nodes.Any(n => n.Key == key), ct);
        return await ApiResults.Answer(() => query.NodeSeriesAsync(tenant.TenantId, site, key, carrier ?? "electricity", asked.Grain, asked.Range, ct));
    }

    /// <summary>
    /// A query string that cannot be read is answered with 400 only for something that exists: an unknown site, meter
    /// or node is a 404 first, since what a query is about is looked up before its parameters matter.
    /// </summary>
    private static async Task<IResult> UnreadableAsync(QueryTextError error, QueryService query, long tenantId, string site, Func<SiteModel, bool> exists, CancellationToken ct) =>
        await query.SiteAsync(tenantId, site, ct) is { } model && exists(model) ? ApiResults.BadInput(error.Reason) : TypedResults.NotFound();

    private static bool HasMeter(SiteModel model, string meter) => model.Meters.Any(m => m.Definition.Key == meter);
}
