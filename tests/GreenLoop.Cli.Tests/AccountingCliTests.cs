using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Testing;
using static GreenLoop.Testing.AccountingTestPlant;

namespace GreenLoop.Cli.Tests;

/// <summary><c>greenloop report energy|carbon</c> on a local data directory: JSON, table and workbook.</summary>
public sealed class AccountingCliTests : IAsyncLifetime
{
    private const string Site = "demo-like";
    private readonly TemporaryFolder _data = new("report");

    public async Task InitializeAsync()
    {
        var siteFile = Path.Combine(_data.Path, "site.json");
        await File.WriteAllTextAsync(siteFile, SiteJson(Site));
        var apply = await RunAsync("site", "apply", siteFile);
        Assert.True(apply.Exit == 0, apply.Error);
        await using var platform = await LocalPlatform.OpenAsync(_data.Path, CancellationToken.None);
        var readings = Readings(Site, new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 30)).Select(r => new ReadingInput(r.Meter, r.Ts, r.Value)).ToList();
        var result = await platform.Ingest.IngestAsync(platform.TenantId, new IngestRequest(readings, "test"), CancellationToken.None);
        Assert.Equal(readings.Count, result.Accepted);
        await platform.Derivation.RunUntilIdleAsync(CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        _data.Dispose();
        return Task.CompletedTask;
    }

    private Task<CliRun> RunAsync(params string[] args) => CommandLine.RunAsync([.. args, "--data", _data.Path]);

    [Fact]
    public async Task ReportCarbon_FormatJson_ParsesAndEqualsTheServicesReport()
    {
        var run = await RunAsync("report", "carbon", "--site", Site, "--period", "2025-06", "--format", "json");

        Assert.True(run.Exit == 0, run.Error);
        var printed = JsonNode.Parse(run.Output)!;
        await using var platform = await LocalPlatform.OpenAsync(_data.Path, CancellationToken.None);
        var report = await platform.Accounting.CarbonAsync(platform.TenantId, Site, "2025-06", CancellationToken.None);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
        Assert.True(JsonNode.DeepEquals(JsonSerializer.SerializeToNode(report, options), printed), run.Output);
        // 15.5677594248 (gas) + 31.65912 (calcite) + 31.8168 (72 MWh x 0.4419) = 79.0436794248 tCO2e.
        Assert.Equal(79.0436794248, printed["inventory"]!["totalLocation"]!["value"]!.GetValue<double>(), 9);
    }

    [Fact]
    public async Task ReportEnergy_Table_CarrierLinesTotalsVerdictAndFlags()
    {
        var run = await RunAsync("report", "energy", "--site", Site, "--period", "2025-06");

        Assert.True(run.Exit == 0, run.Error);
        var lines = run.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains(lines, l => l.StartsWith("electricity ", StringComparison.Ordinal) && l.Contains("72,000.00", StringComparison.Ordinal) && l.Contains("0.1229 kgce/kWh", StringComparison.Ordinal) && l.Contains("8,848.80", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("natural_gas ", StringComparison.Ordinal) && l.EndsWith("UNVERIFIED", StringComparison.Ordinal));
        Assert.Contains("Total 综合能耗: 17,591.76 kgce = 17.592 tce", lines);
        Assert.Contains("Unit-product energy 单位产品综合能耗: 0.4887 kgce/m2", lines);
        Assert.Contains("Verdict 判定: 1级（先进） / level 1 (most efficient)", lines);
        Assert.Contains("WARNING 警告: uses UNVERIFIED reference values (flagged below); check their sources before filing", lines);
        Assert.Contains("Lock 锁定: not locked 未锁定", lines);
    }

    [Fact]
    public async Task ReportCarbon_Xlsx_WritesTheWorkbook()
    {
        var file = Path.Combine(_data.Path, "out", "carbon.xlsx");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);

        var run = await RunAsync("report", "carbon", "--site", Site, "--period", "2025-06", "--xlsx", file);

        Assert.True(run.Exit == 0, run.Error);
        Assert.StartsWith($"wrote {file} (", run.Output, StringComparison.Ordinal);
        using var book = new XlsxBook(await File.ReadAllBytesAsync(file));
        Assert.Empty(book.ValidationErrors());
        Assert.Equal(47.2268794248, (double)book.Cell("汇总 Summary", "范围一 Scope 1", 1)!, 9);
    }

    [Theory]
    [InlineData(new[] { "report", "water", "--site", Site, "--period", "2025" }, 1, "name the report: energy or carbon")]
    [InlineData(new[] { "report", "energy", "--period", "2025" }, 1, "--site KEY is required")]
    [InlineData(new[] { "report", "energy", "--site", Site, "--period", "2025", "--format", "csv" }, 1, "--format must be table or json")]
    [InlineData(new[] { "report", "energy", "--site", "nowhere", "--period", "2025" }, 2, "no site 'nowhere'")]
    [InlineData(new[] { "report", "energy", "--site", Site, "--period", "25" }, 2, "'25' is not a period")]
    public async Task Report_BadArguments_ExitCodeAndReason(string[] args, int exit, string reason)
    {
        var run = await RunAsync(args);

        Assert.Equal(exit, run.Exit);
        Assert.Contains(reason, run.Error, StringComparison.Ordinal);
    }
}
