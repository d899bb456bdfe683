using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Pipeline.Model.Accounting;
using GreenLoop.Testing;
using static GreenLoop.Pipeline.Tests.Model.Accounting.AccountingTestSite;

namespace GreenLoop.Pipeline.Tests.Model.Accounting;

/// <summary>The Excel workbooks of the energy report and the GHG inventory, read back with the Open XML SDK.</summary>
public sealed class ReportWorkbookTests : IAsyncLifetime
{
    private PipelineHarness _h = null!;
    private AccountingService _accounting = null!;

    public async Task InitializeAsync()
    {
        _h = await AccountingTestSite.StartAsync();
        _accounting = _h.Get<AccountingService>();
    }

    private async Task IngestAndDeriveAsync(List<ReadingInput> readings)
    {
        Assert.Equal(readings.Count, (await _h.IngestAsync(readings)).Accepted);
        await _h.DeriveAsync();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Energy_FullMonth_ValidWorkbookWithTheReportsNumbersAsNumericCells()
    {
        await IngestAndDeriveAsync(AllMeters(new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 30)));
        var report = (await _accounting.EnergyAsync(_h.TenantId, Key, "2025-06", CancellationToken.None))!;

        using var book = new XlsxBook(ReportWorkbook.Energy(report));

        Assert.Empty(book.ValidationErrors());
        Assert.Equal(["汇总 Summary", "分品种 By carrier", "活动数据 Activity data", "所用因子 Factors used"], book.SheetNames);
        Assert.All(book.SheetNames, s => Assert.Equal("A2", book.FrozenAt(s)));
        Assert.Equal("Accounting test tile plant (tiles)", book.Cell("汇总 Summary", "工厂 Site", 1));
        Assert.Equal("2025-06", book.Cell("汇总 Summary", "报告期 Period", 1));
        Assert.Equal(1.0, book.Cell("汇总 Summary", "数据完整度", 1));
        Assert.Equal("是 Yes", book.Cell("汇总 Summary", "待核实因子 UNVERIFIED", 1));
        // 17,591.76 kgce = 17.59176 tce; 0.48866 kgce/m2, level 1 of GB 21252-2023.
        var summary = book.Rows("汇总 Summary");
        var totals = summary.Where(r => (string?)r[0] == "综合能耗 Comprehensive energy consumption").ToList();
        Assert.Equal([(17_591.76, "kgce"), (17.59176, "tce")], totals.Select(r => (Math.Round((double)r[1]!, 9), (string)r[2]!)));
        Assert.Equal(0.48866, (double)book.Cell("汇总 Summary", "单位产品综合能耗", 1)!, 12);
        Assert.Equal(4.0, book.Cell("汇总 Summary", "1级 Level 1", 1));
        Assert.Equal("1级（先进） / level 1 (most efficient)", book.Cell("汇总 Summary", "判定 Verdict", 1));
        Assert.Equal("未锁定 Not locked", book.Cell("汇总 Summary", "锁定状态 Lock status", 1));

        var byCarrier = book.Rows("分品种 By carrier");
        Assert.Equal("折标准煤 Standard coal (kgce)", byCarrier[0][8]);
        // Carriers by name in both languages, with the key they are metered under.
        var elec = byCarrier.Single(r => (string?)r[0] == "外购电力 Grid electricity (electricity)");
        Assert.Equal((72_000.0, "kWh", 0.1229, "kgce/kWh", 8_848.8), ((double)elec[2]!, (string)elec[3]!, (double)elec[4]!, (string)elec[5]!, Math.Round((double)elec[8]!, 9)));
        var gas = byCarrier.Single(r => (string?)r[0] == "天然气 Natural gas (natural_gas)");
        Assert.Equal(8_742.96, (double)gas[8]!, 9);
        Assert.Contains("UNVERIFIED", (string)gas[12]!, StringComparison.Ordinal);
        var total = byCarrier.Single(r => (string?)r[0] == "合计 Total");
        Assert.Equal(17_591.76, (double)total[8]!, 9);

        var activity = book.Rows("活动数据 Activity data");
        Assert.Equal(["外购电力 Grid electricity (electricity)", "天然气 Natural gas (natural_gas)", "瓷砖产量 Tile output (tile_output)"], activity.Skip(1).Select(r => (string)r[0]!).Order(StringComparer.Ordinal));
        var factors = book.Rows("所用因子 Factors used");
        var coefficient = factors.Single(r => (string?)r[0] == "coal_coef/natural_gas_gasfield");
        Assert.Equal((1.2143, "UNVERIFIED"), ((double)coefficient[3]!, (string)coefficient[7]!));
        Assert.False(string.IsNullOrWhiteSpace((string?)coefficient[5]));
        Assert.Equal(6.5, factors.Single(r => (string?)r[0] == "energy_limit/GB 21252-2023 L3")[3]);
    }

