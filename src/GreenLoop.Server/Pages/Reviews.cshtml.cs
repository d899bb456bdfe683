using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// PDCA reviews and improvement actions of a site: <c>/reviews</c> (<c>?site=</c>): the actions by due date with
/// overdue and effectiveness, each review with its frozen KPIs and minutes, forms to record a review and open an action.
/// </summary>
public sealed class ReviewsModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    public void OnGet(string? site) => Site = UiRoutes.SiteOrDefault(site);
}
