using GreenLoop.Domain.Cost;

namespace GreenLoop.Domain.Tests.Cost;

/// <summary>
/// A month's two-part electricity bill reckoned by hand (issue 16): the energy charge by band across a tariff change on
/// the 16th, the demand charge from the highest 15-minute average, the power-factor adjustment from active and reactive
/// energy by the 0.90 table, and the funds — each step written out below with its source.
/// </summary>
public sealed class ElectricityBillingTests
{
    // Guangdong's time-of-use hours (粤发改价格〔2021〕331号, as read in secondary copies): valley 00-08, peak 10-12 and
    // 14-19, flat otherwise; critical peak 11-12 and 15-17 in July-September (here put in June to exercise it).
    private static readonly TouPeriod[] _june =
    [
        new("00:00", "08:00", TouBand.Valley), new("08:00", "10:00", TouBand.Flat), new("10:00", "11:00", TouBand.Peak),
        new("11:00", "12:00", TouBand.CriticalPeak), new("12:00", "14:00", TouBand.Flat), new("14:00", "15:00", TouBand.Peak),
        new("15:00", "17:00", TouBand.CriticalPeak), new("17:00", "19:00", TouBand.Peak), new("19:00", "24:00", TouBand.Flat),
    ];

    private static TariffVersion Version(string from, double flat, double demand) => new()
    {
        ValidFrom = from,
        // Peak 1.7 × flat, valley 0.38 × flat, critical peak 1.25 × peak (331号 ratios).
        Prices = [new(TouBand.Flat, flat), new(TouBand.Peak, flat * 1.7), new(TouBand.Valley, flat * 0.38), new(TouBand.CriticalPeak, flat * 1.7 * 1.25)],
        Seasons = [new TouSeason { Months = [6], Periods = _june }],
        DemandPrice = demand,
        Surcharges = [new PerKwhCharge("government funds and surcharges", "政府性基金及附加", 0.029)],
        Source = "test tariff",
    };

    private static readonly ElectricityTariff _tariff = new()
    {
        Key = "test", Name = "Test two-part tariff", Versions = [Version("2025-01-01", 0.60, 32), Version("2025-06-16", 0.65, 30)],
    };

    /// <summary>June 2025: 100 kWh every 15 minutes (400 kW), but 130 kWh at 10:15 on the 20th (520 kW).</summary>
    private static List<BilledInterval> June()
    {
        var list = new List<BilledInterval>();
        for (var t = new DateTime(2025, 6, 1); t < new DateTime(2025, 7, 1); t = t.AddMinutes(15))
            list.Add(new BilledInterval(t, t == new DateTime(2025, 6, 20, 10, 15, 0) ? 130 : 100));
        return list;
    }

    [Fact]
    public void June_TariffChangeOnThe16th_DemandFromThe15MinutePeak_PowerFactor086Under090_EqualsTheHandCalculation()
    {
        // Reactive energy 0.6 × active: cos φ = 1 / √(1 + 0.36) = 0.857493 → billed 0.86.
        var active = 30 * 96 * 100.0 + 30;
        var bill = ElectricityBilling.Month(2025, 6, _tariff, new ElectricityAccount { Tariff = "test", Basis = BasicChargeBasis.Demand, PowerFactorStandard = 0.90 },
            June(), 0.6 * active);

        // Per day (4 intervals of 100 kWh an hour): valley 00-08 = 8 h = 3200 kWh; flat 08-10, 12-14, 19-24 = 9 h = 3600;
        // peak 10-11, 14-15, 17-19 = 4 h = 1600; critical 11-12, 15-17 = 3 h = 1200; 3200 + 3600 + 1600 + 1200 = 9600.
        // Version 1 (1-15 June, 15 days, flat 0.60): valley 48000 × 0.228 = 10944; flat 54000 × 0.60 = 32400;
        //   peak 24000 × 1.02 = 24480; critical 18000 × 1.275 = 22950 → 90774.
        // Version 2 (16-30 June, 15 days, flat 0.65): valley 48000 × 0.247 = 11856; flat 54000 × 0.65 = 35100;
        //   peak (24000 + 30) × 1.105 = 26553.15; critical 18000 × 1.38125 = 24862.5 → 98371.65.
        var energy = 90774 + 98371.65;
        // Demand (15-minute average, the month's maximum): 130 kWh × 4 = 520 kW on 20 June 10:15; price weighted by days:
        // 520 × (32 × 15/30 + 30 × 15/30) = 520 × 31 = 16120.
        var basic = 16120.0;
        // Power factor 0.86 under the 0.90 standard: +2.0 % (功率因数调整电费表, 0.90 standard: 0.86 → 增收 2.0 %),
        // on basic + energy charges, not the funds.
        var adjustment = (energy + basic) * 0.02;
        // Funds 0.029 ¥/kWh on every kWh: 288030 × 0.029.
        var funds = active * 0.029;

        Assert.Equal(energy, bill.EnergyCharge, 6);
        Assert.Equal(8, bill.Energy.Count);
        Assert.Equal(24030, bill.Energy.Single(l => l.ValidFrom == "2025-06-16" && l.Band == TouBand.Peak).Kwh, 9);
        Assert.Equal(18000, bill.Energy.Single(l => l.ValidFrom == "2025-01-01" && l.Band == TouBand.CriticalPeak).Kwh, 9);
        Assert.Equal((520.0, new DateTime(2025, 6, 20, 10, 15, 0)), (bill.Basic!.MaxDemandKw!.Value, bill.Basic.MaxDemandAt!.Value));
        Assert.Equal(basic, bill.Basic.Amount, 9);
        Assert.Equal([(15, 32.0), (15, 30.0)], bill.Basic.Parts.Select(p => (p.Days, p.Price)));
        Assert.Equal(1 / Math.Sqrt(1.36), bill.PowerFactor!.PowerFactor, 12);
        Assert.Equal((0.86, 2.0), (bill.PowerFactor.Billed, bill.PowerFactor.Percent));
        Assert.Equal(adjustment, bill.PowerFactor.Amount, 6);
        Assert.Equal(funds, bill.Surcharges.Sum(s => s.Amount), 6);
        Assert.Equal(energy + basic + adjustment + funds, bill.Total, 6);
        // Peak share: (peak + critical) / all = (2 × 15 × (1600 + 1200) + 30) / 288030.
        Assert.Equal((30.0 * 2800 + 30) / active, bill.PeakShare, 12);
    }

