using System.Globalization;
using GreenLoop.Pipeline.Meter.Ingest;

namespace GreenLoop.Connectors.Modbus;

/// <summary>
/// Polls one Modbus TCP device: connect (backoff 1 s..60 s with jitter while it cannot), read every block each poll,
/// decode every point, and send the poll's readings — stamped with the instant the poll started — to ingest in one
/// batch. An exception response skips its block's points for that poll; a timeout or bad frame ends the poll and
/// drops the connection; after <see cref="FailuresBeforeDisconnected"/> polls in a row without an answer the source
/// is Disconnected and reconnects with backoff. Never throws for anything the device or network does.
/// </summary>
public sealed partial class ModbusConnector(ModbusSettings settings) : IConnector
{
    /// <summary>Polls in a row without any answer before the source counts as Disconnected.</summary>
    public const int FailuresBeforeDisconnected = 3;

    private readonly ModbusSettings _settings = settings ?? throw new ArgumentNullException(nameof(settings));

    /// <summary>Backoff between reconnection attempts; tests may shorten it.</summary>
    internal ModbusBackoff Backoff { get; init; } = new();

    public async Task RunAsync(ConnectorContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clock = context.Clock;
        var poller = new ModbusPoller(_settings);
        var interval = TimeSpan.FromSeconds(_settings.PollSeconds);
        using var client = new ModbusTcpClient(_settings.Host, _settings.Port, TimeSpan.FromMilliseconds(_settings.TimeoutMs), clock);
        var failures = 0;
        var answering = false;
        context.Health.SetState(SourceState.Connecting, $"connecting to {_settings.Device}", clock.GetUtcNow());
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (!client.IsConnected)
                {
                    var connect = await client.ConnectAsync(ct);
                    if (connect.Status != ModbusStatus.Ok)
                    {
                        failures++;
                        context.ReportProblem(connect.ProblemKind, connect.Detail!);
                        answering = StopAnswering(context, answering, connect.Detail!);
                        await Task.Delay(Backoff.Next(), clock, ct);
                        continue;
                    }
                }

                var started = clock.GetTimestamp();
                var instant = TruncateToMilliseconds(clock.GetUtcNow());
                var summary = await poller.PollAsync(client, ct);
                if (summary.Answered > 0) context.Health.CountMessages(summary.Answered);
                await DeliverAsync(context, poller, instant, ct);

                if (summary.Failure is { } failure)
                {
                    var block = poller.Blocks[summary.FailedBlock];
                    context.ReportProblem(failure.ProblemKind, $"{failure.Detail}; {block.Points.Count} point(s) of this request and the requests after it were not read this poll");
                }
                if (summary.Answered > 0)
                {
                    failures = 0;
                    Backoff.Reset();
                    if (!answering)
                    {
                        answering = true;
                        context.Health.SetState(SourceState.Connected, $"answering at {_settings.Device}", clock.GetUtcNow());
                        LogAnswering(context.Logger, context.SourceName, _settings.Device, _settings.Points.Count, poller.Blocks.Count, _settings.PollSeconds);
                    }
                }
                else if (++failures >= FailuresBeforeDisconnected)
                {
                    client.Close();
                    var why = string.Create(CultureInfo.InvariantCulture, $"no answer to {failures} polls in a row ({summary.Failure?.Detail ?? "no request answered"}); reconnecting with backoff");
                    answering = StopAnswering(context, answering, why);
                    await Task.Delay(Backoff.Next(), clock, ct);
                    continue;
                }

                var elapsed = clock.GetElapsedTime(started);
                if (elapsed < interval) await Task.Delay(interval - elapsed, clock, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped by the supervisor.
        }
    }

    /// <summary>Marks the source Disconnected; logs the moment a device that was answering stops. Returns false.</summary>
    private bool StopAnswering(ConnectorContext context, bool answering, string why)
    {
        context.Health.SetState(SourceState.Disconnected, why, context.Clock.GetUtcNow());
        if (answering) LogStoppedAnswering(context.Logger, context.SourceName, _settings.Device, why);
        return false;
    }

    /// <summary>Sends the poll's readings (and its non-finite values, to quarantine) in one batch; counts exception responses.</summary>
    private async Task DeliverAsync(ConnectorContext context, ModbusPoller poller, DateTimeOffset instant, CancellationToken ct)
    {
        var points = _settings.Points;
        var readings = new List<ReadingInput>(points.Count);
        List<RejectedRow>? unreadable = null;
        string? ts = null;
        for (var b = 0; b < poller.Blocks.Count; b++)
        {
            var block = poller.Blocks[b];
            var result = poller.BlockResult(b);
            if (result.Status == ModbusStatus.Exception)
            {
                context.ReportProblem(result.ProblemKind, ExceptionMessage(block, result.ExceptionCode));
                continue;
            }
            if (result.Status != ModbusStatus.Ok) continue;
            for (var k = 0; k < block.Points.Count; k++)
            {
                var index = block.Points[k].PointIndex;
                var value = poller.Value(index);
                if (double.IsFinite(value))
                {
                    readings.Add(new ReadingInput(points[index].Meter, instant, value));
                    continue;
                }
                ts ??= instant.ToString("O", CultureInfo.InvariantCulture);
                var text = value.ToString("R", CultureInfo.InvariantCulture);
                var reason = $"{_settings.Device}, points[{index}] ({points[index].Describe()}) decoded to {text}; "
                    + "a device writes NaN or infinity when it has no valid measurement, so nothing was stored for this poll";
                (unreadable ??= []).Add(new RejectedRow(new RowRejection(index, "value", reason), points[index].Meter, ts, text));
                context.ReportProblem("not-finite", reason);
            }
        }
        if (readings.Count == 0 && unreadable is null) return;
        try
        {
            await context.IngestAsync(readings, unreadable, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store may be briefly unavailable; the next poll reads fresh values, so this poll's are dropped.
            context.ReportProblem("ingest-failed", $"{readings.Count} reading(s) of this poll could not be stored: {ex.Message}", ex);
        }
    }

    private string ExceptionMessage(ModbusBlock block, byte code)
    {
        var meters = string.Join(", ", block.Points.Select(p => _settings.Points[p.PointIndex].Meter));
        return $"{_settings.Device} answered {block.Request(_settings.UnitId)} with exception {code:X2} ({ModbusExceptionCodes.Name(code)}): "
            + $"{ModbusExceptionCodes.Advice(code)}; not read this poll: {meters}";
    }

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset t) =>
        DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds()).ToOffset(t.Offset);
}
