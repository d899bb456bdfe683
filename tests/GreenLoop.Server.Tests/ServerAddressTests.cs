using System.Diagnostics;
using System.Text;
using GreenLoop.Testing;

namespace GreenLoop.Server.Tests;

/// <summary>
/// The server program of the README's run command (GreenLoop.Server.dll, as a separate process) started with each
/// documented way of choosing its address — none (the default), <c>--urls</c>, the <c>Urls</c> setting and
/// <c>ASPNETCORE_URLS</c> — found listening there; and its data file where the README says: <c>./data/greenloop.db</c>
/// in the folder it runs in.
/// </summary>
public sealed class ServerAddressTests
{
    private static async Task<(string Output, bool Answered)> RunAsync(string folder, string url, string[] args, IReadOnlyDictionary<string, string> env)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "GreenLoop.Server.dll");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (var arg in (string[])[dll, "--GreenLoop:Demo:Enabled=false", "--GreenLoop:Connectors:Enabled=false", .. TestCredentials.Arguments, .. args])
            info.ArgumentList.Add(arg);
        // The test runner's own settings must not choose for the server.
        foreach (var name in new[] { "ASPNETCORE_URLS", "URLS", "ASPNETCORE_HTTP_PORTS", "DOTNET_URLS" })
            info.Environment.Remove(name);
        foreach (var (name, value) in env)
            info.Environment[name] = value;
        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        Assert.True(process.Start());
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            // Waits for the server to answer /health at the address (or to exit): the test's outcome, not a failure.
            var answered = false;
            await Wait.UntilAsync(async () =>
            {
                if (process.HasExited) return true;
                try
                {
                    using var health = await client.GetAsync(new Uri(new Uri(url), "/health"));
                    return answered = health.IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, () => $"the server to answer at {url}:\n{Text(output)}", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
            if (answered)
            {
                // The start-up lines follow the host's start.
                await Wait.UntilAsync(() => Task.FromResult(Text(output).Contains("Data: ", StringComparison.Ordinal)), () => Text(output), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
                return (Text(output), true);
            }
            return (Text(output), false);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static string Text(StringBuilder sb)
    {
        lock (sb) return sb.ToString();
    }

    private static readonly Dictionary<string, string> _noEnv = [];

    [Fact]
    public async Task CommandLineUrls_ListensThere()
    {
        using var folder = new TemporaryFolder("address-cli");
        var url = $"http://127.0.0.1:{Ports.Free()}";

        var (output, answered) = await RunAsync(folder.Path, url, ["--urls", url], _noEnv);

        Assert.True(answered, output);
        Assert.Contains($"GreenLoop is running at {url}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AspNetCoreUrlsEnvironmentVariable_ListensThere()
    {
        using var folder = new TemporaryFolder("address-env");
        var url = $"http://127.0.0.1:{Ports.Free()}";

        var (output, answered) = await RunAsync(folder.Path, url, [], new Dictionary<string, string> { ["ASPNETCORE_URLS"] = url });

        Assert.True(answered, output);
        Assert.Contains($"GreenLoop is running at {url}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UrlsSetting_ListensThere()
    {
        using var folder = new TemporaryFolder("address-setting");
        var url = $"http://127.0.0.1:{Ports.Free()}";

        // The Urls key of appsettings.json, given as its environment variable.
        var (output, answered) = await RunAsync(folder.Path, url, [], new Dictionary<string, string> { ["Urls"] = url });

        Assert.True(answered, output);
        Assert.Contains($"GreenLoop is running at {url}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoAddressConfigured_ListensOnTheDefault_AndKeepsItsDataInDataBelowTheWorkingFolder()
    {
        Assert.False(await Ports.AcceptsAsync(5080), "something already listens on 127.0.0.1:5080 (a GreenLoop started by hand?): stop it and run the tests again");
        using var folder = new TemporaryFolder("address-default");

        var (output, answered) = await RunAsync(folder.Path, GreenLoopServer.DefaultUrls, [], _noEnv);

        Assert.True(answered, output);
        Assert.Equal("http://127.0.0.1:5080", GreenLoopServer.DefaultUrls);
        Assert.Contains("GreenLoop is running at http://127.0.0.1:5080", output, StringComparison.Ordinal);
        var file = Path.Combine(folder.Path, "data", "greenloop.db");
        Assert.True(File.Exists(file), output);
        Assert.Contains($"Data: {file}", output, StringComparison.Ordinal);
    }
}
