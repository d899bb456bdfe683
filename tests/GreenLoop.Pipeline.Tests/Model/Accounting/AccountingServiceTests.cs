using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Pipeline.Model.Accounting;
using GreenLoop.Testing;
using static GreenLoop.Pipeline.Tests.Model.Accounting.AccountingTestSite;

namespace GreenLoop.Pipeline.Tests.Model.Accounting;

/// <summary>
/// Readings through ingest and derivation on a real SQLite file, then <see cref="AccountingService"/>: the energy
/// report and the GHG inventory of a month against the hand calculation, and period locks with late data.
/// </summary>
public sealed class AccountingServiceTests : IAsyncLifetime
{
    private static readonly DateOnly _june1 = new(2025, 6, 1);
    private static readonly DateOnly _june29 = new(2025, 6, 29);
    private static readonly DateOnly _june30 = new(2025, 6, 30);

    private PipelineHarness _h = null!;
    private AccountingService _accounting = null!;

    public async Task InitializeAsync()
    {
        _h = await AccountingTestSite.StartAsync();
        _accounting = _h.Get<AccountingService>();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task IngestAndDeriveAsync(List<ReadingInput> readings)
    {
        var result = await _h.IngestAsync(readings);
        Assert.Equal(readings.Count, result.Accepted);
        await _h.DeriveAsync();
    }

    [Fact]
    public async Task EnergyAndCarbon_FullMonthOfHourlyReadings_EqualTheHandCalculation()
    {
        await IngestAndDeriveAsync(AllMeters(_june1, _june30));

        var energy = (await _accounting.EnergyAsync(_h.TenantId, Key, "2025-06", CancellationToken.None))!;
        var carbon = (await _accounting.CarbonAsync(_h.TenantId, Key, "2025-06", CancellationToken.None))!;

        // June 2025 in Asia/Shanghai: 30 days x 24 h = 720 hour-ending readings per meter.
        // Activity: electricity 720 x 100 = 72,000 kWh; natural gas 720 x 10 = 7,200 m3; output 720 x 50 = 36,000 m2;
        // body raw material 720 x 2 = 1,440 t.
        var a = energy.Account;
        var elec = Assert.Single(a.Lines, l => l.Key == "energy.electricity");
        var gas = Assert.Single(a.Lines, l => l.Key == "energy.natural_gas");
        Assert.Equal(72_000, elec.Activity[0].Quantity, 9);
        Assert.Equal([Electricity], elec.Activity[0].Meters);
        Assert.Equal(1.0, elec.Activity[0].Completeness);
        // GB/T 2589-2020 Annex A: electricity (equivalent value) 0.1229 kgce/kWh; gas-field natural gas 1.2143 kgce/m3.
        // 72,000 x 0.1229 = 8,848.8 kgce; 7,200 x 1.2143 = 8,742.96 kgce; E = 17,591.76 kgce = 17.59176 tce.
        Assert.Equal(8_848.8, elec.Value, 6);
        Assert.Equal(8_742.96, gas.Value, 6);
        Assert.Equal(17_591.76, a.Total.Value, 6);
        Assert.Equal("kgce", a.Total.Unit);
        // Unit-product energy 17,591.76 / 36,000 = 0.48866 kgce/m2: within GB 21252-2023 level 1 (4.0 kgce/m2) for
        // dry-pressed tile with 0.2 % < E <= 0.5 %.
        Assert.Equal(36_000, a.Output!.Value, 9);
        Assert.Equal(0.48866, a.UnitEnergy!.Value, 9);
        Assert.Equal("kgce/m2", a.UnitEnergy.Unit);
        Assert.Equal((4.0, 4.9, 6.5, 1), (a.Verdict!.Level1, a.Verdict.Level2, a.Verdict.Level3, a.Verdict.Level));
        // The gas-field coefficient is UNVERIFIED against the 2020 text in the reference data: the report says so.
        Assert.True(gas.UsesUnverified);
        Assert.True(energy.UsesUnverified);
        Assert.Equal(1.0, energy.Completeness);
        Assert.Null(energy.Lock);
        Assert.Empty(energy.Adjustments);

        var inv = carbon.Inventory;
        // Natural gas by the Chinese guideline method (NDRC defaults: NCV 389.31 GJ/10^4 Nm3, 15.30 tC/TJ, oxidation 0.99):
        // 7,200 / 10^4 x 389.31 = 280.3032 GJ; x 15.30 / 1000 x 0.99 x 44/12 = 15.5677594248 tCO2.
        var combustion = Assert.Single(inv.Lines, l => l.Source == "combustion");
        Assert.Equal(15.5677594248, combustion.Co2, 9);
        Assert.Equal(["cn_fuel_ncv/natural_gas", "cn_fuel_cc/natural_gas", "cn_fuel_of/natural_gas"], combustion.Figure.Factors.Select(f => f.Id));
        // Carbonate (IPCC 2006 Vol. 3 Table 2.1, CaCO3 0.43971 tCO2/t): 1,440 t x 0.05 x 0.43971 x 1 = 31.65912 tCO2.
        var process = Assert.Single(inv.Lines, l => l.Source == "process");
        Assert.Equal(31.65912, process.Co2, 9);
        // Scope 2: Guangdong's provincial factor, latest published at or before 2025 = 2023: 0.4419 tCO2/MWh;
        // 72 MWh x 0.4419 = 31.8168 t. Market-based: national excl. market-traded non-fossil 2023 0.6096: 43.8912 t.
        var location = Assert.Single(inv.Lines, l => l.Basis == "location");
        Assert.Equal("grid_ef/CN.province.guangdong.2023", Assert.Single(location.Figure.Factors).Id);
        Assert.Equal(31.8168, location.Figure.Value, 9);
        Assert.Equal(43.8912, Assert.Single(inv.Lines, l => l.Basis == "market").Figure.Value, 9);
        // Scope 1 = 15.5677594248 + 31.65912 = 47.2268794248; totals 79.0436794248 (location), 91.1180794248 (market).
        Assert.Equal(47.2268794248, inv.Scope1.Value, 9);
        Assert.Equal(31.8168, inv.Scope2Location.Value, 9);
        Assert.Equal(43.8912, inv.Scope2Market.Value, 9);
        Assert.Equal(79.0436794248, inv.TotalLocation.Value, 9);
        Assert.Equal(91.1180794248, inv.TotalMarket.Value, 9);
        // Intensity: 79.0436794248 t x 1000 / 36,000 m2 = 2.1956577618 kgCO2e/m2.
        Assert.Equal(2.1956577618, inv.IntensityLocation!.Value, 9);
        Assert.Equal("kgCO2e/m2", inv.IntensityLocation.Unit);
        Assert.Equal(1.0, carbon.Completeness);
    }

    [Fact]
    public async Task Lock_LateReadingsForTheLockedMonth_LockedFiguresStayAndTheAdjustmentIsTheLateContribution()
    {
        // June 30's electricity has not arrived when the month is locked.
        var early = AllMeters(_june1, _june30).Where(r => !(r.Meter == Electricity && r.Ts > PipelineHarness.Local(Zone, 2025, 6, 30))).ToList();
        await IngestAndDeriveAsync(early);
        var (locked, error) = await _accounting.LockAsync(_h.TenantId, Key, "2025-06", "accountant", CancellationToken.None);
        Assert.True(locked, error);

        var late = Hours(Electricity, ElectricityPerHour, _june30, _june30).ToList();
        Assert.Equal(24, late.Count);
        await IngestAndDeriveAsync(late);

        var energy = (await _accounting.EnergyAsync(_h.TenantId, Key, "2025-06", CancellationToken.None))!;
        var carbon = (await _accounting.CarbonAsync(_h.TenantId, Key, "2025-06", CancellationToken.None))!;

        // Locked: electricity 29 d x 24 h x 100 = 69,600 kWh x 0.1229 = 8,553.84 kgce, + gas 8,742.96 = 17,296.8 kgce.
        // Late: 24 h x 100 kWh = 2,400 kWh x 0.1229 = 294.96 kgce; now 17,591.76 kgce.
        Assert.Equal(17_296.8, energy.Account.Total.Value, 6);
        Assert.Equal("accountant", energy.Lock!.By);
        Assert.Equal("2025-06", energy.Lock.Period);
        var adjustment = Assert.Single(energy.Adjustments);
        Assert.Equal(("energy.total", "kgce"), (adjustment.Key, adjustment.Unit));
        Assert.Equal(17_296.8, adjustment.Locked, 6);
        Assert.Equal(17_591.76, adjustment.Current, 6);
        Assert.Equal(294.96, adjustment.Difference, 6);
        // The locked figures knew June 30 was missing: 29 of 30 days measured.
        Assert.Equal(29.0 / 30, energy.Account.Lines.Single(l => l.Key == "energy.electricity").Completeness, 4);

        // Scope 2 of the late 2.4 MWh: x 0.4419 = 1.06056 t (location), x 0.6096 = 1.46304 t (market); Scope 1 unchanged.
        Assert.Equal(69.6 * 0.4419, carbon.Inventory.Scope2Location.Value, 9);
        Assert.Equal(2, carbon.Adjustments.Count);
        var s2l = Assert.Single(carbon.Adjustments, x => x.Key == "ghg.scope2.location");
        var s2m = Assert.Single(carbon.Adjustments, x => x.Key == "ghg.scope2.market");
        Assert.Equal(1.06056, s2l.Difference, 9);
        Assert.Equal(1.46304, s2m.Difference, 9);
        Assert.Equal(31.8168, s2l.Current, 9);

        var again = await _accounting.LockAsync(_h.TenantId, Key, "2025-06", "someone else", CancellationToken.None);
        Assert.False(again.Locked);
        Assert.Equal("period 2025-06 is already locked", again.Error);
        var locks = (await _accounting.LocksAsync(_h.TenantId, Key, CancellationToken.None))!;
        Assert.Equal(("2025-06", "accountant"), (Assert.Single(locks).Period, locks[0].By));
    }

    [Fact]
    public async Task Year_TwoMonthsOfData_SumsTheMonthsAndReportsTheUnmeasuredRestAsIncomplete()
    {
        await IngestAndDeriveAsync([.. AllMeters(new DateOnly(2025, 5, 1), new DateOnly(2025, 5, 31)), .. AllMeters(_june1, _june30)]);

        var energy = (await _accounting.EnergyAsync(_h.TenantId, Key, "2025", CancellationToken.None))!;

        // May 744 h + June 720 h = 1,464 h: electricity 146,400 kWh x 0.1229 = 17,992.56; gas 14,640 m3 x 1.2143 = 17,777.352;
        // E = 35,769.912 kgce. The clock stands at 2025-07-15 12:00 +08:00, so the year so far is 195.5 days, 61 of them measured.
        Assert.Equal(35_769.912, energy.Account.Total.Value, 6);
        Assert.Equal(61 / 195.5, energy.Completeness, 4);
        Assert.True(energy.Account.Total.Estimated);
    }

    [Fact]
    public async Task Report_PeriodThatIsNotAPeriod_BadInputExceptionNamingTheFormat()
    {
        var ex = await Assert.ThrowsAsync<BadInputException>(() => _accounting.EnergyAsync(_h.TenantId, Key, "2025-13", CancellationToken.None));
        Assert.Contains("use a year (2025) or a month (2025-06)", ex.Message, StringComparison.Ordinal);
        Assert.Null(await _accounting.CarbonAsync(_h.TenantId, "nowhere", "2025-06", CancellationToken.None));
    }
}
