using GreenLoop.Connectors.Import;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Testing;

namespace GreenLoop.Connectors.Tests.Import;

public sealed class FileImporterTests
{
    private static readonly TimeSpan _plus8 = TimeSpan.FromHours(8);

    [Fact]
    public async Task Read_IsoStampsWithOffsets_KeepTheirInstantAndOffset()
    {
        const string csv = """
            time,value
            2024-03-01T00:15:00+08:00,1.5
            2024-03-01T00:30:00Z,2
            2024-03-01 00:45:00.5-05:00,3
            2024-03-01T01:00+0530,4
            """;
        var harness = new ImportHarness();

        var result = await harness.ImportCsvAsync(csv, new ImportOptions { Meter = "m1" });

        Assert.Empty(result.Issues);
        Assert.Equal(
            [
                new ReadingInput("m1", new DateTimeOffset(2024, 3, 1, 0, 15, 0, _plus8), 1.5),
                new ReadingInput("m1", new DateTimeOffset(2024, 3, 1, 0, 30, 0, TimeSpan.Zero), 2),
                new ReadingInput("m1", new DateTimeOffset(2024, 3, 1, 0, 45, 0, 500, TimeSpan.FromHours(-5)), 3),
                new ReadingInput("m1", new DateTimeOffset(2024, 3, 1, 1, 0, 0, new TimeSpan(5, 30, 0)), 4),
            ],
            harness.Stored);
        Assert.Equal([TimeSpan.FromHours(8), TimeSpan.Zero, TimeSpan.FromHours(-5), new TimeSpan(5, 30, 0)], harness.Stored.Select(r => r.Ts.Offset));
        Assert.Equal(4, result.Summary.Accepted);
    }

    [Fact]
    public async Task Read_StampsInYear1AndYear9999_RejectedWithTheirRow_TheRestImported()
    {
        const string csv = """
            time,value
            2024-03-01 00:15,1
            0001-01-01 00:00,2
            2024-03-01 00:30,3
            9999-12-31 23:00,4
            2024-03-01 00:45,5
            """;
        var harness = new ImportHarness();

        var result = await harness.ImportCsvAsync(csv, new ImportOptions { Meter = "m1", TimeZone = "Asia/Shanghai" });

        Assert.Equal([1d, 3d, 5d], harness.Stored.Select(r => r.Value));
        Assert.Equal([3, 5], result.Issues.Select(i => i.Row));
        Assert.All(result.Issues, i => Assert.Equal("time", i.Field));
        Assert.Contains("0001-01-01 00:00 is before 2000-01-01", result.Issues[0].Reason, StringComparison.Ordinal);
        Assert.Contains("9999-12-31 23:00 is more than a day ahead", result.Issues[1].Reason, StringComparison.Ordinal);
        Assert.Equal(3, result.Summary.Accepted);
    }

    [Fact]
    public async Task Read_IsoStampWithoutOffsetAndNoZone_RejectedAskingForZone()
    {
        const string csv = """
            time,value
            2024-03-01T00:15:00,1.5
            """;

        var result = await ImportHarness.RunAsync(csv, new ImportOptions { Meter = "m1" });

        var issue = Assert.Single(result.Issues);
        Assert.Equal(2, issue.Row);
        Assert.Equal("time", issue.Field);
        Assert.Contains("no UTC offset", issue.Reason, StringComparison.Ordinal);
        Assert.Contains("--tz", issue.Reason, StringComparison.Ordinal);
        Assert.Equal("2024-03-01T00:15:00,1.5", issue.RawLine);
    }

    [Fact]
    public async Task Read_DayMonthYearWithTimeZone_PlacedInThatZone()
    {
        // Asia/Shanghai is UTC+8 all year: 31/12/2023 23:45 local = 2023-12-31T15:45Z.
        const string csv = """
            date,kwh
            31/12/2023 23:45,1.25
            01/01/2024 00:00,2.5
            1/1/2024 0:15,3
            """;
        var harness = new ImportHarness();
        var options = new ImportOptions { Meter = "m1", DateFormats = ["dd/MM/yyyy HH:mm", "d/M/yyyy H:mm"], TimeZone = "Asia/Shanghai" };

        var result = await harness.ImportCsvAsync(csv, options);

        Assert.Empty(result.Issues);
        Assert.Equal(
            [
                new DateTimeOffset(2023, 12, 31, 23, 45, 0, _plus8),
                new DateTimeOffset(2024, 1, 1, 0, 0, 0, _plus8),
                new DateTimeOffset(2024, 1, 1, 0, 15, 0, _plus8),
            ],
            harness.Stored.Select(r => r.Ts));
        Assert.Equal(new DateTimeOffset(2023, 12, 31, 15, 45, 0, TimeSpan.Zero), harness.Stored[0].Ts);
        Assert.All(harness.Stored, r => Assert.Equal(_plus8, r.Ts.Offset));
    }

