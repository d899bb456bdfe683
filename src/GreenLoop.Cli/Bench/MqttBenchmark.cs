using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using GreenLoop.Connectors;
using GreenLoop.Connectors.Mqtt;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Storage.Sqlite;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace GreenLoop.Cli.Bench;

/// <summary>
/// <c>greenloop bench mqtt</c>: readings per second from an MQTT publisher through a real mosquitto broker and the MQTT
/// connector into a real SQLite store (durable: counted when the ingest transaction has committed), once with one
/// reading per message and once with many; each against a baseline measured in the same run with the same messages:
/// the broker delivering to a plain MQTTnet subscriber that only counts. Bounded in readings and in time.
/// </summary>
internal static class MqttBenchmark
{
    public const string Usage = """
        greenloop bench mqtt [options]

          --readings N        readings per stage (default 200000, 1000..5000000)
          --meters N          cumulative meters in the site (default 200, 1..10000)
          --per-message M     readings per message in the batched stage, format values (default 100, 2..1000, <= meters)
          --inflight N        MQTT 5 Receive Maximum of the connector and the baseline subscriber (default 2000, 1..65535)
          --window N          QoS 1 publishes the publisher keeps outstanding (default 20, 1..1000)
          --flush-readings N  connector setting flushReadings (default 5000, 1..100000)
          --flush-ms N        connector setting flushMilliseconds (default 200, 10..10000)
          --sync FULL|NORMAL  SQLite synchronous mode (default FULL)
          --seconds S         time limit per stage (default 300, 10..3600); a stage over it reports what it got
          --keep              keep the databases (their folder is printed)
        needs mosquitto (/usr/sbin/mosquitto or on PATH); it listens on 127.0.0.1 and a free port only
        """;

    private sealed record Options(int Readings, int Meters, int PerMessage, int Inflight, int Window, string Sync, TimeSpan Limit, bool Keep, int FlushReadings = 5000, int FlushMs = 200);

    private sealed record Stage(string Name, int Messages, long Readings, TimeSpan Published, TimeSpan Done, bool Complete, string Note);

    private readonly record struct Message(string Topic, byte[] Payload, int Readings);

    public static async Task<int> RunAsync(List<string> args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Contains("-h") || args.Contains("--help"))
        {
            await output.WriteLineAsync(Usage);
            return 0;
        }
        var (o, problem) = Parse(args);
        if (o is null)
        {
            await error.WriteLineAsync($"error: {problem}\n\n{Usage}");
            return 1;
        }
        var folder = Path.Combine(Path.GetTempPath(), "greenloop-bench-mqtt-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            await using var broker = await Mosquitto.StartAsync(folder, ct);
            var steps = Math.Max(1, o.Readings / o.Meters);
            var clock = TimeProvider.System;
            var start = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date.AddDays(-(steps * 60 / 86_400) - 2), TimeSpan.Zero);
            var workload = new BenchWorkload("bench", o.Meters, Math.Clamp(o.Meters / 50, 1, 8), mixedCarriers: false, start.ToUnixTimeMilliseconds(), steps, 60);
            var total = (long)steps * o.Meters;
            await output.WriteLineAsync(Invariant($"greenloop bench mqtt — {clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {broker.Version}"));
            await output.WriteLineAsync(Invariant($"   {o.Meters} cumulative meters x {steps} one-minute steps = {total:N0} readings per stage; QoS 1; SQLite synchronous={o.Sync}; connector inflight {o.Inflight}, flush {o.FlushMs} ms / {o.FlushReadings} readings; publisher window {o.Window}"));

            var single = Messages(workload, 1);
            var batched = Messages(workload, o.PerMessage);
            await output.WriteLineAsync(Invariant($"   payloads: {single.Count:N0} messages of 1 reading ({single.Sum(m => (long)m.Payload.Length) / 1048576.0:0.0} MB), {batched.Count:N0} messages of up to {o.PerMessage} ({batched.Sum(m => (long)m.Payload.Length) / 1048576.0:0.0} MB); generated before timing"));

