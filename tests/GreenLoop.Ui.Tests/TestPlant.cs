using System.Globalization;
using System.Net;
using System.Text;

namespace GreenLoop.Ui.Tests;

/// <summary>
/// A small site of our own with known readings, on a server whose wall clock stands still at <see cref="Now"/>, so every
/// figure the pages show can be worked out by hand.
/// <list type="bullet">
/// <item><c>ui.elec</c> (press shop, electricity, cumulative kWh): a reading every 15 min from 2026-03-09 00:00 to
/// 2026-03-10 14:00 (+08:00), 40 kWh per quarter from 08:00 to 18:00 and 10 kWh otherwise.</item>
/// <item><c>ui.gas</c> (kiln, natural gas, cumulative m³): same instants, 1.35 m³ per quarter, except that the register
/// falls from 1054 to 2 at 2026-03-09 10:15 (an unexplained counter drop: that quarter is not counted).</item>
/// </list>
/// </summary>
public sealed class TestPlant : IAsyncLifetime
{
    public const string Site = "uitest";

    /// <summary>14:07 on Tuesday 2026-03-10 in Shanghai.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 14, 7, 0, TimeSpan.FromHours(8));

    private static readonly DateTimeOffset _first = new(2026, 3, 9, 0, 0, 0, TimeSpan.FromHours(8));

    private const string SiteJson = """
        {"key":"uitest","name":"UI test plant","nameZh":"界面测试工厂","timeZone":"Asia/Shanghai",
         "nodes":[{"key":"press","name":"Press shop","nameZh":"压制车间"},{"key":"kiln","name":"Kiln workshop","nameZh":"窑炉车间"}],
         "meters":[
           {"key":"ui.elec","name":"Press incomer","nameZh":"压制车间进线","node":"press","carrier":"electricity","unit":"kWh","kind":"Cumulative"},
           {"key":"ui.gas","name":"Kiln gas","nameZh":"窑炉天然气","node":"kiln","carrier":"natural_gas","unit":"m3","kind":"Cumulative"}]}
        """;

    private UiServer? _server;

    public UiServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

    public async Task InitializeAsync()
    {
        _server = await UiServer.StartAsync(["--GreenLoop:Demo:Enabled=false"], new FixedWallClock(Now));
        using (var put = await Server.Client.PutAsync($"api/v1/sites/{Site}", new StringContent(SiteJson, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        using (var post = await Server.Client.PostAsync("api/v1/readings", new StringContent(ReadingsCsv(), Encoding.UTF8, "text/csv")))
        {
            var answer = await post.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);
            // 2 meters x 153 instants (00:00 on the 9th to 14:00 on the 10th, every 15 min).
            Assert.StartsWith("""{"received":306,"accepted":306,"duplicates":0,"rejected":[]""", answer, StringComparison.Ordinal);
        }
        await Server.WaitForDerivationAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>The readings as CSV; decimal arithmetic so that the values posted are exactly 1054, 2, 3.35...</summary>
    private static string ReadingsCsv()
    {
        var csv = new StringBuilder("meter,ts,value\n");
        decimal elec = 50_000m;
        decimal gas = 1_000m;
        for (var ts = _first; ts <= Now; ts = ts.AddMinutes(15))
        {
            if (ts > _first)
            {
                var quarterStart = ts.AddMinutes(-15);
                elec += quarterStart.Hour is >= 8 and < 18 ? 40m : 10m;
                gas = ts == new DateTimeOffset(2026, 3, 9, 10, 15, 0, TimeSpan.FromHours(8)) ? 2m : gas + 1.35m;
            }
            var stamp = ts.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"ui.elec,{stamp},{elec}\nui.gas,{stamp},{gas}\n");
        }
        return csv.ToString();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