    [Fact]
    public async Task Read_UnreadableStamp_RejectedNamingTheExpectedFormat()
    {
        const string csv = """
            date,kwh
            2018-01-01 00:15,1
            32/01/2018 00:30,2
            ,3
            """;

        var result = await ImportHarness.RunAsync(csv, new ImportOptions { Meter = "m1", DateFormats = ["dd/MM/yyyy HH:mm"], TimeZone = "Asia/Seoul" });

        Assert.Equal(3, result.Summary.Rejected);
        Assert.Equal(0, result.Summary.Accepted);
        Assert.Equal("cannot read '2018-01-01 00:15' as a timestamp; expected dd/MM/yyyy HH:mm", result.Issues[0].Reason);
        Assert.Equal("cannot read '32/01/2018 00:30' as a timestamp; expected dd/MM/yyyy HH:mm", result.Issues[1].Reason);
        Assert.Equal("empty timestamp", result.Issues[2].Reason);
        Assert.Equal([2, 3, 4], result.Issues.Select(i => i.Row));
    }

    [Fact]
    public async Task Read_BerlinSpringForwardGap_LocalTimeRejected()
    {
        // 2024-03-31 in Europe/Berlin: at 02:00 CET (+01:00) clocks jump to 03:00 CEST (+02:00); 02:00-02:59 do not exist.
        const string csv = """
            ts,kwh
            2024-03-31 01:45,1
            2024-03-31 02:30,2
            2024-03-31 03:00,3
            """;
        var harness = new ImportHarness();

        var result = await harness.ImportCsvAsync(csv, new ImportOptions { Meter = "m1", DateFormats = ["yyyy-MM-dd HH:mm"], TimeZone = "Europe/Berlin" });

        var issue = Assert.Single(result.Issues);
        Assert.Equal(3, issue.Row);
        Assert.Equal("local time 2024-03-31 02:30 does not exist in Europe/Berlin (skipped by the daylight-saving change)", issue.Reason);
        Assert.Equal(
            [new DateTimeOffset(2024, 3, 31, 1, 45, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2024, 3, 31, 3, 0, 0, TimeSpan.FromHours(2))],
            harness.Stored.Select(r => r.Ts));
        Assert.Equal(new DateTimeOffset(2024, 3, 31, 1, 0, 0, TimeSpan.Zero), harness.Stored[1].Ts); // 00:45Z then 01:00Z
    }

    [Fact]
    public async Task Read_BerlinFallBackHour_AmbiguousTimesResolvedInFileOrder()
    {
        // 2024-10-27 in Europe/Berlin: at 03:00 CEST (+02:00) clocks go back to 02:00 CET (+01:00); 02:00-02:59 happen
        // twice. First occurrence = CEST (earlier instant), the repeat = CET (one hour later).
        const string csv = """
            ts,kwh
            2024-10-27 01:45,1
            2024-10-27 02:00,2
            2024-10-27 02:30,3
            2024-10-27 02:00,4
            2024-10-27 02:30,5
            2024-10-27 03:00,6
            """;
        var harness = new ImportHarness();

        var result = await harness.ImportCsvAsync(csv, new ImportOptions { Meter = "m1", DateFormats = ["yyyy-MM-dd HH:mm"], TimeZone = "Europe/Berlin" });

        Assert.Empty(result.Issues);
        var cest = TimeSpan.FromHours(2);
        var cet = TimeSpan.FromHours(1);
        Assert.Equal(
            [
                new DateTimeOffset(2024, 10, 27, 1, 45, 0, cest), // 2024-10-26T23:45Z
                new DateTimeOffset(2024, 10, 27, 2, 0, 0, cest),  // 00:00Z
                new DateTimeOffset(2024, 10, 27, 2, 30, 0, cest), // 00:30Z
                new DateTimeOffset(2024, 10, 27, 2, 0, 0, cet),   // 01:00Z
                new DateTimeOffset(2024, 10, 27, 2, 30, 0, cet),  // 01:30Z
                new DateTimeOffset(2024, 10, 27, 3, 0, 0, cet),   // 02:00Z
            ],
            harness.Stored.Select(r => r.Ts));
        Assert.Equal([cest, cest, cest, cet, cet, cet], harness.Stored.Select(r => r.Ts.Offset));
        Assert.Equal(new DateTimeOffset(2024, 10, 27, 1, 0, 0, TimeSpan.Zero), harness.Stored[3].Ts);
    }

