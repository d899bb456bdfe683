using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using GreenLoop.Connectors.Modbus;
using GreenLoop.Domain.Model;
using GreenLoop.Pipeline;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Storage.Sqlite;

namespace GreenLoop.Cli.Bench;

/// <summary>
/// <c>greenloop bench modbus</c>: how many Modbus points per second GreenLoop's own client reads and decodes from
/// the pymodbus simulator (scripts/modbus-sim.py) on this machine, against a baseline measured in the same run: the
/// same requests as pre-encoded frames on a bare socket, answers read but not checked or decoded. The simulator (a
/// Python process) is the bottleneck of both; the in-process figure (frames parsed and decoded from memory) shows
/// what the client itself costs. Optionally each poll also goes through ingest into a temporary SQLite store.
/// </summary>
internal static class ModbusBenchmark
{
    public const string Usage = """
        greenloop bench modbus [--points N] [--seconds S] [--ingest] [--sim PATH] [--keep]

          --points N    float32 points polled (default 1000, 1..20000): areas of 50 values (100 registers) with
                        10 unused registers between areas, so one request per area
          --seconds S   measured seconds of each phase (default 5, 1..60); the whole run is bounded by 4 x S + 60 s
          --ingest      also send every poll through IngestService into a temporary SQLite store (one meter per point)
          --sim PATH    the simulator script (default: scripts/modbus-sim.py in a folder above this one or the program)
          --keep        keep the temporary folder (its path is printed)
        """;

    private const int PointsPerArea = 50;
    private const int AreaGap = 10;

