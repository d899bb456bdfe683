namespace GreenLoop.Cli.Tests;

/// <summary>What one run of the command line returned: its exit code, standard output and standard error.</summary>
internal sealed record CliRun(int Exit, string Output, string Error);

/// <summary>Runs <c>greenloop</c> in this process (<see cref="CliApp.RunAsync"/>) with its output and errors captured.</summary>
internal static class CommandLine
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error, CancellationToken.None);
        return new CliRun(exit, output.ToString(), error.ToString());
    }
}
