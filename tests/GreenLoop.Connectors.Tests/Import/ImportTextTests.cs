using System.Text.RegularExpressions;
using GreenLoop.Connectors.Import;
using GreenLoop.Testing;

namespace GreenLoop.Connectors.Tests.Import;

/// <summary>
/// The reasons an import gives read in Chinese on the Chinese Import page (issue 12, item 21), and name the page's
/// own control rather than only a command-line flag: a file with one row of each kind of fault, read by the real importer.
/// </summary>
public sealed partial class ImportTextTests
{
    [Fact]
    public async Task EveryReasonOfABadFile_ReadsInChinese_AndNamesThePageControl()
    {
        const string csv = """
            time,value
            2024-03-01 00:15,1
            ,2
            yesterday,3
            0001-01-01 00:00,4
            9999-12-31 23:00,5
            2024-03-01 00:30,
            2024-03-01 00:45,1,5
            2024-03-01 01:00,abc
            2024-03-01 01:15,NaN
            2024-03-01 01:30,7
            2024-03-01 01:30,8
            """;
        var harness = new ImportHarness();

        var result = await harness.ImportCsvAsync(csv, new ImportOptions { Meter = "m1", TimeZone = "Asia/Shanghai" });

        Assert.True(result.Issues.Count >= 8, string.Join("\n", result.Issues.Select(i => $"{i.Row}: {i.Reason}")));
        foreach (var issue in result.Issues)
        {
            var words = Words().Matches(issue.ReasonZh).Select(m => m.Value).Where(w => w is not ("m1" or "ISO" or "NaN" or "abc" or "yesterday") && !IsoTime().IsMatch(w)).ToList();
            Assert.True(words.Count == 0, $"row {issue.Row}: '{issue.ReasonZh}' (from '{issue.Reason}') keeps English words: {string.Join(", ", words)}");
        }
    }

    [Fact]
    public async Task NoTimeZone_TheReasonNamesTheTimeZoneFieldOfThePage_InBothLanguages()
    {
        var harness = new ImportHarness();

        var result = await harness.ImportCsvAsync("time,value\n2024-03-01 00:15,1\n", new ImportOptions { Meter = "m1" });

        var issue = Assert.Single(result.Issues);
        Assert.Contains("Time zone on the Import page", issue.Reason, StringComparison.Ordinal);
        Assert.Contains("请在导入页选择“时区”", issue.ReasonZh, StringComparison.Ordinal);
    }

    [Fact]
    public void Zh_UnknownText_StaysAsItIs() => Assert.Equal("a new reason", ImportText.Zh("a new reason"));

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9]*")]
    private static partial Regex Words();

    // The "T01" of an ISO 8601 instant is not a word.
    [GeneratedRegex(@"^T\d\d$")]
    private static partial Regex IsoTime();
}
