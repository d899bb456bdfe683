using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace GreenLoop.Testing;

/// <summary>
/// scripts/modbus-sim.py (pymodbus, Debian's python3-pymodbus under /usr/bin/python3) as a child process on
/// 127.0.0.1 and a free port, with known register contents; registers can be changed while it runs, and the process
/// can be frozen (SIGSTOP) and resumed to play a device that stops answering. Killed on dispose.
/// </summary>
public sealed class ModbusSimulator : IAsyncDisposable
{
    private static readonly TimeSpan _startTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan _commandTimeout = TimeSpan.FromSeconds(15);
    private readonly Process _process;
    private readonly SemaphoreSlim _commands = new(1, 1);
    private readonly System.Text.StringBuilder _stderr;

    private ModbusSimulator(Process process, int port, System.Text.StringBuilder stderr)
    {
        _process = process;
        Port = port;
        _stderr = stderr;
    }

    public int Port { get; }
    public int ProcessId => _process.Id;

    /// <summary>Starts the simulator with <paramref name="contents"/> (the JSON documented in the script) and waits until its port accepts connections.</summary>
    public static async Task<ModbusSimulator> StartAsync(object contents)
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "scripts", "modbus-sim.py"));
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add("0");
        start.ArgumentList.Add("--registers");
        start.ArgumentList.Add(JsonSerializer.Serialize(contents));
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        try
        {
            using var timeout = new CancellationTokenSource(_startTimeout);
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            var parts = line?.Split(' ');
            if (parts is not ["listening", "127.0.0.1", var portText])
                throw new InvalidOperationException($"modbus-sim.py said '{line}' instead of 'listening 127.0.0.1 <port>'; stderr: {stderr}");
            var port = int.Parse(portText, CultureInfo.InvariantCulture);
            await Wait.UntilAsync(() => Ports.AcceptsAsync(port), $"modbus-sim.py to listen on port {port}", _startTimeout);
            return new ModbusSimulator(process, port, stderr);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Writes words (or bits) into a table from <paramref name="address"/> on; returns once the simulator has applied them.</summary>
    public Task SetAsync(string table, int address, params int[] values) =>
        CommandAsync(string.Create(CultureInfo.InvariantCulture, $"set {table} {address} {string.Join(' ', values)}"));

    /// <summary>SIGSTOP: the process freezes; the kernel still accepts TCP connections into its backlog, nobody answers.</summary>
    public Task FreezeAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT: the process answers again.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(_commandTimeout);
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
        _commands.Dispose();
    }

    private string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>Register words of a float32 in big-endian word order (ABCD): high word first.</summary>
    public static int[] Float32Words(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        return [(int)(bits >> 16), (int)(bits & 0xFFFF)];
    }

    /// <summary>Register words of an unsigned 32-bit value, high word first.</summary>
    public static int[] UInt32Words(uint value) => [(int)(value >> 16), (int)(value & 0xFFFF)];

    private async Task CommandAsync(string command)
    {
        await _commands.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(_commandTimeout);
            await _process.StandardInput.WriteLineAsync(command.AsMemory(), timeout.Token);
            await _process.StandardInput.FlushAsync(timeout.Token);
            var answer = await _process.StandardOutput.ReadLineAsync(timeout.Token);
            if (answer is null || !answer.StartsWith("ok", StringComparison.Ordinal))
                throw new InvalidOperationException($"modbus-sim.py answered '{answer}' to '{command}'; stderr: {Stderr}");
        }
        finally
        {
            _commands.Release();
        }
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture) } })
            ?? throw new InvalidOperationException("could not run kill");
        using var timeout = new CancellationTokenSource(_commandTimeout);
        await kill.WaitForExitAsync(timeout.Token);
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{signal} {_process.Id} exited with {kill.ExitCode}");
    }
}
