using System.Net;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;

namespace GreenLoop.Cli.Tests;

/// <summary>
/// <c>greenloop audit verify</c> (issue 6) beside a real <c>greenloop serve</c> on the same data directory, whose API
/// recorded the changes: an intact trail, and an entry edited in the database file found and named.
/// </summary>
public sealed class AuditCliTests : IDisposable
{
    private readonly TemporaryFolder _data = new("audit-cli");

    public void Dispose() => _data.Dispose();

    private static async Task<JsonElement> GetJsonAsync(ServerProcess server, string url)
    {
        using var response = await server.Client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await Http.JsonAsync(response);
    }

    /// <summary>The server, after three changes through its administrator key: sites one, two and three (audit entries 1, 2 and 3).</summary>
    private async Task<ServerProcess> ThreeChangesAsync()
    {
        var server = await ServerProcess.StartAsync(_data.Path);
        foreach (var site in new[] { "one", "two", "three" })
        {
            using var document = new StringContent($$"""
                {"key":"{{site}}","name":"Site {{site}}","timeZone":"Asia/Shanghai",
                 "meters":[{"key":"{{site}}.main","name":"Main incomer","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding"}]}
                """, Encoding.UTF8, "application/json");
            using var put = await server.Client.PutAsync($"/api/v1/sites/{site}", document);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        return server;
    }

    [Fact]
    public async Task AuditVerifyCli_IntactTrail_Exits0AndPrintsTheHeadHash()
    {
        await using var server = await ThreeChangesAsync();
        var head = (await GetJsonAsync(server, "/api/v1/audit/verify")).GetProperty("headHash").GetString();

        var (exit, output, error) = await CommandLine.RunAsync("audit", "verify", "--data", _data.Path);

        Assert.True(exit == 0, error);
        Assert.Contains($"audit trail intact: 3 entries; head hash {head}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("BROKEN", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerifyCli_EntryEdited_Exits4AndNamesTheEntry()
    {
        await using var server = await ThreeChangesAsync();
        await Database.ExecuteAsync(_data.Path, "UPDATE audit_log SET subject = '/api/v1/sites/elsewhere' WHERE seq = 3");

        var (exit, output, _) = await CommandLine.RunAsync("audit", "verify", "--data", _data.Path);

        Assert.Equal(4, exit);
        Assert.Contains("audit trail BROKEN at entry 3: entry 3 was changed after it was written", output, StringComparison.Ordinal);
        Assert.Contains("2 entries before it are intact", output, StringComparison.Ordinal);
    }
}

/// <summary>Changes made from the command line are in the audit trail like the API's (issue 12, item 7).</summary>
public sealed class CliChangesAuditedTests : IDisposable
{
    private readonly TemporaryFolder _data = new("cli-audited");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task SiteApplyAndImport_EachRecordedWithTheOperatingSystemUser_TrailStaysIntact()
    {
        var site = Path.Combine(_data.Path, "plant.json");
        await File.WriteAllTextAsync(site, """
            {"key":"cli","name":"CLI plant","timeZone":"Asia/Shanghai",
             "meters":[{"key":"cli.main","name":"Main","carrier":"electricity","unit":"kWh","kind":"Cumulative"}]}
            """);
        var csv = Path.Combine(_data.Path, "readings.csv");
        await File.WriteAllTextAsync(csv, "meter,ts,value\ncli.main,2026-03-01T00:15:00+08:00,10\ncli.main,2026-03-01T00:30:00+08:00,12\nnope,2026-03-01T00:30:00+08:00,1\n");
        var data = Path.Combine(_data.Path, "data");

        var apply = await CommandLine.RunAsync("site", "apply", site, "--data", data);
        var import = await CommandLine.RunAsync("import", csv, "--meter-column", "meter", "--time-column", "ts", "--value-column", "value", "--data", data);
        var list = await CommandLine.RunAsync("audit", "list", "--data", data);
        var verify = await CommandLine.RunAsync("audit", "verify", "--data", data);

        Assert.True(apply.Exit == 0, apply.Error);
        Assert.True(import.Exit is 0 or 3, import.Error + import.Output);
        var lines = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var actor = "os:" + Environment.UserName;
        Assert.Contains(lines, l => l.Contains(actor, StringComparison.Ordinal) && l.Contains("CLI site apply  /api/v1/sites/cli", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(actor, StringComparison.Ordinal) && l.Contains("CLI import  import:readings.csv", StringComparison.Ordinal));
        Assert.True(verify.Exit == 0, verify.Output + verify.Error);
        Assert.Contains("audit trail intact: 2 entries", verify.Output, StringComparison.Ordinal);
    }
}
