using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace GreenLoop.Testing;

/// <summary>
/// A real mosquitto broker on 127.0.0.1 and a free port, configured in a temporary folder (anonymous, no persistence),
/// and the real <c>mosquitto_pub</c> as the independent publishing client. Killed on dispose.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    public const string Broker = "/usr/sbin/mosquitto";
    public const string Publisher = "mosquitto_pub";
    private static readonly TimeSpan _startTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan _publishTimeout = TimeSpan.FromSeconds(30);

    private readonly string _folder;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private MosquittoBroker(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>What the broker printed, for failure messages.</summary>
    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>Starts a broker; <paramref name="extraConfig"/> lines are added to its configuration.</summary>
    public static async Task<MosquittoBroker> StartAsync(string extraConfig = "")
    {
        var folder = Path.Combine(Path.GetTempPath(), "greenloop-mosquitto-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var port = Ports.Free();
        await File.WriteAllTextAsync(Path.Combine(folder, "mosquitto.conf"), string.Create(CultureInfo.InvariantCulture, $"""
            listener {port} 127.0.0.1
            allow_anonymous true
            persistence false
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            {extraConfig}

            """));
        var broker = new MosquittoBroker(folder, port);
        await broker.RestartAsync();
        return broker;
    }

    /// <summary>(Re)starts the broker on the same port and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("the broker is running");
        var start = new ProcessStartInfo(Broker, ["-c", Path.Combine(_folder, "mosquitto.conf")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        await Wait.UntilAsync(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"mosquitto exited with {process.ExitCode}: {Log}");
            return await Ports.AcceptsAsync(Port);
        }, () => $"mosquitto to listen on port {Port}; its log: {Log}", _startTimeout);
    }

    /// <summary>Kills the broker (no clean shutdown, as a crash or power loss would).</summary>
    public async Task KillAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Publishes with mosquitto_pub and waits until it has delivered (with QoS 1, the broker acknowledged).</summary>
    public Task PublishAsync(string topic, string payload, int qos = 1, bool retain = false) =>
        RunPublisherAsync(["-m", payload], topic, qos, retain);

    /// <summary>Publishes a file's bytes (large or binary payloads) with <c>mosquitto_pub -f</c>.</summary>
    public async Task PublishBytesAsync(string topic, byte[] payload, int qos = 1)
    {
        var file = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".bin");
        await File.WriteAllBytesAsync(file, payload);
        await RunPublisherAsync(["-f", file], topic, qos, retain: false);
    }

    private async Task RunPublisherAsync(string[] body, string topic, int qos, bool retain)
    {
        string[] args = ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-q", qos.ToString(CultureInfo.InvariantCulture), "-t", topic, .. body];
        if (retain) args = [.. args, "-r"];
        var start = new ProcessStartInfo(Publisher, args) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto_pub did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(_publishTimeout);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"mosquitto_pub exited with {process.ExitCode}: {await stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* a temp folder left behind is harmless */ }
    }
}
