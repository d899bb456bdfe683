using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GreenLoop.Ui.Tests;

/// <summary>The meter page on the test plant (see <see cref="TestPlant"/>): grains, table, flags, events, not found.</summary>
[Collection(UiCollection.Name)]
public sealed class MeterPageTests(Chromium chromium, TestPlant plant, ITestOutputHelper output)
{
    private UiServer Server => plant.Server;

    /// <summary>
    /// Each grain's button, the inclusive dates the page picks for it (today is 2026-03-10), the API range they mean
    /// and what the table shows for <c>ui.elec</c>.
    /// </summary>
    private static readonly (string Grain, string Button, string From, string To, string ApiFrom, string ApiTo, int Rows, string[] FirstRow, string[] LastRow)[] _grains =
    [
        // Today's quarters 00:00 to 13:45 (the 14:00 reading closes the last one): 56 rows of 10 or 40 kWh.
        ("15m", "15 min", "2026-03-10", "2026-03-10", "2026-03-10", "2026-03-11", 56,
            ["2026-03-10 00:00", "10 kWh", "100%", ""], ["2026-03-10 13:45", "40 kWh", "100%", ""]),
        // Yesterday's 24 hours and today's 14: 38 rows; an hour before 08:00 is 4 x 10 kWh, after it 4 x 40 kWh.
        ("hour", "Hour", "2026-03-09", "2026-03-10", "2026-03-09", "2026-03-11", 38,
            ["2026-03-09 00:00", "40 kWh", "100%", ""], ["2026-03-10 13:00", "160 kWh", "100%", ""]),
        // The last 31 days hold two with data: the 9th (2,160 kWh, whole day) and today (1,280 kWh, 14 of 24 h = 58.3%).
        ("day", "Day", "2026-02-08", "2026-03-10", "2026-02-08", "2026-03-11", 2,
            ["2026-03-09", "2,160 kWh", "100%", ""], ["2026-03-10", "1,280 kWh", "58.3%", ""]),
        // The last 12 months hold one: March, 3,440 kWh over 38 h of its 744 h = 5.1%.
        ("month", "Month", "2025-04-01", "2026-03-10", "2025-04-01", "2026-04-01", 1,
            ["2026-03", "3,440 kWh", "5.1%", ""], ["2026-03", "3,440 kWh", "5.1%", ""]),
    ];

    [Fact]
    public async Task MeterPage_EachGrainButton_TableHasTheApisPointsWithUnits()
    {
        await using var watched = await chromium.NewPageAsync(Server);
        var page = watched.Page;
        await watched.GotoAsync($"/sites/{TestPlant.Site}/meters/ui.elec", "meter");
        Assert.Equal("Press incomer", await page.Locator("#meter-name").InnerTextAsync());
        Assert.Equal("kWh", await page.Locator("#meter-unit").InnerTextAsync());

        // The page opens on hours; 15 min comes first so that every button is a change.
        foreach (var g in _grains)
        {
            // The radio covers its label's text (opacity 0), so a person clicking "15 min" clicks the radio.
            await page.GetByRole(AriaRole.Radio, new() { Name = g.Button, Exact = true }).CheckAsync();
            await page.WaitForFunctionAsync(
                "(grain) => new URLSearchParams(location.search).get('grain') === grain && document.getElementById('meter').getAttribute('aria-busy') === 'false'",
                g.Grain);

            var range = await page.EvaluateAsync<string[]>("() => { const q = new URLSearchParams(location.search); return [q.get('from'), q.get('to')]; }");
            Assert.Equal([g.From, g.To], range);
            var series = await Server.GetJsonAsync($"api/v1/sites/{TestPlant.Site}/meters/ui.elec/series?grain={g.Grain}&from={g.ApiFrom}&to={g.ApiTo}");
            var points = series.GetProperty("points").EnumerateArray().ToList();
            var rows = await OverviewPageTests.TableAsync(page, "#data-rows");
            Assert.Equal(g.Rows, points.Count);
            Assert.Equal(points.Count, rows.Length);
            Assert.Equal(g.FirstRow, rows[0]);
            Assert.Equal(g.LastRow, rows[^1]);
            for (var i = 0; i < rows.Length; i++)
            {
                Assert.Equal(PageFormat.Quantity(points[i].GetProperty("value").GetDouble(), "kWh"), rows[i][1]);
                Assert.Equal(PageFormat.Percent(points[i].GetProperty("completeness").GetDouble()), rows[i][2]);
            }
            Assert.Equal(["Period start", "Consumption", "Completeness", "Flags"],
                await page.Locator("#data-head th").AllInnerTextsAsync());
            Assert.Equal($"{(g.Grain == "month" ? g.From[..7] : g.From)} – {(g.Grain == "month" ? g.To[..7] : g.To)} · {g.Button}",
                await page.Locator("#range-label").InnerTextAsync());
            output.WriteLine(await watched.ScreenshotAsync($"meter-elec-{g.Grain}"));
            await watched.AssertChartTextInsideAsync();
        }

        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }

