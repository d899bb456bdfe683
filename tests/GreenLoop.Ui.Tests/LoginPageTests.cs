using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GreenLoop.Ui.Tests;

/// <summary>
/// The sign-in page (<c>/login</c>) and sign-out in a real browser, on the shared test plant: pages need a sign-in,
/// a failed sign-in says why in the visitor's language, a good one lands on the page asked for, and signing out
/// really ends the session.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class LoginPageTests(Chromium chromium, TestPlant plant)
{
    private const string Password = "login-page-password";
    private const string AuthCookie = "greenloop.auth";

    private UiServer Server => plant.Server;

    /// <summary>A user of its own for each test, so that failed sign-ins never lock the administrator the other tests use.</summary>
    private async Task<string> CreateUserAsync(string role)
    {
        var name = "ui." + Guid.NewGuid().ToString("N")[..8];
        using var response = await Server.Client.PostAsJsonAsync("api/v1/users",
            new { userName = name, displayName = "Login Tester", password = Password, roles = new[] { new { role, site = (string?)null } } });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create user: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return name;
    }

    private static async Task SubmitAsync(IPage page, string user, string password)
    {
        await page.FillAsync("input[name=UserName]", user);
        await page.FillAsync("input[name=Password]", password);
        await page.ClickAsync("main.login-card button[type=submit]");
    }

    [Fact]
    public async Task Root_NotSignedIn_LandsOnTheSignInForm()
    {
        await using var watched = await chromium.NewPageAsync(Server, signIn: false);
        var page = watched.Page;

        var response = await page.GotoAsync("/");

        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.EndsWith("/login?ReturnUrl=%2F", page.Url, StringComparison.Ordinal);
        Assert.Equal("Sign in", await page.Locator("main.login-card button[type=submit]").InnerTextAsync());
        Assert.Equal("password", await page.Locator("input[name=Password]").GetAttributeAsync("type"));
        // No page chrome (navigation, user menu) for a visitor who is not signed in.
        Assert.Equal(0, await page.Locator("nav.mainnav, form.usermenu").CountAsync());
        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }

    [Theory]
    [InlineData("zh-CN", "登录", "用户名或密码错误（若您的用户名在多个组织中使用，请同时填写组织代码），或账户已停用，或从本地址登录失败次数过多、已锁定 15 分钟。")]
    [InlineData("en-US", "Sign in", "The user name or password is wrong (if your user name is used in several organisations, give your organisation too), or the account is disabled, or too many failed sign-ins from this address locked it for 15 minutes.")]
    public async Task SignIn_WrongPasswordOrUnknownUser_SameReasonInTheBrowsersLanguage(string locale, string button, string expected)
    {
        var user = await CreateUserAsync("viewer");
        await using var watched = await chromium.NewPageAsync(Server, locale, signIn: false);
        var page = watched.Page;
        await page.GotoAsync("login");
        Assert.Equal(button, await page.Locator("main.login-card button[type=submit]").InnerTextAsync());

        await SubmitAsync(page, user, "not-the-password");
        await page.Locator("#login-problem").WaitForAsync();
        var wrongPassword = await page.Locator("#login-problem").InnerTextAsync();
        var keptName = await page.InputValueAsync("input[name=UserName]");
        var password = await page.InputValueAsync("input[name=Password]");
        await SubmitAsync(page, "ui.nobody", "not-the-password");
        await page.Locator("#login-problem").WaitForAsync();
        var unknownUser = await page.Locator("#login-problem").InnerTextAsync();

        Assert.Equal(expected, wrongPassword);
        Assert.Equal(expected, unknownUser);
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        // The name is kept for another try; the password is never sent back.
        Assert.Equal((user, ""), (keptName, password));
        Assert.DoesNotContain(await watched.Context.CookiesAsync(), c => c.Name == AuthCookie);
        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }

    [Fact]
    public async Task SignIn_OneUserNameInTwoOrganisations_TheOrganisationFieldChoosesTheAccount()
    {
        // The same name and the same password in the default tenant and in a second organisation made by the platform operator.
        var user = await CreateUserAsync("viewer");
        var platformKey = Server.Services.GetRequiredService<GreenLoop.Server.Security.PlatformKeys>().Create("ui-" + Guid.NewGuid().ToString("N")[..8], DateTimeOffset.UtcNow)!;
        var organisation = "org-" + Guid.NewGuid().ToString("N")[..8];
        using (var operatorClient = new HttpClient { BaseAddress = Server.Address })
        {
            operatorClient.DefaultRequestHeaders.Add("X-Platform-Key", platformKey);
            using var created = await operatorClient.PostAsJsonAsync("api/v1/platform/tenants",
                new { key = organisation, name = "UI 组织", adminUserName = user, adminPassword = Password });
            Assert.True(created.StatusCode == HttpStatusCode.Created, $"{(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        }
        var home = (await Server.GetJsonAsync("api/v1/auth/me")).GetProperty("tenant").GetInt64();
        await using var watched = await chromium.NewPageAsync(Server, "zh-CN", signIn: false);
        var page = watched.Page;
        await page.GotoAsync("login");
        Assert.Equal("组织（可选）", (await page.Locator("label.field:has(input[name=Tenant])").InnerTextAsync()).Split('\n')[0].Trim());

        // Without the organisation the name and password fit two accounts: refused with the hint to give it.
        await SubmitAsync(page, user, Password);
        await page.Locator("#login-problem").WaitForAsync();
        Assert.Contains("请同时填写组织代码", await page.Locator("#login-problem").InnerTextAsync(), StringComparison.Ordinal);

        await page.FillAsync("input[name=Tenant]", organisation);
        await SubmitAsync(page, user, Password);
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        var me = await page.EvaluateAsync<long>("async () => (await (await fetch('/api/v1/auth/me')).json()).tenant");
        Assert.NotEqual(home, me);
        Assert.True(me > 0);
        Assert.Empty(Server.Log.Errors);
    }

    [Fact]
    public async Task AccountPage_ChangeOwnPassword_InChinese_ThenSignInWithTheNewOne()
    {
        var user = await CreateUserAsync("viewer");
        await using var watched = await chromium.NewPageAsync(Server, "zh-CN", signIn: false);
        var page = watched.Page;
        await page.GotoAsync($"/sites/{TestPlant.Site}");
        await SubmitAsync(page, user, Password);
        await page.WaitForURLAsync(url => url.EndsWith($"/sites/{TestPlant.Site}", StringComparison.Ordinal));
        await watched.WaitLoadedAsync("overview");

        await page.Locator("form.usermenu a.username").ClickAsync();
        await page.WaitForURLAsync("**/account");
        var form = page.Locator("#password-form");
        await form.Locator("[name=currentPassword]").FillAsync("wrong-current-password");
        await form.Locator("[name=newPassword]").FillAsync("a-new-password-42");
        await form.Locator("[name=confirmPassword]").FillAsync("a-new-password-42");
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(form.Locator("[data-errors-for=currentPassword]")).ToHaveTextAsync("the current password is wrong");
        await form.Locator("[name=currentPassword]").FillAsync(Password);
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("#message")).ToHaveTextAsync("密码已修改。其他设备上的会话已结束。");

        using var anon = new HttpClient { BaseAddress = Server.Client.BaseAddress };
        using var withNew = await anon.PostAsJsonAsync("api/v1/auth/sign-in", new { userName = user, password = "a-new-password-42" });
        Assert.Equal(HttpStatusCode.OK, withNew.StatusCode);
        watched.AssertNoErrors(e => e.Contains("status of 400", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_RightPassword_LandsOnTheOverviewFirstAsked()
    {
        var user = await CreateUserAsync("viewer");
        await using var watched = await chromium.NewPageAsync(Server, signIn: false);
        var page = watched.Page;
        await page.GotoAsync($"/sites/{TestPlant.Site}");
        Assert.EndsWith($"/login?ReturnUrl=%2Fsites%2F{TestPlant.Site}", page.Url, StringComparison.Ordinal);

        await SubmitAsync(page, user, Password);
        await page.WaitForURLAsync(url => url.EndsWith($"/sites/{TestPlant.Site}", StringComparison.Ordinal));
        await watched.WaitLoadedAsync("overview");

        Assert.Equal("UI test plant", await page.Locator("#site-name").InnerTextAsync());
        Assert.Equal("Login Tester", await page.Locator("form.usermenu .username").InnerTextAsync());
        // The users page is for administrators only: a viewer is not offered the link.
        Assert.Equal(0, await page.Locator("form.usermenu a[href$='/users']").CountAsync());
        var cookie = Assert.Single(await watched.Context.CookiesAsync(), c => c.Name == AuthCookie);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }

    [Fact]
    public async Task SignOut_Button_BackOnTheSignInPageAndPagesRedirectAgain()
    {
        await using var watched = await chromium.NewPageAsync(Server);
        var page = watched.Page;
        await watched.GotoAsync($"/sites/{TestPlant.Site}", "overview");
        var signOut = page.Locator("form.usermenu button[type=submit]");
        Assert.Equal("Sign out", await signOut.InnerTextAsync());

        var logout = await page.RunAndWaitForResponseAsync(() => signOut.ClickAsync(), r => r.Url.EndsWith("/logout", StringComparison.Ordinal));
        Assert.True(logout.Status == 302, $"POST /logout: HTTP {logout.Status}");
        await page.WaitForURLAsync(url => url.EndsWith("/login", StringComparison.Ordinal));
        var cookies = await watched.Context.CookiesAsync();
        await page.GotoAsync("/");
        var api = await watched.Context.APIRequest.GetAsync("api/v1/sites");

        Assert.DoesNotContain(cookies, c => c.Name == AuthCookie);
        Assert.EndsWith("/login?ReturnUrl=%2F", page.Url, StringComparison.Ordinal);
        Assert.Equal(401, api.Status);
        // Leaving the overview cuts its live stream short, and after the redirects Chromium asks for /favicon.ico on its
        // own (the pages link favicon.svg): neither is an error of the page.
        watched.AssertNoErrors(e => e.Contains("net::ERR_ABORTED", StringComparison.Ordinal) || e.Contains("/favicon.ico", StringComparison.Ordinal));
        Assert.Empty(Server.Log.Errors);
    }
}