    [Fact]
    public async Task Carbon_LockedMonthWithOverride_ScopesByCategoryOverrideAndAdjustmentInTheWorkbook()
    {
        // The gas reading for the hour ending 2025-06-30 13:00 arrives after the month is locked.
        var lateTs = PipelineHarness.Local(Zone, 2025, 6, 30, 13);
        var all = AllMeters(new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 30));
        await IngestAndDeriveAsync([.. all.Where(r => !(r.Meter == Gas && r.Ts == lateTs))]);
        await _accounting.AddOverrideAsync(_h.TenantId, Key, "cn_fuel_ncv/natural_gas", "2025", 380, null, "measured NCV, lab report 2025-031", "chemist", CancellationToken.None);
        var (locked, error) = await _accounting.LockAsync(_h.TenantId, Key, "2025-06", "accountant", CancellationToken.None);
        Assert.True(locked, error);
        await IngestAndDeriveAsync([new ReadingInput(Gas, lateTs, GasPerHour)]);
        var report = (await _accounting.CarbonAsync(_h.TenantId, Key, "2025-06", CancellationToken.None))!;

        using var book = new XlsxBook(ReportWorkbook.Carbon(report));

        Assert.Empty(book.ValidationErrors());
        Assert.Equal(["汇总 Summary", "分排放源 By source", "活动数据 Activity data", "所用因子 Factors used"], book.SheetNames);
        // Locked gas with the measured NCV: 7,190 m3 / 10^4 x 380 = 273.22 GJ x 15.30 / 1000 x 0.99 x 44/12 = 15.17436558 t;
        // process 31.65912 t; Scope 1 = 46.83348558 t. The late 10 m3 add 0.001 x 380 x 0.0153 x 0.99 x 44/12 = 0.02110482 t.
        Assert.Equal(46.83348558, (double)book.Cell("汇总 Summary", "范围一 Scope 1", 1)!, 9);
        Assert.Equal(46.83348558, (double)book.Cell("汇总 Summary", "ISO 14064-1 类别1", 1)!, 9);
        Assert.Equal(31.8168, (double)book.Cell("汇总 Summary", "ISO 14064-1 类别2 Category 2: imported energy (location-based)", 1)!, 9);
        Assert.Equal(43.8912, (double)book.Cell("汇总 Summary", "ISO 14064-1 类别2 Category 2: imported energy (market-based)", 1)!, 9);
        Assert.Equal(report.Inventory.TotalLocation.Value, book.Cell("汇总 Summary", "合计 Total (location-based)", 1));
        Assert.Equal("已锁定 Locked", book.Cell("汇总 Summary", "锁定状态 Lock status", 1));
        Assert.Equal(0.02110482, (double)book.Cell("汇总 Summary", "调整 Adjustment: ghg.scope1", 1)!, 9);

        var bySource = book.Rows("分排放源 By source");
        Assert.Equal(["范围 Scope", "ISO 14064-1 类别 Category", "排放源 Source", "能源/物料 Carrier", "基准 Basis", "活动数据 Activity", "活动数据单位 Activity unit",
            "CO2 (t)", "CH4 (t)", "N2O (t)", "排放量 Emissions (tCO2e)", "完整度 Completeness (%)", "标记 Flags", "计算式 Formula"], bySource[0]);
        var gas = bySource.Single(r => (string?)r[3] == "天然气 Natural gas (natural_gas)");
        Assert.Equal((1.0, 1.0, "化石燃料燃烧 Stationary combustion", 7_190.0), ((double)gas[0]!, (double)gas[1]!, (string)gas[2]!, (double)gas[5]!));
        Assert.Equal(15.17436558, (double)gas[10]!, 9);
        Assert.Contains("覆盖 override", (string)gas[12]!, StringComparison.Ordinal);
        var market = bySource.Single(r => (string?)r[4] == "基于市场 Market-based");
        Assert.Equal((2.0, 2.0, 43.8912), ((double)market[0]!, (double)market[1]!, Math.Round((double)market[10]!, 9)));

        var ncv = book.Rows("所用因子 Factors used").Single(r => (string?)r[0] == "cn_fuel_ncv/natural_gas");
        Assert.Equal((380.0, "measured NCV, lab report 2025-031", "chemist"), ((double)ncv[3]!, (string)ncv[8]!, (string)ncv[9]!));
    }
}
