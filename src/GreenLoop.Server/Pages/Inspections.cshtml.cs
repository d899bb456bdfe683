using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// Inspections of a site: <c>/inspections</c> (<c>?site=</c>): the latest done, newest first; <c>?id=</c> shows one,
/// read-only: the template and the version it was done with, round and node, who and when, each answer with its
/// outcome (failed items with the reason), the photos, and the work orders it opened.
/// </summary>
public sealed class InspectionsModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    public void OnGet(string? site) => Site = UiRoutes.SiteOrDefault(site);
}
