using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>The energy overview of one site: <c>/</c> (the default site) and <c>/sites/{site}</c>.</summary>
public sealed class IndexModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    public void OnGet(string? site) => Site = UiRoutes.SiteOrDefault(site);
}