    [Fact]
    public void ContractedDemand_Exceeded_PartAbove105PercentAtTwiceThePrice()
    {
        // Contract 450 kW; the month's maximum 520 kW > 472.5 kW (105 %): billed 450 kW + 2 × (520 - 472.5) kW = 545 kW × 31.
        var bill = ElectricityBilling.Month(2025, 6, _tariff, new ElectricityAccount { Tariff = "test", Basis = BasicChargeBasis.Demand, ContractDemandKw = 450, PowerFactorStandard = null },
            June(), null);
        Assert.Equal((450.0, 47.5), (bill.Basic!.Quantity, bill.Basic.ExcessKw));
        Assert.Equal(545 * 31.0, bill.Basic.Amount, 9);
        Assert.Null(bill.PowerFactor);
    }

    [Theory]
    // 功率因数调整电费表 (83)水电财字第215号, as read in secondary copies: 0.90 standard.
    [InlineData(0.90, 1.00, -0.75)]
    [InlineData(0.90, 0.95, -0.75)]
    [InlineData(0.90, 0.94, -0.60)]
    [InlineData(0.90, 0.91, -0.15)]
    [InlineData(0.90, 0.90, 0.0)]
    [InlineData(0.90, 0.89, 0.5)]
    [InlineData(0.90, 0.75, 7.5)]
    [InlineData(0.90, 0.70, 10.0)]
    [InlineData(0.90, 0.69, 11.0)]
    [InlineData(0.90, 0.65, 15.0)]
    [InlineData(0.90, 0.64, 17.0)]
    // 0.60: 10 % + 5 % + 2 % × 5 = 25 % (the example of a published answer).
    [InlineData(0.90, 0.60, 25.0)]
    // 0.85 standard.
    [InlineData(0.85, 0.94, -1.10)]
    [InlineData(0.85, 0.91, -0.65)]
    [InlineData(0.85, 0.90, -0.5)]
    [InlineData(0.85, 0.86, -0.1)]
    [InlineData(0.85, 0.84, 0.5)]
    [InlineData(0.85, 0.65, 10.0)]
    [InlineData(0.85, 0.60, 15.0)]
    [InlineData(0.85, 0.59, 17.0)]
    // 0.80 standard (the rule as stated; UNVERIFIED as a table).
    [InlineData(0.80, 0.92, -1.30)]
    [InlineData(0.80, 0.91, -1.15)]
    [InlineData(0.80, 0.90, -1.0)]
    [InlineData(0.80, 0.60, 10.0)]
    [InlineData(0.80, 0.55, 15.0)]
    public void PowerFactorTables_AsPublished(double standard, double billed, double percent) =>
        Assert.Equal(percent, PowerFactorAdjustment.Percent(standard, billed), 9);

    [Fact]
    public void Validate_SeasonWithAHole_OverlapAndNoFlatPrice_NamedByVersion()
    {
        var bad = _tariff with
        {
            Versions =
            [
                new TariffVersion { ValidFrom = "2025-01-01", Prices = [new(TouBand.Peak, 1)], Seasons = [new TouSeason { Periods = [new("00:00", "12:00", TouBand.Peak)] }], Source = "x" },
                new TariffVersion { ValidFrom = "2025-01-01", Prices = [new(TouBand.Flat, 1)], Seasons = [new TouSeason { Periods = [new("00:00", "13:00", TouBand.Flat), new("12:00", "24:00", TouBand.Peak)] }] },
            ],
        };
        var errors = ElectricityTariff.Validate(bad);
        Assert.Contains(errors["versions[0]"], e => e.StartsWith("prices: the flat band", StringComparison.Ordinal));
        Assert.Contains(errors["versions[0]"], e => e == "seasons[0]: the periods leave 12:00 without a band; cover the whole day");
        Assert.Contains(errors["versions[1]"], e => e.StartsWith("validFrom: 2025-01-01 is used", StringComparison.Ordinal));
        Assert.Contains(errors["versions[1]"], e => e == "seasons[0]: period 12:00-24:00 overlaps another");
        Assert.Contains(errors["versions[1]"], e => e.StartsWith("source:", StringComparison.Ordinal));
        Assert.Empty(ElectricityTariff.Validate(_tariff));
    }
}
