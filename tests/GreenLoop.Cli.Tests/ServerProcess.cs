using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using GreenLoop.Testing;

namespace GreenLoop.Cli.Tests;

/// <summary>
/// The real <c>greenloop serve</c> as a separate process (greenloop.dll from this test's output folder, which holds
/// the CLI because the test project references it), on a free 127.0.0.1 port, demo plant off. Provisioned with
/// <see cref="TestCredentials"/> (its client acts with the administrator key), or started as an operator would on first
/// install: no initial password and no bootstrap key configured.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan _startTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private bool _disposed;

    private ServerProcess(Process process, Uri address, bool provisioned)
    {
        _process = process;
        Address = address;
        // No cookies: each sign-in is a fresh visitor's (a signed-in caller's POST would need the page's token).
        Client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        if (provisioned) Client.DefaultRequestHeaders.Add("X-Api-Key", TestCredentials.AdminKey);
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Console-logger lines at Error or Critical level ("fail:" and "crit:").</summary>
    public IReadOnlyList<string> ErrorLines =>
        Output.Split('\n').Where(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal)).ToList();

    /// <summary>
    /// Starts the server on <paramref name="dataDirectory"/> and returns once it printed that it runs (after every
    /// start-up task, the first-start password included) and answers <c>GET /health</c>.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, bool provisioned = true)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "greenloop.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing");
        var address = new Uri($"http://127.0.0.1:{Ports.Free()}");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        string[] args = [dll, "serve", "--urls", address.ToString().TrimEnd('/'), "--data", dataDirectory, "--GreenLoop:Demo:Enabled=false", .. provisioned ? TestCredentials.Arguments : []];
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["DOTNET_NOLOGO"] = "1";
        var process = new Process { StartInfo = info };
        var server = new ServerProcess(process, address, provisioned);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        Assert.True(process.Start());
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Wait.UntilAsync(server.ReadyAsync, () => $"the server to start and answer /health:\n{server.Output}", _startTimeout, TimeSpan.FromMilliseconds(50));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>The answer to a sign-in with a user name and password (and the organisation, if given).</summary>
    public async Task<HttpStatusCode> SignInStatusAsync(string user, string password, string? tenant = null)
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName = user, password, tenant });
        return response.StatusCode;
    }

    /// <summary>Kills the process and everything it started, as a power cut or the OOM killer would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await KillAsync();
        Client.Dispose();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>The CLI prints "GreenLoop is running at" once the host started; then /health must answer.</summary>
    private async Task<bool> ReadyAsync()
    {
        if (_process.HasExited) throw new InvalidOperationException($"the server exited with {_process.ExitCode}:\n{Output}");
        if (!Output.Contains("GreenLoop is running at", StringComparison.Ordinal)) return false;
        try
        {
            using var response = await Client.GetAsync("/health");
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
