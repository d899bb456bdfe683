using GreenLoop.Server.Security;
using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>Users with their roles per tenant or site, and API keys: <c>/users</c> (administrators only).</summary>
[Authorize(Policy = "perm:" + Permissions.Admin)]
public sealed class UsersModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    public void OnGet(string? site) => Site = UiRoutes.SiteOrDefault(site);
}
