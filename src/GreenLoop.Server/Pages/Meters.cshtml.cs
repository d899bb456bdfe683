using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>The meters of one site: <c>/meters</c> (<c>?site=</c>, default site otherwise) and <c>/sites/{site}/meters</c>.</summary>
public sealed class MetersModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    public void OnGet(string? site) => Site = UiRoutes.SiteOrDefault(site);
}
