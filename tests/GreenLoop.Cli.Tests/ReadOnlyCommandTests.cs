using GreenLoop.Testing;

namespace GreenLoop.Cli.Tests;

/// <summary>Commands that only read (report, site export, audit) never create a database where there is none.</summary>
public sealed class ReadOnlyCommandTests
{
    public static TheoryData<string[]> ReadingCommands => new()
    {
        new[] { "report", "energy", "--site", "demo", "--period", "2026-10" },
        new[] { "report", "carbon", "--site", "demo", "--period", "2026" },
        new[] { "site", "export", "demo" },
        new[] { "audit", "verify" },
        new[] { "audit", "list" },
    };

    [Theory]
    [MemberData(nameof(ReadingCommands))]
    public async Task ReadingCommand_WithoutADatabase_SaysWhereItLookedAndCreatesNothing(string[] command)
    {
        using var folder = new TemporaryFolder("read-only");
        var data = Path.Combine(folder.Path, "data");

        var run = await CommandLine.RunAsync([.. command, "--data", data]);

        Assert.Equal(2, run.Exit);
        Assert.Contains($"no GreenLoop database at {Path.Combine(data, "greenloop.db")}; nothing was created", run.Error, StringComparison.Ordinal);
        Assert.Contains("--data DIR", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data, "greenloop.db")));
        Assert.False(Directory.Exists(data) && Directory.EnumerateFileSystemEntries(data).Any());
    }
}
