using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GreenLoop.Testing;

/// <summary>
/// A small tile plant in Foshan (grid region CN-Guangdong) for the accounting tests, metered hourly by interval meters:
/// electricity 100 kWh/h, natural gas 10 m³/h, tile output 50 m²/h, body raw material 2 t/h with 5 % calcite. A full
/// June 2025 (720 h) gives 72,000 kWh, 7,200 m³, 36,000 m² and 1,440 t.
/// </summary>
public static class AccountingTestPlant
{
    public static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    public static string SiteJson(string key) => $$$"""
        {"key":"{{{key}}}","name":"Accounting test tile plant","nameZh":"核算测试瓷砖厂","timeZone":"Asia/Shanghai","gridRegion":"CN-Guangdong","industry":"ceramics",
         "accounting":{"limitClass":"GB 21252-2023.tile_dry_pressed_abs_0.2_0.5",
                       "carriers":{"body_raw_material":{"role":"CarbonateMaterial","carbonate":"CaCO3","carbonateFraction":0.05} } },
         "meters":[
           {"key":"{{{key}}}.elec","name":"Main incomer","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":60,"stamp":"PeriodEnding"},
           {"key":"{{{key}}}.gas","name":"Kiln gas","carrier":"natural_gas","unit":"m3","kind":"Interval","intervalMinutes":60,"stamp":"PeriodEnding"},
           {"key":"{{{key}}}.output","name":"Tile output","quantity":"ProductOutput","carrier":"tile_output","unit":"m2","kind":"Interval","intervalMinutes":60,"stamp":"PeriodEnding"},
           {"key":"{{{key}}}.body","name":"Body raw material","quantity":"Material","carrier":"body_raw_material","unit":"t","kind":"Interval","intervalMinutes":60,"stamp":"PeriodEnding"}]}
        """;

    /// <summary>Hour-ending readings (meter, instant, value) of the four meters for local days [first, last] of Asia/Shanghai.</summary>
    public static List<(string Meter, DateTimeOffset Ts, double Value)> Readings(string key, DateOnly first, DateOnly last)
    {
        var list = new List<(string, DateTimeOffset, double)>();
        var start = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), Shanghai);
        var end = new DateTimeOffset(last.ToDateTime(TimeOnly.MinValue), Shanghai).AddDays(1);
        foreach (var (suffix, perHour) in new[] { ("elec", 100.0), ("gas", 10.0), ("output", 50.0), ("body", 2.0) })
        {
            for (var t = start.AddHours(1); t <= end; t = t.AddHours(1)) list.Add(($"{key}.{suffix}", t, perHour));
        }
        return list;
    }

    /// <summary>The readings as the JSON body of <c>POST /api/v1/readings</c>.</summary>
    public static StringContent Body(IEnumerable<(string Meter, DateTimeOffset Ts, double Value)> readings)
    {
        var json = JsonSerializer.Serialize(new
        {
            readings = readings.Select(r => new { meter = r.Meter, ts = r.Ts.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), value = r.Value }),
        });
        return new StringContent(json, Encoding.UTF8, "application/json");
    }
}
