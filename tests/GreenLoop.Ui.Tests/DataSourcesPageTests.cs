using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace GreenLoop.Ui.Tests;

/// <summary>
/// The data-sources page (/data-sources) against a real Modbus device (the pymodbus simulator): a source defined in
/// the page connects and shows its last value; changing its port in the page reconnects at once (hot reload) and shows
/// the error counted by kind.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class DataSourcesPageTests(Chromium chromium, ITestOutputHelper output)
{
    private const string SiteJson = """
        {"key":"dsui","name":"Data source plant","timeZone":"Asia/Shanghai",
         "meters":[{"key":"ds.kiln.temp","name":"Kiln temperature","quantity":"ProcessVariable","carrier":"kiln_temperature","unit":"degC","kind":"Instantaneous"}]}
        """;

    private static string Settings(int port) => string.Create(CultureInfo.InvariantCulture, $$"""
        {"host":"127.0.0.1","port":{{port}},"unitId":1,"pollSeconds":0.5,"timeoutMs":1000,
         "points":[{"meter":"ds.kiln.temp","function":3,"address":0,"addressBase":0,"type":"float32","wordOrder":"big","byteOrder":"big"}]}
        """);

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task DataSourcesPage_ModbusSourceDefinedAndThenChanged_ShowsConnectedLastValueThenTheCountedError()
    {
        await using var server = await UiServer.StartAsync(["--GreenLoop:Demo:Enabled=false"]);
        using (var put = await server.Client.PutAsync("api/v1/sites/dsui", new StringContent(SiteJson, Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        long keyId;
        using (var key = await server.Client.PostAsJsonAsync("api/v1/api-keys", new { name = "kiln gateway", site = "dsui", permissions = new[] { "ingest" } }))
        {
            Assert.Equal(HttpStatusCode.Created, key.StatusCode);
            keyId = (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetProperty("id").GetInt64();
        }
        // Holding registers 0-1: float32 850.5 = 0x4454 0xA000.
        await using var sim = await ModbusSimulator.StartAsync(new Dictionary<string, object>
        {
            ["holding"] = new Dictionary<string, int[]> { ["0"] = ModbusSimulator.Float32Words(850.5f) },
        });

        await using var watched = await chromium.NewPageAsync(server);
        var page = watched.Page;
        await watched.GotoAsync("/data-sources", "sources");
        await page.ClickAsync("#new-source");
        var form = page.Locator("#source-form");
        await form.Locator("input[name=key]").FillAsync("kiln-plc");
        await form.Locator("select[name=kind]").SelectOptionAsync("modbus");
        await form.Locator("input[name=apiKeyId]").FillAsync(keyId.ToString(CultureInfo.InvariantCulture));
        await form.Locator("textarea[name=settings]").FillAsync(Settings(sim.Port));
        await form.Locator("button[type=submit]").ClickAsync();

        var row = page.Locator("tr[data-key='kiln-plc']");
        await Expect(row.Locator(".state-badge")).ToHaveTextAsync("Connected", new() { Timeout = 30_000 });
        await Expect(row.Locator("td").Nth(4)).ToContainTextAsync("ds.kiln.temp = 850.5", new() { Timeout = 30_000 });
        output.WriteLine(await watched.ScreenshotAsync("data-sources-connected"));

        var closed = ClosedPort();
        await row.Locator("button[data-action='edit']").ClickAsync();
        await form.Locator("textarea[name=settings]").FillAsync(Settings(closed));
        await form.Locator("button[type=submit]").ClickAsync();

        // Nothing listens on the new port: the connector retries with backoff and counts "connect-failed".
        await Expect(row.Locator("td").Nth(9)).ToContainTextAsync("connect-failed", new() { Timeout = 30_000 });
        var status = await server.Client.GetFromJsonAsync<JsonElement>("api/v1/data-sources/kiln-plc/status");
        Assert.Equal(2, status.GetProperty("version").GetInt64());
        Assert.True(status.GetProperty("problems").GetProperty("connect-failed").GetInt64() >= 1);
        await row.Locator("button[data-action='details']").ClickAsync();
        await Expect(page.Locator("#problem-rows")).ToContainTextAsync("connect-failed");
        output.WriteLine(await watched.ScreenshotAsync("data-sources-failed"));
        watched.AssertNoErrors();
    }
}
