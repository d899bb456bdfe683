using GreenLoop.Server.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>Sign-out: <c>POST /logout</c> (a form with the anti-forgery token), then back to the sign-in page.</summary>
[AllowAnonymous]
public sealed class LogoutModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("~/login");

    public async Task<IActionResult> OnPostAsync()
    {
        await SecurityHosting.SignOutEverywhereAsync(HttpContext);
        return LocalRedirect("~/login");
    }
}