    [Fact]
    public async Task Read_AmbiguousTimeThreeTimes_ThirdIsADuplicateStamp()
    {
        const string csv = """
            ts,kwh
            2024-10-27 02:30,1
            2024-10-27 02:30,2
            2024-10-27 02:30,3
            """;

        var result = await ImportHarness.RunAsync(csv, new ImportOptions { Meter = "m1", DateFormats = ["yyyy-MM-dd HH:mm"], TimeZone = "Europe/Berlin" });

        Assert.Equal(2, result.Summary.Accepted);
        var issue = Assert.Single(result.Issues);
        Assert.Equal(4, issue.Row);
        Assert.StartsWith("duplicate stamp in file (row 3)", issue.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_EmptyValue_RejectedAsGapNotZero()
    {
        const string csv = """
            time,value
            2024-01-01T00:15:00+08:00,1
            2024-01-01T00:30:00+08:00,
            2024-01-01T00:45:00+08:00," "
            2024-01-01T01:00:00+08:00,4
            """;
        var harness = new ImportHarness();

        var result = await harness.ImportCsvAsync(csv, new ImportOptions { Meter = "m1" });

        Assert.Equal(4, result.Summary.Values);
        Assert.Equal(2, result.Summary.Accepted);
        Assert.Equal(2, result.Summary.Rejected);
        Assert.All(result.Issues, i => Assert.Equal("empty value; gaps are not zero", i.Reason));
        Assert.Equal([3, 4], result.Issues.Select(i => i.Row));
        Assert.Equal("value", result.Issues[0].Field);
        Assert.Equal([1.0, 4.0], harness.Stored.Select(r => r.Value));
        Assert.Equal(5.0, result.Summary.SumByMeter["m1"]);
    }

    [Fact]
    public async Task Read_NonFiniteValues_Rejected()
    {
        const string csv = """
            time,value
            2024-01-01T00:15:00+08:00,NaN
            2024-01-01T00:30:00+08:00,Infinity
            2024-01-01T00:45:00+08:00,-Infinity
            2024-01-01T01:00:00+08:00,1e400
            2024-01-01T01:15:00+08:00,12kWh
            2024-01-01T01:30:00+08:00,7
            """;
        var harness = new ImportHarness();

        var result = await harness.ImportCsvAsync(csv, new ImportOptions { Meter = "m1" });

        Assert.Equal(
            [
                "'NaN' is not a finite number",
                "'Infinity' is not a finite number",
                "'-Infinity' is not a finite number",
                "'1e400' is not a finite number",
                "cannot read '12kWh' as a number (decimal separator '.', no thousands separators)",
            ],
            result.Issues.Select(i => i.Reason));
        Assert.Equal(7.0, Assert.Single(harness.Stored).Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(';')]
    public async Task Read_DecimalCommaWithSemicolons_ValuesRead(char? delimiter)
    {
        // Quoted "1.234,5" must not be read as 1.2345 or 1234.5: thousands separators are refused.
        const string csv = """
            Zeit;Wirkarbeit kWh
            2024-01-01T00:15:00+01:00;1,25
            2024-01-01T00:30:00+01:00;"0,75"
            2024-01-01T00:45:00+01:00;-2,5e1
            2024-01-01T01:00:00+01:00;"1.234,5"
            """;
        var harness = new ImportHarness();
        var options = new ImportOptions { Meter = "m1", ValueColumn = "Wirkarbeit kWh", DecimalSeparator = ',', Delimiter = delimiter };

        var result = await harness.ImportCsvAsync(csv, options);

        Assert.Equal([1.25, 0.75, -25.0], harness.Stored.Select(r => r.Value));
        var issue = Assert.Single(result.Issues);
        Assert.Equal(5, issue.Row);
        Assert.Equal("cannot read '1.234,5' as a number (decimal separator ',', no thousands separators)", issue.Reason);
        Assert.Equal(-23.0, result.Summary.SumByMeter["m1"]); // 1.25 + 0.75 - 25
    }

    [Fact]
    public async Task Read_WideFileWithTwoMappedColumns_EachValueToItsMeter()
    {
        const string csv = """
            time,a_kwh,b_kwh,note
            2024-01-01T00:15:00+08:00,1.5,2.5,x
            2024-01-01T00:30:00+08:00,,3.5,y
            2024-01-01T00:45:00+08:00,1.0,abc,z
            2024-01-01T01:00:00+08:00,2.0
            """;
        var harness = new ImportHarness();
        var options = new ImportOptions { Map = [new ColumnMapping("a_kwh", "m.a"), new ColumnMapping("b_kwh", "m.b")] };

        var result = await harness.ImportCsvAsync(csv, options);

        Assert.Equal(4, result.Summary.RowsRead);
        Assert.Equal(8, result.Summary.Values);
        Assert.Equal(5, result.Summary.Accepted);
        Assert.Equal(3, result.Summary.Rejected);
        Assert.Equal(
            [(3, "a_kwh", "empty value; gaps are not zero"),
             (4, "b_kwh", "cannot read 'abc' as a number (decimal separator '.', no thousands separators)"),
             (5, "b_kwh", "missing column (the row has 2 fields, this is column 3)")],
            result.Issues.Select(i => (i.Row, i.Field, i.Reason)));
        Assert.Equal(4.5, result.Summary.SumByMeter["m.a"]); // 1.5 + 1.0 + 2.0
        Assert.Equal(6.0, result.Summary.SumByMeter["m.b"]); // 2.5 + 3.5
        Assert.Equal(["m.a", "m.b", "m.b", "m.a", "m.a"], harness.Stored.Select(r => r.Meter));
    }

    [Fact]
    public async Task Read_WideRowWithBadStamp_OneIssueRejectsEveryValue()
    {
        const string csv = """
            time,a,b
            yesterday,1,2
            2024-01-01T00:30:00+08:00,3,4
            """;

        var result = await ImportHarness.RunAsync(csv, new ImportOptions { Map = [new ColumnMapping("a", "m.a"), new ColumnMapping("3", "m.b")] });

        var issue = Assert.Single(result.Issues);
        Assert.Equal("time", issue.Field);
        Assert.Equal(2, result.Summary.Rejected);
        Assert.Equal(2, result.Summary.Accepted);
        Assert.Equal(result.Summary.Values, result.Summary.Accepted + result.Summary.Rejected);
    }

    [Fact]
    public async Task Read_LongFile_MetersFromTheirColumnAndProblemsPerRow()
    {
        const string csv = """
            meter,ts,value
            m1,2024-01-01T00:15:00+08:00,1
            m2,2024-01-01T00:15:00+08:00,2
            m1,2024-01-01T00:30:00+08:00

            ,2024-01-01T00:30:00+08:00,3
            "m2",2024-01-01T00:30:00+08:00,4
            """;
        var harness = new ImportHarness();
        var options = new ImportOptions { MeterColumn = "meter", TimeColumn = "ts", ValueColumn = "value" };

        var result = await harness.ImportCsvAsync(csv, options);

        Assert.Equal(5, result.Summary.RowsRead);
        Assert.Equal(1, result.Summary.BlankLines);
        Assert.Equal(
            [(4, "value", "missing column (the row has 2 fields, this is column 3)"), (6, "meter", "empty meter key")],
            result.Issues.Select(i => (i.Row, i.Field, i.Reason)));
        Assert.Equal(1.0, result.Summary.SumByMeter["m1"]);
        Assert.Equal(6.0, result.Summary.SumByMeter["m2"]);
        Assert.Equal(3, harness.Stored.Count);
    }

    [Fact]
    public async Task Read_StampRepeatedInFile_DifferentValueRejectedEqualValueCountedOnce()
    {
        const string csv = """
            time,value
            2024-01-01T00:15:00+08:00,1
            2024-01-01T00:30:00+08:00,2
            2024-01-01T00:15:00+08:00,1
            2024-01-01T00:30:00+08:00,5
            2024-01-01T00:30:00+09:00,6
            """;
        var harness = new ImportHarness();

        var result = await harness.ImportCsvAsync(csv, new ImportOptions { Meter = "m1" });

        var issue = Assert.Single(result.Issues);
        Assert.Equal(5, issue.Row);
        Assert.Equal("duplicate stamp in file (row 3): m1 at 2024-01-01T00:30:00+08:00 has 2 there and 5 here", issue.Reason);
        Assert.Equal(new ImportDuplicate(4, "value", 2), Assert.Single(result.Duplicates));
        // 00:30+09:00 is 23:30+08:00 the day before: a different instant, accepted.
        Assert.Equal(3, result.Summary.Accepted);
        Assert.Equal(1, result.Summary.DuplicatesInFile);
        Assert.Equal(9.0, result.Summary.SumByMeter["m1"]); // 1 + 2 + 6, the repeated 1 counted once
        Assert.Equal(result.Summary.Values, result.Summary.Accepted + result.Summary.Rejected + result.Summary.DuplicatesInFile);
    }

    [Fact]
    public async Task Read_PeriodBeginningFileForPeriodEndingMeter_ShiftedOneInterval()
    {
        const string csv = """
            time,value
            2024-01-01T00:00:00+08:00,1
            2024-01-01T00:15:00+08:00,2
            """;
        var harness = new ImportHarness();
        var options = new ImportOptions
        {
            Meter = "m1",
            Stamp = Domain.Model.IntervalStamp.PeriodBeginning,
            IntervalMinutes = 15,
            ShiftToMeterConvention = Domain.Model.IntervalStamp.PeriodEnding,
        };

        await harness.ImportCsvAsync(csv, options);

        Assert.Equal(
            [new DateTimeOffset(2024, 1, 1, 0, 15, 0, _plus8), new DateTimeOffset(2024, 1, 1, 0, 30, 0, _plus8)],
            harness.Stored.Select(r => r.Ts));
    }

    [Fact]
    public async Task Read_PeriodBeginningShiftAcrossSpringForward_TakesTheNewOffset()
    {
        // Berlin 2024-03-31 01:45 CET (+01:00) = 00:45Z; +15 min = 01:00Z = 03:00 CEST (+02:00).
        const string csv = """
            time,value
            2024-03-31 01:45,1
            """;
        var harness = new ImportHarness();
        var options = new ImportOptions
        {
            Meter = "m1",
            DateFormats = ["yyyy-MM-dd HH:mm"],
            TimeZone = "Europe/Berlin",
            Stamp = Domain.Model.IntervalStamp.PeriodBeginning,
            IntervalMinutes = 15,
            ShiftToMeterConvention = Domain.Model.IntervalStamp.PeriodEnding,
        };

        await harness.ImportCsvAsync(csv, options);

        var ts = Assert.Single(harness.Stored).Ts;
        Assert.Equal(new DateTimeOffset(2024, 3, 31, 3, 0, 0, TimeSpan.FromHours(2)), ts);
        Assert.Equal(TimeSpan.FromHours(2), ts.Offset);
    }

    [Fact]
    public async Task Read_PeriodEndingFileForPeriodBeginningMeter_ShiftedBack()
    {
        const string csv = """
            time,value
            2024-01-01T00:15:00+08:00,1
            """;
        var harness = new ImportHarness();
        var options = new ImportOptions
        {
            Meter = "m1",
            Stamp = Domain.Model.IntervalStamp.PeriodEnding,
            IntervalMinutes = 15,
            ShiftToMeterConvention = Domain.Model.IntervalStamp.PeriodBeginning,
        };

        await harness.ImportCsvAsync(csv, options);

        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, _plus8), Assert.Single(harness.Stored).Ts);
    }

    [Fact]
    public async Task Read_SameConventionOrNoShiftAsked_StampsUnchanged()
    {
        const string csv = """
            time,value
            2024-01-01T00:15:00+08:00,1
            """;
        var harness = new ImportHarness();

        await harness.ImportCsvAsync(csv, new ImportOptions { Meter = "m1", Stamp = Domain.Model.IntervalStamp.PeriodBeginning, IntervalMinutes = 15 });

        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 15, 0, _plus8), Assert.Single(harness.Stored).Ts);
    }

    [Fact]
    public async Task Read_ManyRows_ProgressReportedUpToTheWholeFile()
    {
        var lines = Enumerable.Range(0, 3000).Select(i => $"{new DateTimeOffset(2024, 1, 1, 0, 0, 0, _plus8).AddMinutes(15 * i):yyyy-MM-dd'T'HH:mm:sszzz},1");
        var csv = "time,value\n" + string.Join("\n", lines) + "\n";
        var progress = new RecordingProgress<ImportProgress>();

        await new ImportHarness().ImportCsvAsync(csv, new ImportOptions { Meter = "m1" }, progress);

        var totalBytes = System.Text.Encoding.UTF8.GetByteCount(csv);
        Assert.Equal([1024L, 2048L, 3000L], progress.Reports.Select(p => p.RowsRead));
        Assert.All(progress.Reports, p => Assert.Equal(totalBytes, p.TotalBytes));
        Assert.Equal([false, false, true], progress.Reports.Select(p => p.Completed));
        Assert.Equal(totalBytes, progress.Reports[^1].BytesRead);
        Assert.Equal(1.0, progress.Reports[^1].Fraction);
        Assert.True(progress.Reports[0].BytesRead <= progress.Reports[1].BytesRead);
    }

    [Fact]
    public async Task Read_QuotedFieldsAndDetectedTabs_Split()
    {
        const string csv = "time\t\"Value \"\"A\"\"\"\n2024-01-01T00:15:00+08:00\t\" 3.5 \"\n2024-01-01T00:30:00+08:00\t\"4\n";
        var harness = new ImportHarness();

        var result = await harness.ImportCsvAsync(csv, new ImportOptions { Meter = "m1", ValueColumn = "Value \"A\"" });

        Assert.Equal(3.5, Assert.Single(harness.Stored).Value);
        var issue = Assert.Single(result.Issues);
        Assert.Equal(3, issue.Row);
        Assert.Equal("unterminated quote (a quoted line break is not supported)", issue.Reason);
    }

    [Fact]
    public async Task Read_SkippedTitleLines_RowNumbersCountThem()
    {
        const string csv = """
            Meter export
            Plant 2
            time,value
            2024-01-01T00:15:00+08:00,x
            """;

        var result = await ImportHarness.RunAsync(csv, new ImportOptions { Meter = "m1", SkipRows = 2 });

        Assert.Equal(4, Assert.Single(result.Issues).Row);
    }

    [Fact]
    public async Task Read_NoHeader_ColumnsByNumber()
    {
        const string csv = """
            2024-01-01T00:15:00+08:00,1,2
            2024-01-01T00:30:00+08:00,3,4
            """;
        var harness = new ImportHarness();

        var result = await harness.ImportCsvAsync(csv, new ImportOptions { Meter = "m1", ValueColumn = "3", HasHeader = false });

        Assert.Empty(result.Issues);
        Assert.Equal([2.0, 4.0], harness.Stored.Select(r => r.Value));
    }

    [Fact]
    public async Task Run_ColumnNotInHeader_ErrorListsTheColumns()
    {
        const string csv = """
            date,Usage_kWh
            01/01/2018 00:15,3.17
            """;

        var result = await ImportHarness.RunAsync(csv, new ImportOptions { Map = [new ColumnMapping("Usage_kwh_total", "steel.main.kwh")] });

        Assert.False(result.Succeeded);
        Assert.Equal("Column 'Usage_kwh_total' is not in the header. The columns are: 'date', 'Usage_kWh'.", result.Error);
    }

    [Fact]
    public async Task Run_HeaderNameInOtherCase_Found()
    {
        const string csv = """
            DATE,USAGE_KWH
            2024-01-01T00:15:00+08:00,3.17
            """;

        var result = await ImportHarness.RunAsync(csv, new ImportOptions { TimeColumn = "date", Map = [new ColumnMapping("Usage_kWh", "m1")] });

        Assert.Equal(1, result.Summary.Accepted);
    }

    [Fact]
    public async Task RunFile_UnsupportedExtensionOrMissingFile_ErrorNotException()
    {
        var runner = new ImportHarness().Runner();
        var path = Path.Combine(Path.GetTempPath(), $"greenloop-import-{Guid.NewGuid():N}.xls");
        await File.WriteAllTextAsync(path, "x");
        try
        {
            var xls = await runner.RunFileAsync(path, new ImportOptions { Meter = "m1" });
            var missing = await runner.RunFileAsync(path + ".csv", new ImportOptions { Meter = "m1" });
            var badOptions = await runner.RunFileAsync(path, new ImportOptions());

            Assert.Contains("only .csv, .txt, .tsv and .xlsx", xls.Error, StringComparison.Ordinal);
            Assert.StartsWith("File not found", missing.Error, StringComparison.Ordinal);
            Assert.StartsWith("Say which meter", badOptions.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
