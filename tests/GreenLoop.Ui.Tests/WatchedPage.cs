using System.Collections.Concurrent;
using GreenLoop.Testing;
using Microsoft.Playwright;

namespace GreenLoop.Ui.Tests;

/// <summary>
/// A page in its own browser context that records every console message of type error, every uncaught page error and
/// every failed request, so that a test can fail on any of them.
/// </summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ServerLog _serverLog;

    public WatchedPage(IBrowserContext context, IPage page, ServerLog serverLog)
    {
        ArgumentNullException.ThrowIfNull(page);
        Context = context;
        _serverLog = serverLog;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error") _errors.Enqueue($"console error: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => _errors.Enqueue($"page error: {error}");
        page.RequestFailed += (_, request) => _errors.Enqueue($"request failed: {request.Method} {request.Url}: {request.Failure}");
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>Folder of the screenshots, for people to look at: <c>screenshots/</c> in the test output folder.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Opens a path and waits until the view with <paramref name="viewId"/> has loaded (aria-busy="false").</summary>
    public async Task GotoAsync(string path, string viewId)
    {
        var response = await Page.GotoAsync(path);
        Assert.NotNull(response);
        Assert.True(response.Ok, $"GET {path}: HTTP {response.Status}; server errors:\n{string.Join("\n", _serverLog.Errors)}");
        await WaitLoadedAsync(viewId);
    }

    /// <summary>Waits until the view has loaded its data.</summary>
    public Task WaitLoadedAsync(string viewId) =>
        Page.Locator($"#{viewId}[aria-busy='false']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    /// <summary>
    /// Waits until every chart on the page has finished its animation, then saves a full-page screenshot as
    /// <c>screenshots/{name}.png</c>; returns its path.
    /// </summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        await Page.WaitForFunctionAsync("""
            () => [...document.querySelectorAll('[_echarts_instance_]')]
              .map((dom) => window.echarts.getInstanceByDom(dom))
              .every((chart) => !chart || chart.getZr().animation.isFinished())
            """);
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>
    /// Fails when a chart drew text (an axis label, a bar label) partly outside its canvas, where it is cut off: a
    /// long workshop name lost its first letters that way.
    /// </summary>
    public async Task AssertChartTextInsideAsync()
    {
        var clipped = await Page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('[_echarts_instance_]')].flatMap((dom) => {
              const chart = window.echarts.getInstanceByDom(dom);
              const width = chart.getWidth();
              const height = chart.getHeight();
              return chart.getZr().storage.getDisplayList(true)
                .filter((el) => (el.type === 'tspan' || el.type === 'text') && el.style.text && !el.invisible && !el.ignore)
                .filter((el) => {
                  const r = el.getBoundingRect().clone();
                  if (el.transform) r.applyTransform(el.transform);
                  return r.x < -0.5 || r.y < -0.5 || r.x + r.width > width + 0.5 || r.y + r.height > height + 0.5;
                })
                .map((el) => `#${dom.id}: "${el.style.text}"`);
            })
            """);
        Assert.True(clipped.Length == 0, "chart text cut off at the canvas edge:\n" + string.Join("\n", clipped));
    }

    /// <summary>Fails with every recorded error except those <paramref name="expected"/> accepts.</summary>
    public void AssertNoErrors(Func<string, bool>? expected = null)
    {
        var unexpected = Errors.Where(e => expected is null || !expected(e)).ToList();
        Assert.True(unexpected.Count == 0, "the page reported errors:\n" + string.Join("\n", unexpected));
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
