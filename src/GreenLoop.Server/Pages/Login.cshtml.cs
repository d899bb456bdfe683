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
public sealed class LoginModel(UserService users, AuditTrail audit, TimeProvider clock) : PageModel
{
    [BindProperty] public string? UserName { get; set; }
    [BindProperty] public string? Password { get; set; }

    /// <summary>The organisation (tenant key), needed only when the user name is used in several.</summary>
    [BindProperty] public string? Tenant { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    /// <summary>The UI text key of the problem to show, if any.</summary>
    public string? Problem { get; private set; }

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
        var result = await users.SignInAsync(Tenant?.Trim(), UserName, Password, HttpContext.Connection.RemoteIpAddress?.ToString() ?? "", ct);
        if (result.Status == SignInStatus.Succeeded)
        {
            await HttpContext.SignInAsync(SecurityHosting.CookieScheme, UserService.Principal(result.User!, SecurityHosting.CookieScheme, clock.GetUtcNow().ToUnixTimeMilliseconds()));
            await audit.RecordAsync(result.User!.TenantId, result.User.UserName, "auth.sign-in", $"user:{result.User.UserName}", null, ct);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "~/");
        }
        // Recorded as the sign-in API records it (once, when the lock-out begins), whichever way the attempt came in.
        if (result is { LockStarted: true, User: { } locked })
            await audit.RecordAsync(locked.TenantId, locked.UserName, "auth.locked-out", $"user:{locked.UserName}",
                new { address = HttpContext.Connection.RemoteIpAddress?.ToString(), until = result.LockedUntil }, ct);
        // The same words for every refusal: nothing tells whether the name exists or is locked.
        Problem = "auth.failed";
        return Page();
    }
}