    public static async Task<int> RunAsync(List<string> args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Remove("-h") || args.Remove("--help"))
        {
            await output.WriteLineAsync(Usage);
            return 0;
        }
        var keep = args.Remove("--keep");
        var ingest = args.Remove("--ingest");
        int points = 1000, seconds = 5;
        string? problem = null;
        if (CliApp.TakeOption(args, "--points") is { } p && !(int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out points) && points is >= 1 and <= 20_000))
            problem = $"--points must be a whole number from 1 to 20000, not '{p}'";
        if (CliApp.TakeOption(args, "--seconds") is { } s && !(int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out seconds) && seconds is >= 1 and <= 60))
            problem = $"--seconds must be a whole number from 1 to 60, not '{s}'";
        var script = CliApp.TakeOption(args, "--sim") ?? FindScript();
        if (problem is null && args.Count > 0) problem = $"unknown option '{args[0]}'";
        if (problem is null && (script is null || !File.Exists(script)))
            problem = "scripts/modbus-sim.py not found; run from the repository or give --sim PATH";
        if (problem is null && !File.Exists(Python)) problem = $"{Python} not found; install Debian's python3-pymodbus (see scripts/test.sh)";
        if (problem is not null)
        {
            await error.WriteLineAsync($"error: {problem}\n\n{Usage}");
            return 1;
        }

        var clock = TimeProvider.System;
        var folder = Path.Combine(Path.GetTempPath(), "greenloop-bench-modbus-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        await output.WriteLineAsync(Invariant($"greenloop bench modbus — {clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, data in {folder}"));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds((4 * seconds) + 60));
        try
        {
            return await RunInAsync(folder, script!, points, TimeSpan.FromSeconds(seconds), ingest, output, clock, limit.Token) ? 0 : 3;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            await output.WriteLineAsync(Invariant($"   TIME LIMIT of {(4 * seconds) + 60} s reached; the figures above are all there is"));
            return 3;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (keep) await output.WriteLineAsync($"kept {folder}");
            else
            {
                try { Directory.Delete(folder, recursive: true); }
                catch (IOException ex) { await error.WriteLineAsync($"warning: could not delete {folder}: {ex.Message}"); }
            }
        }
    }

    private const string Python = "/usr/bin/python3";

    private static async Task<bool> RunInAsync(string folder, string script, int pointCount, TimeSpan phase, bool ingest, TextWriter output, TimeProvider clock, CancellationToken ct)
    {
        var (settings, registers, expected) = Workload(pointCount);
        var contentsPath = Path.Combine(folder, "registers.json");
        await File.WriteAllTextAsync(contentsPath, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["size"] = new Dictionary<string, int> { ["holding"] = registers.Length },
            ["holding"] = new Dictionary<string, int[]> { ["0"] = registers },
        }), ct);
        await using var sim = await Simulator.StartAsync(script, contentsPath, ct);
        var poller = new ModbusPoller(ModbusSettings.Parse(settings.Replace("{port}", sim.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        var blocks = poller.Blocks;
        await output.WriteLineAsync(Invariant($"== modbus: {pointCount:N0} float32 points (both word orders) in {blocks.Count} requests of up to {blocks.Max(b => b.Count)} registers, pymodbus {await sim.VersionAsync(ct)} on 127.0.0.1:{sim.Port}, {phase.TotalSeconds:0} s per phase"));

        using var client = new ModbusTcpClient("127.0.0.1", sim.Port, TimeSpan.FromSeconds(5), clock);
        var connect = await client.ConnectAsync(ct);
        if (connect.Status != ModbusStatus.Ok) throw new InvalidOperationException(connect.Detail);

        // Correctness first: one poll must give every point's known value.
        var first = await poller.PollAsync(client, ct);
        var wrong = Enumerable.Range(0, pointCount).Count(i => !poller.WasRead(i) || poller.Value(i) != expected[i]);
        await output.WriteLineAsync(Invariant($"   check: one poll, {first.Answered} of {blocks.Count} requests answered, {pointCount - wrong:N0} of {pointCount:N0} values as written -> {(wrong == 0 && first.Failure is null ? "ok" : "WRONG")}"));
        if (wrong > 0 || first.Failure is not null) return false;

        var (rawRequests, rawPoints, rawTime, frames) = await RawBaselineAsync(sim.Port, poller, phase, ct);
        var rawRate = rawPoints / rawTime.TotalSeconds;
        await output.WriteLineAsync(Invariant($"   raw round trips (pre-encoded frames, answers not checked or decoded): {rawRequests:N0} requests in {rawTime.TotalSeconds:0.00} s = {rawRequests / rawTime.TotalSeconds:N0} requests/s, {rawRate:N0} points/s  <- the baseline"));

        var (requests, decoded, time, failures) = await ClientPhaseAsync(client, poller, phase, ct);
        var rate = decoded / time.TotalSeconds;
        await output.WriteLineAsync(Invariant($"   GreenLoop client (frames checked, every point decoded): {requests:N0} requests in {time.TotalSeconds:0.00} s = {requests / time.TotalSeconds:N0} requests/s, {rate:N0} points/s decoded ({rate / rawRate:P1} of raw); {failures} failed polls"));

        var (parsed, parseTime) = ParseInProcess(poller, frames, phase / 5);
        await output.WriteLineAsync(Invariant($"   in process, no I/O (the same frames checked and decoded from memory): {parsed / parseTime.TotalSeconds:N0} points/s, {parsed / parseTime.TotalSeconds / rawRate:N0} x the simulator's rate"));

        if (ingest)
        {
            var (ingested, ingestTime, accepted) = await IngestPhaseAsync(folder, client, poller, phase, clock, ct);
            await output.WriteLineAsync(Invariant($"   with ingest (IngestService into SQLite, one batch per poll): {ingested:N0} readings in {ingestTime.TotalSeconds:0.00} s = {ingested / ingestTime.TotalSeconds:N0} points/s ({ingested / ingestTime.TotalSeconds / rawRate:P1} of raw); {accepted:N0} accepted"));
            if (accepted != ingested) return false;
        }
        return failures == 0;
    }

    /// <summary>
    /// Settings (port left as "{port}"), the holding-register contents, and each point's expected value. Point k is
    /// float32 k x 0.25 (exact in single precision), high word first for even k and low word first for odd k.
    /// </summary>
    private static (string Settings, int[] Registers, double[] Expected) Workload(int count)
    {
        var areas = (count + PointsPerArea - 1) / PointsPerArea;
        var registers = new int[(areas * ((2 * PointsPerArea) + AreaGap))];
        var expected = new double[count];
        var points = new List<object>(count);
        for (var k = 0; k < count; k++)
        {
            var address = ((k / PointsPerArea) * ((2 * PointsPerArea) + AreaGap)) + (2 * (k % PointsPerArea));
            var value = k * 0.25f;
            var bits = BitConverter.SingleToUInt32Bits(value);
            var little = k % 2 == 1;
            registers[address] = (int)(little ? bits & 0xFFFF : bits >> 16);
            registers[address + 1] = (int)(little ? bits >> 16 : bits & 0xFFFF);
            expected[k] = value;
            points.Add(new { meter = MeterKey(k), function = 3, address, addressBase = 0, type = "float32", wordOrder = little ? "little" : "big" });
        }
        var settings = JsonSerializer.Serialize(new { host = "127.0.0.1", port = 0, pollSeconds = 1, timeoutMs = 5000, maxGapRegisters = 0, points });
        return (settings.Replace("\"port\":0", "\"port\":{port}", StringComparison.Ordinal), registers, expected);
    }

    private static string MeterKey(int k) => Invariant($"bench.modbus.p{k:D5}");

    /// <summary>The same requests, pre-encoded, on a bare socket: send, read the header, read the rest; nothing checked.</summary>
    private static async Task<(long Requests, long Points, TimeSpan Time, byte[][] Frames)> RawBaselineAsync(int port, ModbusPoller poller, TimeSpan phase, CancellationToken ct)
    {
        var blocks = poller.Blocks;
        var requests = blocks.Select((b, i) =>
        {
            var frame = new byte[ModbusFrame.ReadRequestLength];
            ModbusFrame.WriteReadRequest(frame, b.Request(poller.Settings.UnitId), (ushort)i);
            return frame;
        }).ToArray();
        var frames = new byte[blocks.Count][];
        var buffer = new byte[ModbusFrame.MaxFrameLength];
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", port, ct);
        long count = 0, points = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < phase)
        {
            for (var b = 0; b < requests.Length; b++)
            {
                await socket.SendAsync(requests[b], SocketFlags.None, ct);
                await ReceiveExactlyAsync(socket, buffer.AsMemory(0, ModbusFrame.HeaderLength), ct);
                var rest = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(4)) - 1;
                await ReceiveExactlyAsync(socket, buffer.AsMemory(ModbusFrame.HeaderLength, rest), ct);
                frames[b] ??= buffer.AsSpan(0, ModbusFrame.HeaderLength + rest).ToArray();
                count++;
                points += blocks[b].Points.Count;
            }
        }
        return (count, points, watch.Elapsed, frames);
    }

    private static async Task<(long Requests, long Points, TimeSpan Time, int FailedPolls)> ClientPhaseAsync(ModbusTcpClient client, ModbusPoller poller, TimeSpan phase, CancellationToken ct)
    {
        long requests = 0, points = 0;
        var failed = 0;
        var checksum = 0.0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < phase)
        {
            var summary = await poller.PollAsync(client, ct);
            requests += summary.Answered;
            if (summary.Failure is not null)
            {
                failed++;
                await client.ConnectAsync(ct);
                continue;
            }
            for (var i = 0; i < poller.Settings.Points.Count; i++)
            {
                checksum += poller.Value(i);
                points++;
            }
        }
        GC.KeepAlive(checksum);
        return (requests, points, watch.Elapsed, failed);
    }

    /// <summary>The client's own cost: the captured answers checked by <see cref="ModbusFrame"/> and every point decoded, from memory.</summary>
    private static (long Points, TimeSpan Time) ParseInProcess(ModbusPoller poller, byte[][] frames, TimeSpan duration)
    {
        var data = new byte[ModbusFrame.MaxPduLength];
        var settings = poller.Settings;
        long points = 0;
        var checksum = 0.0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            for (var b = 0; b < frames.Length; b++)
            {
                var block = poller.Blocks[b];
                var result = ModbusFrame.ParseReadResponse(frames[b], block.Request(settings.UnitId), (ushort)b, data);
                if (result.Status != ModbusStatus.Ok) throw new InvalidOperationException($"captured frame {b}: {result.Detail}");
                for (var k = 0; k < block.Points.Count; k++)
                {
                    var (index, offset) = block.Points[k];
                    var p = settings.Points[index];
                    checksum += p.Apply(ModbusDecoder.DecodeRegisters(data.AsSpan(offset * 2, p.Width * 2), p.Type, p.WordOrder, p.ByteOrder));
                }
                points += block.Points.Count;
            }
        }
        GC.KeepAlive(checksum);
        return (points, watch.Elapsed);
    }

    private static async Task<(long Readings, TimeSpan Time, long Accepted)> IngestPhaseAsync(string folder, ModbusTcpClient client, ModbusPoller poller, TimeSpan phase, TimeProvider clock, CancellationToken ct)
    {
        var settings = poller.Settings;
        await using var store = new SqliteStore(new SqliteStoreOptions { Path = Path.Combine(folder, "greenloop.db") });
        await store.MigrateAsync(ct);
        var tenant = await store.EnsureTenantAsync("default", "default", ct);
        var catalog = new MeterCatalog(store, clock);
        var signal = new DerivationSignal();
        var ingest = new IngestService(store, catalog, signal, clock);
        var site = new SiteDefinition
        {
            Key = "benchmodbus", Name = "Modbus benchmark", TimeZone = "Asia/Shanghai",
            Meters = settings.Points.Select(p => new MeterDefinition
            {
                Key = p.Meter, Name = p.Meter, Quantity = MeterQuantity.ProcessVariable, Carrier = "bench_value", Unit = "1", Kind = MeterKind.Instantaneous,
            }).ToList(),
        };
        var applied = await new SiteService(store, catalog, signal, clock).ApplyAsync(tenant, site, ct);
        if (applied.Result is null) throw new InvalidOperationException("the benchmark site does not validate: " + string.Join("; ", applied.Errors.Select(e => e.Path + ": " + e.Reason)));

        long readings = 0, accepted = 0;
        var batch = new List<ReadingInput>(settings.Points.Count);
        var last = DateTimeOffset.MinValue;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < phase)
        {
            // Polls faster than a millisecond apart would share an instant; the store keeps milliseconds.
            var instant = clock.GetUtcNow();
            if (instant.ToUnixTimeMilliseconds() <= last.ToUnixTimeMilliseconds()) instant = last.AddMilliseconds(1);
            last = instant;
            var summary = await poller.PollAsync(client, ct);
            if (summary.Failure is not null) throw new InvalidOperationException(summary.Failure.Value.Detail);
            batch.Clear();
            for (var i = 0; i < settings.Points.Count; i++) batch.Add(new ReadingInput(settings.Points[i].Meter, instant, poller.Value(i)));
            var result = await ingest.IngestAsync(tenant, new IngestRequest(batch, "modbus:bench"), ct);
            readings += batch.Count;
            accepted += result.Accepted;
        }
        return (readings, watch.Elapsed, accepted);
    }

    private static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken ct)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer[total..], SocketFlags.None, ct);
            if (n == 0) throw new IOException("the simulator closed the connection");
            total += n;
        }
    }

    private static string? FindScript()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "scripts", "modbus-sim.py");
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>scripts/modbus-sim.py on 127.0.0.1 and a free port; killed on dispose (and it exits when its stdin closes).</summary>
    private sealed class Simulator(Process process, int port) : IAsyncDisposable
    {
        public int Port { get; } = port;

        public static async Task<Simulator> StartAsync(string script, string contentsPath, CancellationToken ct)
        {
            var start = new ProcessStartInfo(Python)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                ArgumentList = { script, "--port", "0", "--registers-file", contentsPath },
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Python}");
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line?.Split(' ') is not ["listening", "127.0.0.1", var portText])
                    throw new InvalidOperationException($"modbus-sim.py said '{line}' instead of 'listening 127.0.0.1 <port>'");
                return new Simulator(process, int.Parse(portText, CultureInfo.InvariantCulture));
            }
            catch
            {
                process.Kill(entireProcessTree: true);
                process.Dispose();
                throw;
            }
        }

        /// <summary>The pymodbus version the simulator runs, asked through a second short Python process.</summary>
        public async Task<string> VersionAsync(CancellationToken ct)
        {
            var start = new ProcessStartInfo(Python, ["-c", "import pymodbus; print(pymodbus.__version__)"]) { RedirectStandardOutput = true, UseShellExecute = false };
            using var version = Process.Start(start);
            if (version is null) return "?";
            var text = await version.StandardOutput.ReadToEndAsync(ct);
            await version.WaitForExitAsync(ct);
            return text.Trim();
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            process.Dispose();
        }
    }
}
