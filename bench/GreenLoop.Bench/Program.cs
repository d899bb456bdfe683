using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using GreenLoop.Cli;

namespace GreenLoop.Bench;

internal static class Program
{
    private const string Usage = """
        dotnet run -c Release --project bench/GreenLoop.Bench -- micro [BenchmarkDotNet options, e.g. --filter *Deriver*]
        dotnet run -c Release --project bench/GreenLoop.Bench -- e2e [ingest|query|all] [greenloop bench options]
        dotnet run -c Release --project bench/GreenLoop.Bench -- profile [meters=200] [days=2] [FULL|NORMAL] [derive every N batches=4]
        """;

    private static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("micro" or "e2e" or "profile"))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 1;
        }
        if (args[0] == "profile") return await PipelineProfile.RunAsync(args[1..]);
        if (args[0] == "e2e") return await BenchCommand.RunAsync(args.Skip(1).ToList(), Console.Out, Console.Error, CancellationToken.None);

        // A short job, run in this process: a few seconds per benchmark instead of a separate build and minutes of
        // pilot runs; enough to compare changes on the same machine, not for publishing nanoseconds.
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithWarmupCount(2).WithIterationCount(5).WithLaunchCount(1).WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.JoinSummary);
        var rest = args.Skip(1).ToArray();
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest.Length == 0 ? ["--filter", "*"] : rest, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 2 : 0;
    }
}
