using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// Cleaner-production audits of a site: <c>/audits</c> (<c>?site=</c>): an audit's water, energy and material balances
/// and its options with their stages; starting an audit; evaluating the site against an indicator system.
/// </summary>
public sealed class AuditsModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    public void OnGet(string? site) => Site = UiRoutes.SiteOrDefault(site);
}
