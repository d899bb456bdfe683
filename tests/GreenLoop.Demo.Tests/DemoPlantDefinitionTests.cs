using GreenLoop.Domain.Model;

namespace GreenLoop.Demo.Tests;

public sealed class DemoPlantDefinitionTests
{
    private readonly SiteDefinition _site = DemoTestData.Shared.Definition;

    [Fact]
    public void Definition_Validated_HasNoErrors()
    {
        Assert.Empty(SiteDefinitionValidator.Validate(_site));
    }

    [Fact]
    public void Definition_Site_IsTheFoshanTilePlant()
    {
        Assert.Equal("demo", _site.Key);
        Assert.Equal("Asia/Shanghai", _site.TimeZone);
        Assert.Equal("CN-Guangdong", _site.GridRegion);
        Assert.Equal("ceramics", _site.Industry);
        Assert.False(string.IsNullOrWhiteSpace(_site.NameZh));
        Assert.All(_site.Nodes, n => Assert.False(string.IsNullOrWhiteSpace(n.NameZh)));
        Assert.All(_site.Meters, m => Assert.False(string.IsNullOrWhiteSpace(m.NameZh)));
        Assert.All(_site.Meters, m => Assert.True(SiteDefinitionValidator.IsKey(m.Key), m.Key));
    }

    [Fact]
    public void Definition_MainIncomer_CountedAtSiteWithCtMultiplier()
    {
        var main = Meter(DemoMeterKeys.MainElectricity);

        Assert.Null(main.Node);
        Assert.Equal(MeterRole.Counted, main.Role);
        Assert.Equal(MeterKind.Cumulative, main.Kind);
        Assert.Equal("kWh", main.Unit);
        Assert.Equal(40, main.Multiplier);
    }

    [Fact]
    public void Definition_WorkshopElectricityMeters_AreCountedAtTheirWorkshopWithTheIncomerAsParent()
    {
        var feeders = _site.Meters.Where(m => m.Carrier == "electricity" && m.Key != DemoMeterKeys.MainElectricity).ToList();

        Assert.Equal(12, feeders.Count);
        Assert.All(feeders, m =>
        {
            Assert.Equal(MeterRole.Counted, m.Role);
            Assert.Equal(DemoMeterKeys.MainElectricity, m.Parent);
            Assert.NotNull(m.Node);
        });
    }

    [Fact]
    public void Definition_GasSubMeters_AreSubMetersOfTheGasMain()
    {
        var subs = _site.Meters.Where(m => m.Parent == DemoMeterKeys.MainGas).Select(m => m.Key).Order().ToList();

        Assert.Equal([DemoMeterKeys.DryerGas, DemoMeterKeys.Kiln1Gas, DemoMeterKeys.Kiln2Gas, DemoMeterKeys.SprayGas], subs);
        Assert.Null(Meter(DemoMeterKeys.MainGas).Node);
    }

    [Fact]
    public void Definition_Pv_IsItsOwnImportCarrierCountedAtThePvNode()
    {
        var pv = Meter(DemoMeterKeys.PvGeneration);

        Assert.Equal("pv_electricity", pv.Carrier);
        Assert.Equal(MeterDirection.Import, pv.Direction);
        Assert.Equal(MeterRole.Counted, pv.Role);
        Assert.Equal("pv", pv.Node);
        Assert.Equal("polish", _site.Nodes.Single(n => n.Key == "pv").Parent);
    }

    [Fact]
    public void Definition_TileOutput_IsHourlyPeriodEndingProductOutputAtPacking()
    {
        var output = Meter(DemoMeterKeys.TileOutput);

        Assert.Equal(MeterKind.Interval, output.Kind);
        Assert.Equal(60, output.IntervalMinutes);
        Assert.Equal(IntervalStamp.PeriodEnding, output.Stamp);
        Assert.Equal(MeterQuantity.ProductOutput, output.Quantity);
        Assert.Equal("m2", output.Unit);
        Assert.Equal("packing", output.Node);
    }

    [Fact]
    public void Definition_GaugesAndCems_AreInstantaneousWithUnits()
    {
        Assert.All([DemoMeterKeys.Kiln1Temperature, DemoMeterKeys.Kiln2Temperature], k =>
        {
            var m = Meter(k);
            Assert.Equal((MeterKind.Instantaneous, MeterQuantity.ProcessVariable, "kiln_temperature", "degC"), (m.Kind, m.Quantity, m.Carrier, m.Unit));
        });
        Assert.All([DemoMeterKeys.StackSo2, DemoMeterKeys.StackNox, DemoMeterKeys.StackParticulates], k =>
        {
            var m = Meter(k);
            Assert.Equal((MeterKind.Instantaneous, MeterQuantity.Emission, "mg/m3", "kiln-stack"), (m.Kind, m.Quantity, m.Unit, m.Node));
        });
    }

    [Fact]
    public void Definition_PlantedMeterSettings_RolloverAndRateLimit()
    {
        Assert.Equal(1_000_000, Meter(DemoMeterKeys.FreshWater).RolloverAt);
        Assert.Equal(600, Meter(DemoMeterKeys.AirCompressors).MaxRatePerHour);
    }

    [Fact]
    public void Definition_Events_RecordTheDryerGasReplacement40DaysBeforeTheAnchor()
    {
        var e = Assert.Single(_site.Events);

        Assert.Equal(DemoMeterKeys.DryerGas, e.Meter);
        Assert.Equal(MeterEventKind.Replacement, e.Kind);
        Assert.Equal(DemoTestData.Local(40, 10, 37, 25), e.Ts);
        Assert.Equal(TimeSpan.FromHours(8), e.Ts.Offset);
        Assert.Equal(0, e.NewValue);
        Assert.NotNull(e.OldValue);
    }

    [Fact]
    public void AnchorDateOf_DemoDefinition_ReturnsTheAnchor()
    {
        Assert.Equal(DemoTestData.Anchor, DemoPlant.AnchorDateOf(_site));
    }

    [Fact]
    public void AnchorDateOf_DefinitionWithoutTheReplacement_ReturnsNull()
    {
        Assert.Null(DemoPlant.AnchorDateOf(_site with { Events = [] }));
    }

    private MeterDefinition Meter(string key) => _site.Meters.Single(m => m.Key == key);
}
