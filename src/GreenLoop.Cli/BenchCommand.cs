namespace GreenLoop.Cli;

/// <summary><c>greenloop bench</c>: the end-to-end benchmark (see bench/README.md).</summary>
internal static class BenchCommand
{
    public static async Task<int> RunAsync(List<string> args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        await error.WriteLineAsync("bench: not wired yet");
        return 1;
    }
}
