using GreenLoop.Pipeline.Trace.Audit;
using GreenLoop.Server.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace GreenLoop.Server.Pages;

/// <summary>Sign-in form: <c>/login</c> (anti-forgery checked, rate limited, lock-out after repeated failures).</summary>
[AllowAnonymous]
[EnableRateLimiting(SecurityHosting.SignInLimit)]
public sealed class LoginModel(UserService users, AuditTrail audit) : PageModel
{
    [BindProperty] public string? UserName { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    /// <summary>The UI text key of the problem to show, if any.</summary>
    public string? Problem { get; private set; }
    public DateTimeOffset? LockedUntil { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrEmpty(UserName) || string.IsNullOrEmpty(Password))
        {
            Problem = "auth.required";
            return Page();
        }
        var result = await users.SignInAsync(UserName, Password, ct);
        switch (result.Status)
        {
            case SignInStatus.Succeeded:
                await HttpContext.SignInAsync(SecurityHosting.CookieScheme, UserService.Principal(result.User!, SecurityHosting.CookieScheme));
                await audit.RecordAsync(result.User!.TenantId, result.User.UserName, "auth.sign-in", $"user:{result.User.UserName}", null, ct);
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "~/");
            case SignInStatus.LockedOut:
                // Recorded as the sign-in API records it, whichever way the attempt came in.
                if (result.User is { } locked)
                    await audit.RecordAsync(locked.TenantId, locked.UserName, "auth.locked-out", $"user:{locked.UserName}", new { until = result.LockedUntil }, ct);
                Problem = "auth.locked";
                LockedUntil = result.LockedUntil;
                return Page();
            default:
                Problem = "auth.failed";
                return Page();
        }
    }
}