            var stages = new List<Stage>
            {
                await BaselineAsync("broker -> counting subscriber, 1 reading/msg", broker.Port, single, o, ct),
                await ConnectorAsync("broker -> connector -> SQLite, 1 reading/msg", broker.Port, single, workload, Path.Combine(folder, "single"), o, ct),
                await BaselineAsync(Invariant($"broker -> counting subscriber, {o.PerMessage} readings/msg"), broker.Port, batched, o, ct),
                await ConnectorAsync(Invariant($"broker -> connector -> SQLite, {o.PerMessage} readings/msg"), broker.Port, batched, workload, Path.Combine(folder, "batched"), o, ct),
            };
            await PrintAsync(output, stages);
            return stages.All(s => s.Complete) ? 0 : 3;
        }
        finally
        {
            if (o.Keep) await output.WriteLineAsync($"kept {folder}");
            else
            {
                try { Directory.Delete(folder, recursive: true); }
                catch (IOException ex) { await error.WriteLineAsync($"warning: could not delete {folder}: {ex.Message}"); }
            }
        }
    }

    /// <summary>The same messages to a subscriber that only counts: what the broker and the publisher manage on this machine.</summary>
    private static async Task<Stage> BaselineAsync(string name, int port, List<Message> messages, Options o, CancellationToken ct)
    {
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        long received = 0, readings = 0;
        var perTopic = messages.GroupBy(m => m.Topic).ToDictionary(g => g.Key, g => g.First().Readings);
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            Interlocked.Add(ref readings, perTopic.GetValueOrDefault(e.ApplicationMessage.Topic));
            Interlocked.Increment(ref received);
            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("bench-baseline-" + Guid.NewGuid().ToString("N")[..8])
            .WithProtocolVersion(MqttProtocolVersion.V500).WithReceiveMaximum((ushort)o.Inflight).WithCleanSession(true).Build(), ct);
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("bench/#", MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
        var (published, done, complete) = await PublishAndWaitAsync(port, messages, o, () => Interlocked.Read(ref received) >= messages.Count, ct);
        await subscriber.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), ct);
        return new Stage(name, messages.Count, Interlocked.Read(ref readings), published, done, complete, "");
    }

    /// <summary>The connector in front of a fresh SQLite store with the site applied; done when every reading is committed.</summary>
    private static async Task<Stage> ConnectorAsync(string name, int port, List<Message> messages, BenchWorkload workload, string folder, Options o, CancellationToken ct)
    {
        var clock = TimeProvider.System;
        await using var store = new SqliteStore(new SqliteStoreOptions { Path = Path.Combine(folder, "greenloop.db"), Synchronous = o.Sync });
        await store.MigrateAsync(ct);
        var tenant = await store.EnsureTenantAsync("default", "default", ct);
        var catalog = new MeterCatalog(store, clock);
        var signal = new DerivationSignal();
        var ingest = new IngestService(store, catalog, signal, clock);
        var applied = await new SiteService(store, catalog, signal, clock).ApplyAsync(tenant, workload.Site(), ct);
        if (applied.Result is null) throw new InvalidOperationException("the benchmark site does not apply: " + string.Join("; ", applied.Errors.Select(e => e.Reason)));

        var settings = Invariant($$"""
            {"host":"127.0.0.1","port":{{port}},"clientId":"bench-connector-{{Guid.NewGuid():N}}","cleanSession":true,"inflight":{{o.Inflight}},"flushReadings":{{o.FlushReadings}},"flushMilliseconds":{{o.FlushMs}},
             "subscriptions":[{"topic":"bench/r","format":"reading"},{"topic":"bench/v/+","format":"values","valuesField":"values"}]}
            """);
        var factory = new MqttConnectorFactory();
        var errors = factory.Validate(settings);
        if (errors.Count > 0) throw new InvalidOperationException("benchmark settings: " + string.Join("; ", errors));
        var health = new SourceHealth("bench", "mqtt", 1);
        var context = new ConnectorContext(tenant, "bench", (request, token) => ingest.IngestAsync(tenant, request, token), health, NullLogger.Instance, clock);
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => factory.Create(settings).RunAsync(context, stop.Token), CancellationToken.None);
        var connected = Stopwatch.StartNew();
        while (health.State != SourceState.Connected)
        {
            if (connected.Elapsed > TimeSpan.FromSeconds(30)) throw new InvalidOperationException($"the connector did not connect: {health.Snapshot().StateDetail}");
            await Task.Delay(10, ct);
        }

        var expected = messages.Sum(m => (long)m.Readings);
        var (published, done, complete) = await PublishAndWaitAsync(port, messages, o, () => health.Snapshot().Accepted >= expected, ct);
        await stop.CancelAsync();
        await running;

        // Check against the store itself, not the connector's counters.
        var stored = 0L;
        foreach (var meter in (await store.LoadMetersAsync(tenant, ct)).Values) stored += await store.CountReadingsAsync(new MeterId(meter.Id), ct);
        var quarantined = await store.CountQuarantineAsync(tenant, null, ct);
        var status = health.Snapshot();
        var note = Invariant($"store holds {stored:N0} of {expected:N0}, {quarantined} quarantined, problems: {(status.Problems.Count == 0 ? "none" : string.Join(", ", status.Problems.Select(p => $"{p.Key}={p.Value}")))}");
        return new Stage(name, messages.Count, status.Accepted, published, done, complete && stored == expected && quarantined == 0, note);
    }

    /// <summary>Publishes every message (QoS 1, a window of outstanding publishes) and polls <paramref name="done"/> until it holds or the limit passes.</summary>
    private static async Task<(TimeSpan Published, TimeSpan Done, bool Complete)> PublishAndWaitAsync(int port, List<Message> messages, Options o, Func<bool> done, CancellationToken ct)
    {
        using var publisher = new MqttClientFactory().CreateMqttClient();
        // MQTT 3.1.1: mosquitto tells 5.0 publishers a Receive Maximum of 20, which would cap the window.
        await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("bench-publisher-" + Guid.NewGuid().ToString("N")[..8])
            .WithProtocolVersion(MqttProtocolVersion.V311).WithCleanSession(true).Build(), ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(o.Limit);
        using var window = new SemaphoreSlim(o.Window);
        var failures = 0;
        var watch = Stopwatch.StartNew();
        var publishedAt = TimeSpan.Zero;
        try
        {
            var pending = new List<Task>(o.Window);
            foreach (var m in messages)
            {
                await window.WaitAsync(limit.Token);
                var message = new MqttApplicationMessageBuilder().WithTopic(m.Topic).WithPayload(m.Payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                pending.Add(PublishOneAsync(publisher, message, window, () => Interlocked.Increment(ref failures), limit.Token));
                if (pending.Count >= 4096) pending.RemoveAll(t => t.IsCompleted);
            }
            await Task.WhenAll(pending);
            publishedAt = watch.Elapsed;
            while (!done())
            {
                await Task.Delay(5, limit.Token);
            }
            if (failures > 0) throw new InvalidOperationException($"{failures} publishes failed");
            return (publishedAt, watch.Elapsed, true);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (publishedAt == TimeSpan.Zero ? watch.Elapsed : publishedAt, watch.Elapsed, false);
        }
        finally
        {
            if (publisher.IsConnected) await publisher.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }
    }

    private static async Task PublishOneAsync(IMqttClient publisher, MqttApplicationMessage message, SemaphoreSlim window, Action failed, CancellationToken ct)
    {
        try
        {
            var result = await publisher.PublishAsync(message, ct);
            if (!result.IsSuccess) failed();
        }
        finally
        {
            window.Release();
        }
    }

    /// <summary>One reading per message (format reading) or one time step of <paramref name="perMessage"/> meters per message (format values).</summary>
    private static List<Message> Messages(BenchWorkload w, int perMessage)
    {
        var list = new List<Message>();
        var buffer = new ArrayBufferWriter<byte>(perMessage * 32 + 64);
        for (var s = 0; s < w.Steps; s++)
        {
            for (var first = 0; first < w.Meters; first += perMessage)
            {
                buffer.ResetWrittenCount();
                var count = Math.Min(perMessage, w.Meters - first);
                using (var json = new Utf8JsonWriter(buffer))
                {
                    json.WriteStartObject();
                    if (perMessage == 1)
                    {
                        json.WriteString("meter", w.MeterKey(first));
                        json.WriteString("ts", w.TsText(s));
                        json.WriteNumber("value", w.Register(first, s));
                    }
                    else
                    {
                        json.WriteString("ts", w.TsText(s));
                        json.WriteStartObject("values");
                        for (var m = first; m < first + count; m++) json.WriteNumber(w.MeterKey(m), w.Register(m, s));
                        json.WriteEndObject();
                    }
                    json.WriteEndObject();
                }
                var topic = perMessage == 1 ? "bench/r" : Invariant($"bench/v/{first / perMessage}");
                list.Add(new Message(topic, buffer.WrittenSpan.ToArray(), count));
            }
        }
        return list;
    }

    private static async Task PrintAsync(TextWriter output, List<Stage> stages)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync(Invariant($"   {"stage",-52} {"messages",10} {"readings",10} {"published s",12} {"done s",8} {"readings/s",12} {"msgs/s",9} {"of baseline",12}"));
        Stage? baseline = null;
        foreach (var s in stages)
        {
            var rate = s.Readings / s.Done.TotalSeconds;
            var ratio = baseline is null || s.Name.StartsWith("broker -> counting", StringComparison.Ordinal) ? "" : Invariant($"{rate / (baseline.Readings / baseline.Done.TotalSeconds):P0}");
            await output.WriteLineAsync(Invariant($"   {s.Name,-52} {s.Messages,10:N0} {s.Readings,10:N0} {s.Published.TotalSeconds,12:0.00} {s.Done.TotalSeconds,8:0.00} {rate,12:N0} {s.Messages / s.Done.TotalSeconds,9:N0} {ratio,12}{(s.Complete ? "" : "  INCOMPLETE")}"));
            if (s.Note.Length > 0) await output.WriteLineAsync($"      {s.Note}");
            if (s.Name.StartsWith("broker -> counting", StringComparison.Ordinal)) baseline = s;
        }
        await output.WriteLineAsync("   published s: until the broker acknowledged the last publish; done s: until the last reading was received (baseline) or committed to SQLite (connector)");
    }

    private static (Options?, string?) Parse(List<string> args)
    {
        var o = new Options(200_000, 200, 100, 2000, 20, "FULL", TimeSpan.FromSeconds(300), false);
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--keep")
            {
                o = o with { Keep = true };
                continue;
            }
            if (i + 1 >= args.Count) return (null, $"unknown option or missing value: '{a}'");
            var v = args[++i];
            int Int(int min, int max) => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : -1;
            (Options? Next, string Range) r = a switch
            {
                "--readings" => (Int(1000, 5_000_000) is var n1 and > 0 ? o with { Readings = n1 } : null, "1000..5000000"),
                "--meters" => (Int(1, 10_000) is var n2 and > 0 ? o with { Meters = n2 } : null, "1..10000"),
                "--per-message" => (Int(2, 1000) is var n3 and > 0 ? o with { PerMessage = n3 } : null, "2..1000"),
                "--inflight" => (Int(1, 65_535) is var n4 and > 0 ? o with { Inflight = n4 } : null, "1..65535"),
                "--window" => (Int(1, 1000) is var n5 and > 0 ? o with { Window = n5 } : null, "1..1000"),
                "--seconds" => (Int(10, 3600) is var n6 and > 0 ? o with { Limit = TimeSpan.FromSeconds(n6) } : null, "10..3600"),
                "--flush-readings" => (Int(1, 100_000) is var n7 and > 0 ? o with { FlushReadings = n7 } : null, "1..100000"),
                "--flush-ms" => (Int(10, 10_000) is var n8 and > 0 ? o with { FlushMs = n8 } : null, "10..10000"),
                "--sync" => (v.ToUpperInvariant() is "FULL" or "NORMAL" ? o with { Sync = v.ToUpperInvariant() } : null, "FULL or NORMAL"),
                _ => (null, ""),
            };
            if (r.Next is null) return (null, r.Range.Length == 0 ? $"unknown option '{a}'" : $"{a} must be {r.Range}, not '{v}'");
            o = r.Next;
        }
        if (o.PerMessage > o.Meters) return (null, "--per-message must not exceed --meters (a message holds one value per meter)");
        return (o, null);
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>A mosquitto process for the benchmark: 127.0.0.1, a free port, a temporary configuration, killed on dispose.</summary>
    private sealed class Mosquitto : IAsyncDisposable
    {
        private readonly Process _process;

        private Mosquitto(Process process, int port, string version)
        {
            _process = process;
            Port = port;
            Version = version;
        }

        public int Port { get; }
        public string Version { get; }

        public static async Task<Mosquitto> StartAsync(string folder, CancellationToken ct)
        {
            var path = File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }
            // No queue limit: the publisher may run ahead of a slow subscriber; with the default 1000 the broker would drop.
            var config = Path.Combine(folder, "mosquitto.conf");
            await File.WriteAllTextAsync(config, Invariant($"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\n"), ct);
            var start = new ProcessStartInfo(path, ["-c", config]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");
            var log = new StringBuilder();
            process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var watch = Stopwatch.StartNew();
            while (true)
            {
                if (process.HasExited) throw new InvalidOperationException($"mosquitto exited with {process.ExitCode}: {log}");
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port, ct);
                    break;
                }
                catch (SocketException) when (watch.Elapsed < TimeSpan.FromSeconds(20))
                {
                    await Task.Delay(50, ct);
                }
            }
            string version;
            lock (log) version = log.ToString().Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("version", StringComparison.OrdinalIgnoreCase)) ?? "mosquitto";
            // Lines start with a Unix time stamp: "1795456626: mosquitto version 2.0.11 starting".
            version = version[(version.IndexOf(": ", StringComparison.Ordinal) + 1)..].Trim();
            return new Mosquitto(process, port, version.Length > 80 ? version[..80] : version);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) _process.Kill();
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
