using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary><c>/alarms</c> (<c>?site=</c>, default site otherwise): sends the browser to that site's alarm page, keeping the filters.</summary>
public sealed class AlarmsRedirectModel : PageModel
{
    public IActionResult OnGet(string? site)
    {
        var query = QueryString.Create(Request.Query.Where(q => q.Key != "site").SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v))));
        return LocalRedirect(Url.Content(UiRoutes.Alarms(UiRoutes.SiteOrDefault(site))) + query.ToUriComponent());
    }
}