    [Fact]
    public async Task MeterPage_CounterDrop_PeriodFlaggedAndEventListed()
    {
        await using var watched = await chromium.NewPageAsync(Server);
        var page = watched.Page;

        await watched.GotoAsync($"/sites/{TestPlant.Site}/meters/ui.gas", "meter");

        Assert.Equal("Kiln gas", await page.Locator("#meter-name").InnerTextAsync());
        Assert.Equal("m³", await page.Locator("#meter-unit").InnerTextAsync());
        var rows = await OverviewPageTests.TableAsync(page, "#data-rows");
        Assert.Equal(38, rows.Length);
        // 10:00-11:00 on the 9th: the 10:00-10:15 quarter fell from 1054 to 2 and is not counted; the other three are
        // 3 x 1.35 = 4.05 m³ over 45 of 60 minutes.
        Assert.Equal(["2026-03-09 10:00", "4.05 m³", "75%", "Drop"], rows[10]);
        Assert.Equal(["2026-03-09 09:00", "5.4 m³", "100%", ""], rows[9]);
        Assert.Equal(["2026-03-09 11:00", "5.4 m³", "100%", ""], rows[11]);
        Assert.Equal("flagged flag-row-drop", await page.Locator("#data-rows tr").Nth(10).GetAttributeAsync("class"));
        Assert.Equal(1, await page.Locator("#data-rows tr.flagged").CountAsync());
        Assert.All(rows, r => Assert.EndsWith(" m³", r[1], StringComparison.Ordinal));

        Assert.Equal(
            [["2026-03-09 10:15", "Drop", "reading fell from 1054 to 2 with no recorded replacement or reset; this span is not counted"]],
            await OverviewPageTests.TableAsync(page, "#event-rows"));
        Assert.Equal("chip flag-drop", await page.Locator("#event-rows .chip").GetAttributeAsync("class"));

        output.WriteLine(await watched.ScreenshotAsync("meter-gas-drop"));
        await watched.AssertChartTextInsideAsync();
        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }

    [Fact]
    public async Task MeterPage_UnknownMeter_ShowsMeterNotFoundMessage()
    {
        await using var watched = await chromium.NewPageAsync(Server);
        var page = watched.Page;

        await watched.GotoAsync($"/sites/{TestPlant.Site}/meters/ui.nothing", "meter");

        var message = page.Locator("#message");
        Assert.True(await message.IsVisibleAsync());
        // The message and its link are flex items, one per line when rendered; their text reads as one sentence.
        Assert.Equal("Meter \"ui.nothing\" was not found in site \"uitest\". Back to the meter list", await message.TextContentAsync());
        Assert.Equal($"/sites/{TestPlant.Site}/meters", new Uri(await message.Locator("a").EvaluateAsync<string>("(a) => a.href")).AbsolutePath);
        Assert.True(await page.Locator("#content").IsHiddenAsync());
        Assert.True(await page.Locator("#controls").IsHiddenAsync());
        // The page around the message is there: navigation, heading, site.
        Assert.Equal("ui.nothing", await page.Locator("#meter-name").InnerTextAsync());
        Assert.Equal("UI test plant", await page.Locator("#site-name").InnerTextAsync());
        output.WriteLine(await watched.ScreenshotAsync("meter-unknown"));
        // The browser itself logs the API's 404s (series, events); nothing else may appear.
        watched.AssertNoErrors(e => OverviewPageTests.IsNotFoundResource(e, "/api/v1/sites/uitest/meters/ui.nothing/"));
        Assert.Empty(Server.Log.Errors);
    }
}
