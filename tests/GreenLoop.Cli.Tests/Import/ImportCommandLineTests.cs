using GreenLoop.Cli.Import;
using GreenLoop.Connectors.Import;
using GreenLoop.Domain.Model;

namespace GreenLoop.Cli.Tests.Import;

public sealed class ImportCommandLineTests
{
    [Fact]
    public void Parse_SteelCommand_OptionsFilled()
    {
        var result = ImportCommandLine.Parse(
            ["import", "steel.csv", "--map", "Usage_kWh=steel.main.kwh", "--format", "dd/MM/yyyy HH:mm", "--tz", "Asia/Seoul", "--repair-midnight", "--site", "gwangyang"]);

        Assert.True(result.Succeeded, result.Error);
        var command = result.Command!;
        Assert.Equal("steel.csv", command.File);
        Assert.Equal("gwangyang", command.Site);
        Assert.Equal([new ColumnMapping("Usage_kWh", "steel.main.kwh")], command.Options.Map);
        Assert.Equal(["dd/MM/yyyy HH:mm"], command.Options.DateFormats);
        Assert.Equal("Asia/Seoul", command.Options.TimeZone);
        Assert.True(command.Options.RepairMidnightStamps);
        Assert.Equal(ImportLayout.Wide, command.Options.Layout);
    }

    [Fact]
    public void Parse_EveryOption_Mapped()
    {
        var result = ImportCommandLine.Parse(
        [
            "data.csv", "--meter-column=Zähler", "--time-column", "Zeit", "--value-column", "kWh", "--format", "dd.MM.yyyy HH:mm",
            "--format", "dd.MM.yyyy H:mm", "--tz", "Europe/Berlin", "--period-beginning", "--interval", "15", "--shift-to", "period-ending",
            "--delimiter", ";", "--decimal", ",", "--skip", "2",
        ]);

        Assert.True(result.Succeeded, result.Error);
        var o = result.Command!.Options;
        Assert.Equal(ImportLayout.Long, o.Layout);
        Assert.Equal(("Zähler", "Zeit", "kWh"), (o.MeterColumn, o.TimeColumn, o.ValueColumn));
        Assert.Equal(["dd.MM.yyyy HH:mm", "dd.MM.yyyy H:mm"], o.DateFormats);
        Assert.Equal(IntervalStamp.PeriodBeginning, o.Stamp);
        Assert.Equal(IntervalStamp.PeriodEnding, o.ShiftToMeterConvention);
        Assert.Equal(15, o.IntervalMinutes);
        Assert.Equal(';', o.Delimiter);
        Assert.Equal(',', o.DecimalSeparator);
        Assert.Equal(2, o.SkipRows);
        Assert.Null(result.Command.Site);
    }

    [Fact]
    public void Parse_TabDelimiterAndFixedMeter_Mapped()
    {
        var result = ImportCommandLine.Parse(["import", "a.tsv", "--meter", "m1", "--delimiter", "tab", "--no-header"]);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal('\t', result.Command!.Options.Delimiter);
        Assert.Equal("m1", result.Command.Options.Meter);
        Assert.False(result.Command.Options.HasHeader);
    }

    [Fact]
    public void Parse_DoubleDashThenFileStartingWithDashes_TakenAsFile()
    {
        var result = ImportCommandLine.Parse(["import", "--tz=UTC", "--meter", "m1", "--", "--odd name.csv"]);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("--odd name.csv", result.Command!.File);
        Assert.Equal("UTC", result.Command.Options.TimeZone);
    }

    [Theory]
    [InlineData(new[] { "import" }, "Which file? Usage: greenloop import FILE [options].")]
    [InlineData(new[] { "a.csv", "b.csv", "--meter", "m" }, "Unexpected argument 'b.csv': only one file can be imported at a time.")]
    [InlineData(new[] { "a.csv", "--meter" }, "--meter needs a value.")]
    [InlineData(new[] { "a.csv", "--meters", "m" }, "Unknown option '--meters'.")]
    [InlineData(new[] { "a.csv", "--meter", "m", "--map", "kWh=m2" }, "Use only one of --meter, --map and --meter-column.")]
    [InlineData(new[] { "a.csv" }, "Say which meter the values belong to: --meter KEY, --map COLUMN=METER or --meter-column NAME.")]
    [InlineData(new[] { "a.csv", "--map", "kWh" }, "--map needs COLUMN=METER (e.g. --map Usage_kWh=steel.main.kwh), not 'kWh'.")]
    [InlineData(new[] { "a.csv", "--meter", "m", "--interval", "quarter" }, "--interval needs a whole number of minutes, not 'quarter'.")]
    [InlineData(new[] { "a.csv", "--meter", "m", "--tz", "Asia/Gwangyang" }, "Unknown time zone 'Asia/Gwangyang' (use an IANA id such as Asia/Shanghai).")]
    [InlineData(new[] { "a.csv", "--meter", "m", "--tz", "Asia/Seoul", "--tz", "UTC" }, "--tz is given twice.")]
    [InlineData(new[] { "a.csv", "--meter", "m", "--period-ending", "--period-beginning" }, "Use either --period-ending or --period-beginning, not both.")]
    [InlineData(new[] { "a.csv", "--meter", "m", "--decimal", ";" }, "--decimal must be . or , not ';'.")]
    [InlineData(new[] { "a.csv", "--meter", "m", "--decimal", ",", "--delimiter", "," }, "',' cannot be the delimiter.")]
    [InlineData(new[] { "a.csv", "--meter", "m", "--format", "Q" }, "'Q' is not a usable date format (e.g. dd/MM/yyyy HH:mm).")]
    [InlineData(new[] { "a.csv", "--meter-column", "meter", "--time-column", "ts" }, "Long format (--meter-column) also needs --value-column.")]
    [InlineData(new[] { "a.csv", "--meter", "m", "--shift-to", "period-ending" },
        "Shifting to the meter's stamp convention needs the file's convention (--period-ending or --period-beginning) and --interval.")]
    [InlineData(new[] { "a.csv", "--meter", "m", "--repair-midnight=yes" }, "--repair-midnight takes no value.")]
    public void Parse_BadArguments_ErrorMessageNoException(string[] args, string error)
    {
        var result = ImportCommandLine.Parse(args);

        Assert.False(result.Succeeded);
        Assert.Null(result.Command);
        Assert.Equal(error, result.Error);
    }
}
