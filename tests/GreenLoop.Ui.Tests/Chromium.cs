using GreenLoop.Testing;
using Microsoft.Playwright;

namespace GreenLoop.Ui.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright's bundled driver (shipped inside the NuGet package). Playwright never
/// downloads a browser here: the tests launch <c>/usr/bin/chromium</c>, and fail (never skip) when it is missing.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium is not started.");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ExecutablePath),
            $"{ExecutablePath} is missing: the UI tests drive Debian's Chromium. Install it with `apt-get install chromium` (scripts/test.sh does this).");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>A fresh browser context (no cookies) with one page that records console errors and page errors.</summary>
    public async Task<WatchedPage> NewPageAsync(UiServer server, string locale = "en-US", bool signIn = true)
    {
        ArgumentNullException.ThrowIfNull(server);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.Address.ToString(),
            Locale = locale,
            // Far from the sites' time zones: the pages must show site-local wall times whatever the browser's zone.
            TimezoneId = "America/Los_Angeles",
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        // Through the real sign-in form, as a person would: the cookie (and the pages' anti-forgery token) then carry
        // every page and API call of the test.
        if (signIn) await SignInAsync(page, TestCredentials.AdminUser, TestCredentials.AdminPassword);
        return new WatchedPage(context, page, server.Log);
    }

    /// <summary>
    /// Signs <paramref name="userName"/> in through the sign-in form and returns to a page that needs no site (tests run
    /// without the demo plant, so the overview of "demo" is a 404). A sign-in that has not left the form after 45 s
    /// (seen in CI under load, never reproduced alone) is tried once more from a fresh form; what the form said the
    /// first time is kept for the failure message.
    /// </summary>
    public static async Task SignInAsync(IPage page, string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        string? firstAttempt = null;
        for (var attempt = 1; ; attempt++)
        {
            await page.GotoAsync("login?ReturnUrl=%2Fhealth");
            await page.FillAsync("input[name=UserName]", userName);
            await page.FillAsync("input[name=Password]", password);
            await page.ClickAsync("main button[type=submit]");
            try
            {
                await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 45_000 });
                return;
            }
            catch (TimeoutException) when (attempt == 1)
            {
                // It may have arrived just as the wait gave up (then the page is /health, which has no form).
                if (!page.Url.Contains("/login", StringComparison.Ordinal)) return;
                string said;
                try
                {
                    said = await page.Locator("main").InnerTextAsync(new LocatorInnerTextOptions { Timeout = 5_000 });
                }
                catch (Exception e) when (e is TimeoutException or PlaywrightException)
                {
                    said = "(the page has no form to read)";
                }
                firstAttempt = $"{page.Url}: {said}";
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"the sign-in form did not sign in twice; first: {firstAttempt}; second: {page.Url}", ex);
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
