using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// Notification channels (webhook, WeCom, DingTalk, Feishu, e-mail) with "send test", and the delivery log: <c>/channels</c>.
/// Channels belong to the tenant, not to a site; <c>?site=</c> only keeps the top bar's links on that site.
/// </summary>
public sealed class ChannelsModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    public void OnGet(string? site) => Site = UiRoutes.SiteOrDefault(site);
}
