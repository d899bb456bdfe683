using GreenLoop.Cli.Import;
using GreenLoop.Connectors.Import;
using GreenLoop.Testing;

namespace GreenLoop.Cli.Tests.Import;

/// <summary>The summary the <c>greenloop import</c> command prints after an import.</summary>
public sealed class ImportSummaryPrinterTests
{
    [Fact]
    public async Task Run_SummaryPrinted_CountsSpanSumsAndIssues()
    {
        const string csv = """
            time,value
            2024-01-01T00:15:00+08:00,1.5
            2024-01-01T00:30:00+08:00,
            """;
        var result = await ImportHarness.RunAsync(csv, new ImportOptions { Meter = "m1" });
        using var output = new StringWriter();

        ImportSummaryPrinter.Print(output, result);

        var text = output.ToString();
        Assert.Contains("Accepted 接受", text, StringComparison.Ordinal);
        Assert.Contains("2024-01-01T00:15:00+08:00 .. 2024-01-01T00:15:00+08:00", text, StringComparison.Ordinal);
        Assert.Contains("Sum 合计 m1", text, StringComparison.Ordinal);
        Assert.Contains("row 3 [value]: empty value; gaps are not zero | 2024-01-01T00:30:00+08:00,", text, StringComparison.Ordinal);
    }
}
