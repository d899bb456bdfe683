using System.Globalization;
using GreenLoop.Cli.Bench;

namespace GreenLoop.Cli;

/// <summary><c>greenloop bench</c>: the end-to-end benchmarks (see bench/README.md).</summary>
internal static class BenchCommand
{
    public static async Task<int> RunAsync(List<string> args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Count > 0 && args[0] is "-h" or "--help")
        {
            await output.WriteLineAsync(BenchOptions.Usage);
            return 0;
        }
        if (args.Count > 0 && args[0] == "report") return await ReportBenchmark.RunAsync(args.Skip(1).ToList(), output, error, ct);
        if (args.Count > 0 && args[0] == "alarms") return await AlarmLatencyBenchmark.RunAsync(args.Skip(1).ToList(), output, error, ct);
        if (args.Count > 0 && args[0] == "modbus") return await ModbusBenchmark.RunAsync(args.Skip(1).ToList(), output, error, ct);
        if (args.Count > 0 && args[0] == "mqtt") return await MqttBenchmark.RunAsync(args.Skip(1).ToList(), output, error, ct);
        var (options, problem) = BenchOptions.Parse(args);
        if (options is null)
        {
            await error.WriteLineAsync($"error: {problem}\n\n{BenchOptions.Usage}");
            return 1;
        }

        var clock = TimeProvider.System;
        var folder = Path.Combine(Path.GetTempPath(), "greenloop-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"greenloop bench {options.Mode} — {clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, data in {folder}"));
        var ok = true;
        try
        {
            if (options.Mode is "ingest" or "all")
                ok &= await WithinLimitAsync(options, output, c => new IngestBenchmark(options, output, clock).RunAsync(Path.Combine(folder, "ingest"), c), ct);
            if (options.Mode is "query" or "all")
                ok &= await WithinLimitAsync(options, output, c => new QueryBenchmark(options, output, clock).RunAsync(folder, c), ct);
        }
        finally
        {
            if (options.Keep)
            {
                await output.WriteLineAsync($"kept {folder}");
            }
            else
            {
                try { Directory.Delete(folder, recursive: true); }
                catch (IOException ex) { await error.WriteLineAsync($"warning: could not delete {folder}: {ex.Message}"); }
            }
        }
        return ok ? 0 : 3;
    }

    /// <summary>Runs one benchmark under the hard time limit; the benchmark reports what it measured before the limit.</summary>
    private static async Task<bool> WithinLimitAsync(BenchOptions options, TextWriter output, Func<CancellationToken, Task<bool>> run, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(options.TimeLimit);
        try
        {
            return await run(limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // Stages that print their own partial figures catch the limit themselves; this is for the rest (set-up, queries).
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"   TIME LIMIT of {options.TimeLimit.TotalMinutes:0} min reached; the figures above are all there is"));
            return false;
        }
    }
}
