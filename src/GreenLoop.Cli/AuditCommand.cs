using System.Globalization;
using GreenLoop.Pipeline.Trace.Audit;

namespace GreenLoop.Cli;

/// <summary>
/// <c>greenloop audit verify</c>: checks every tenant's hash chain of the audit trail in the data directory and prints the head
/// hash (keep it elsewhere: a later verify that prints an earlier head proves nothing was cut off the end).
/// <c>greenloop audit list [--limit N]</c>: the newest entries of the default tenant.
/// Exit codes: 0 intact, 4 broken.
/// </summary>
internal static class AuditCommand
{
    public const string Usage = """
        greenloop audit verify [--data DIR]     check the audit trail's hash chain (exit 0 intact, 4 broken)
        greenloop audit list [--limit N] [--data DIR]
        """;

    public static async Task<int> RunAsync(List<string> args, string? data, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var limitText = CliApp.TakeOption(args, "--limit");
        if (args.Count != 1 || args[0] is not ("verify" or "list"))
        {
            await error.WriteLineAsync(Usage);
            return 1;
        }
        await using var platform = await LocalPlatform.OpenAsync(data, ct, readOnly: true);
        var audit = platform.Audit(create: false);
        if (args[0] == "list")
        {
            var limit = int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 50;
            foreach (var e in await audit.ListAsync(platform.TenantId, null, limit, ct))
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{e.Seq,6}  {e.At:yyyy-MM-dd HH:mm:ss}Z  {e.Actor,-16}  {e.Action}  {e.Subject}"));
            return 0;
        }
        var results = await audit.VerifyAllAsync(ct);
        if (results.Count == 0)
        {
            await output.WriteLineAsync("audit trail empty: nothing has been changed through the API yet");
            return 0;
        }
        var intact = true;
        foreach (var (tenant, result) in results)
        {
            if (result.Intact)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"tenant {tenant}: audit trail intact: {result.Entries} entries; head hash {result.HeadHash}"));
                continue;
            }
            intact = false;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"tenant {tenant}: audit trail BROKEN at entry {result.BrokenAt}: {result.Problem}. {result.Entries} entries before it are intact (head {result.HeadHash})."));
        }
        return intact ? 0 : 4;
    }
}
