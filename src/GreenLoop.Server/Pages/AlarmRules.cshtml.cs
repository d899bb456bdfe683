using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>A site's alarm rules and the rule editor: <c>/sites/{site}/alarm-rules</c> (<c>#edit=key</c> opens a rule).</summary>
public sealed class AlarmRulesModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    public void OnGet(string site) => Site = UiRoutes.SiteOrDefault(site);
}
