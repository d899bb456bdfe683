using GreenLoop.Connectors.Import;
using GreenLoop.Testing;

namespace GreenLoop.Connectors.Tests.Import;

public sealed class MidnightStampTests
{
    // The steel dataset's quirk in miniature: the day's last interval (ending at midnight) is stamped with the date of
    // the day it ends in, so "01/01/2018 00:00" follows "01/01/2018 23:45" and means 2018-01-02 00:00.
    private const string QuirkyDay = """
        date,Usage_kWh
        01/01/2018 23:30,1
        01/01/2018 23:45,2
        01/01/2018 00:00,3
        02/01/2018 00:15,4
        """;

    private static readonly TimeSpan _seoul = TimeSpan.FromHours(9);

    private static ImportOptions Options(bool repair) => new()
    {
        Map = [new ColumnMapping("Usage_kWh", "steel.main.kwh")],
        DateFormats = ["dd/MM/yyyy HH:mm"],
        TimeZone = "Asia/Seoul",
        RepairMidnightStamps = repair,
    };

    [Fact]
    public async Task Read_MidnightQuirkWithRepair_MovedOneDayForwardAndReported()
    {
        var harness = new ImportHarness();

        var result = await harness.ImportCsvAsync(QuirkyDay, Options(repair: true));

        Assert.Empty(result.Issues);
        Assert.Equal(
            [
                new DateTimeOffset(2018, 1, 1, 23, 30, 0, _seoul),
                new DateTimeOffset(2018, 1, 1, 23, 45, 0, _seoul),
                new DateTimeOffset(2018, 1, 2, 0, 0, 0, _seoul),
                new DateTimeOffset(2018, 1, 2, 0, 15, 0, _seoul),
            ],
            harness.Stored.Select(r => r.Ts));
        var repair = Assert.Single(result.Repairs);
        Assert.Equal(4, repair.Row);
        Assert.Equal("date", repair.Field);
        Assert.Equal("midnight stamp 2018-01-01 00:00 (after 2018-01-01 23:45) moved one day forward to 2018-01-02 00:00", repair.What);
        Assert.Equal(4, result.Summary.Accepted);
        Assert.Equal(1, result.Summary.Repaired);
        Assert.Equal(10.0, result.Summary.SumByMeter["steel.main.kwh"]); // 1 + 2 + 3 + 4
        Assert.Equal(new DateTimeOffset(2018, 1, 2, 0, 15, 0, _seoul), result.Summary.LastInstant);
    }

    [Fact]
    public async Task Read_MidnightQuirkWithoutRepair_RejectedNamingQuirkAndOption()
    {
        var harness = new ImportHarness();

        var result = await harness.ImportCsvAsync(QuirkyDay, Options(repair: false));

        var issue = Assert.Single(result.Issues);
        Assert.Equal(4, issue.Row);
        Assert.Equal("date", issue.Field);
        Assert.Equal("01/01/2018 00:00,3", issue.RawLine);
        Assert.StartsWith("midnight stamp quirk: 2018-01-01 00:00 follows 2018-01-01 23:45", issue.Reason, StringComparison.Ordinal);
        Assert.Contains("--repair-midnight", issue.Reason, StringComparison.Ordinal);
        // The web import's own checkbox is named too (a person importing in the browser has no command line).
        Assert.Contains("tick \"Repair midnight stamps\" on the Import page", issue.Reason, StringComparison.Ordinal);
        Assert.Empty(result.Repairs);
        Assert.Equal(3, result.Summary.Accepted);
        Assert.Equal(1, result.Summary.Rejected);
        Assert.Equal(7.0, result.Summary.SumByMeter["steel.main.kwh"]); // 1 + 2 + 4; the 3 is reported, not lost silently
        Assert.DoesNotContain(harness.Stored, r => r.Ts == new DateTimeOffset(2018, 1, 1, 0, 0, 0, _seoul));
    }

    [Fact]
    public async Task Read_MidnightJumpNotOneIntervalAfter_LeftAsIs()
    {
        // 23:30 then 00:00 of the same date: one day later would be 30 minutes after the previous row, not one
        // 15-minute interval, so this is not the quirk; the stamp is taken literally.
        const string csv = """
            date,Usage_kWh
            01/01/2018 23:15,1
            01/01/2018 23:30,2
            01/01/2018 00:00,3
            """;
        var harness = new ImportHarness();

        var result = await harness.ImportCsvAsync(csv, Options(repair: true));

        Assert.Empty(result.Issues);
        Assert.Empty(result.Repairs);
        Assert.Equal(new DateTimeOffset(2018, 1, 1, 0, 0, 0, _seoul), harness.Stored[^1].Ts);
    }

    [Fact]
    public async Task Read_MidnightAfterOneRowWithGivenInterval_Repaired()
    {
        // With a single previous row there is no step to learn; the given interval supplies it.
        const string csv = """
            date,Usage_kWh
            01/01/2018 23:45,2
            01/01/2018 00:00,3
            """;
        var harness = new ImportHarness();

        var result = await harness.ImportCsvAsync(csv, Options(repair: true) with { IntervalMinutes = 15 });

        Assert.Equal(2, harness.Stored.Count);
        Assert.Equal(3, Assert.Single(result.Repairs).Row);
        Assert.Equal(new DateTimeOffset(2018, 1, 2, 0, 0, 0, _seoul), harness.Stored[^1].Ts);
    }

    [Fact]
    public async Task Read_MidnightQuirkInLongFile_CheckedPerMeter()
    {
        const string csv = """
            meter,date,kwh
            a,01/01/2018 23:30,1
            b,01/01/2018 23:30,10
            a,01/01/2018 23:45,2
            b,01/01/2018 23:45,20
            a,01/01/2018 00:00,3
            b,01/01/2018 00:00,30
            """;
        var harness = new ImportHarness();
        var options = Options(repair: true) with { Map = [], MeterColumn = "meter", TimeColumn = "date", ValueColumn = "kwh" };

        var result = await harness.ImportCsvAsync(csv, options);

        Assert.Equal([6, 7], result.Repairs.Select(r => r.Row));
        Assert.Equal(2, harness.Stored.Count(r => r.Ts == new DateTimeOffset(2018, 1, 2, 0, 0, 0, _seoul)));
        Assert.Equal(6.0, result.Summary.SumByMeter["a"]);
        Assert.Equal(60.0, result.Summary.SumByMeter["b"]);
    }
}
