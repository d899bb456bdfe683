using System.Security.Cryptography;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace GreenLoop.Connectors.Mqtt;

/// <summary>
/// One run of an MQTT connector: the client, its connect/reconnect loop, the receiving handler, the batch of readings
/// waiting to be written and the flusher that writes them and then acknowledges their messages.
/// </summary>
internal sealed partial class MqttLink : IAsyncDisposable
{
    private static readonly TimeSpan _minBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan _maxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan _connectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan _disconnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long a stopping link may take to write what it holds before it gives up (the broker sends it again).</summary>
    private static readonly TimeSpan _finalFlushLimit = TimeSpan.FromSeconds(10);

    private readonly MqttConfig _config;
    private readonly MqttSettings _settings;
    private readonly ConnectorContext _context;
    private readonly TimeProvider _clock;
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly string _endpoint;

    /// <summary>Held while acknowledgements are sent and while a new connection is numbered, so no PUBACK reaches the wrong connection.</summary>
    private readonly SemaphoreSlim _ackGate = new(1, 1);

    /// <summary>Cancelled when the link starts stopping: the handler stops waiting for room.</summary>
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Cancelled <see cref="_finalFlushLimit"/> after stopping began: the flusher gives up.</summary>
    private readonly CancellationTokenSource _flushStop;

    /// <summary>Number of the current connection; a message is acknowledged only on the connection that delivered it.</summary>
    private int _generation;
    private volatile bool _stopping;
    private TaskCompletionSource<MqttClientDisconnectedEventArgs>? _lost;

    public MqttLink(MqttConfig config, ConnectorContext context)
    {
        _config = config;
        _settings = config.Settings;
        _context = context;
        _clock = context.Clock;
        _flushStop = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _clock);
        _endpoint = $"{_settings.Host}:{_settings.Port}";
        ClientId = _settings.ClientId ?? DefaultClientId(context, config.Routes.Select(r => $"{r.Pattern.Filter} qos{r.Subscription.Qos}"));
        _options = BuildOptions(_settings, ClientId);
        _captures = config.Routes.Select(r => new string[r.TemplateNames.Count]).ToArray();
        _ackTrigger = Math.Max(1, _settings.Inflight / 2);
        _hardCap = Math.Max(4 * _settings.FlushReadings, 20_000);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    public string ClientId { get; }

    /// <summary>Connects, serves, reconnects with backoff until cancelled; then writes what it holds and disconnects.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var flusher = Task.Run(() => FlushLoopAsync(_flushStop.Token), CancellationToken.None);
        var backoff = _minBackoff;
        SetState(SourceState.Connecting, $"connecting to {_endpoint} as {ClientId}");
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var (failure, wasConnected) = await ConnectAndServeAsync(ct);
                if (failure is null) break;
                if (wasConnected) backoff = _minBackoff;
                SetState(SourceState.Disconnected, $"{failure}; retrying in {backoff.TotalSeconds:0} s");
                await Task.Delay(backoff, _clock, ct);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _maxBackoff.Ticks));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping is the normal way out.
        }
        finally
        {
            await StopAsync(flusher);
        }
    }

    /// <summary>One connection: connect, subscribe, wait until it is lost. Returns why it ended, or null when cancelled.</summary>
    private async Task<(string? Failure, bool WasConnected)> ConnectAndServeAsync(CancellationToken ct)
    {
        var lost = new TaskCompletionSource<MqttClientDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _lost, lost);
        await _ackGate.WaitAsync(ct);
        try { Interlocked.Increment(ref _generation); }
        finally { _ackGate.Release(); }

        MqttClientConnectResult result;
        try
        {
            using var timeout = new CancellationTokenSource(_connectTimeout, _clock);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, ct);
            result = await _client.ConnectAsync(_options, either.Token);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return (null, false);
        }
        catch (Exception ex)
        {
            var why = $"cannot connect to {_endpoint}: {Describe(ex)}";
            _context.ReportProblem("connect-failed", why);
            return (why, false);
        }
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            var why = $"{_endpoint} refused the connection of {ClientId}: {result.ResultCode}{(string.IsNullOrEmpty(result.ReasonString) ? "" : " (" + result.ReasonString + ")")}";
            _context.ReportProblem("connect-refused", why);
            return (why, false);
        }

        try
        {
            await SubscribeAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return (null, true);
        }
        catch (Exception ex)
        {
            var why = $"could not subscribe at {_endpoint}: {Describe(ex)}";
            _context.ReportProblem("subscribe-failed", why);
            await DisconnectQuietlyAsync();
            return (why, true);
        }
        SetState(SourceState.Connected, $"{_endpoint} as {ClientId}, {_config.Routes.Count} subscription(s){(result.IsSessionPresent ? ", session resumed" : "")}");
        LogConnected(_context.Logger, _context.SourceName, _endpoint, ClientId, result.IsSessionPresent);

        try
        {
            while (true)
            {
                var e = await lost.Task.WaitAsync(ct);
                // A late event of an earlier connection must not end this one.
                if (!_client.IsConnected)
                {
                    var why = $"lost the connection to {_endpoint}: {e.Reason}{(e.Exception is null ? "" : " - " + Describe(e.Exception))}";
                    _context.ReportProblem("connection-lost", why);
                    return (why, true);
                }
                lost = new TaskCompletionSource<MqttClientDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref _lost, lost);
                if (!_client.IsConnected) lost.TrySetResult(e);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return (null, true);
        }
    }

    private async Task SubscribeAsync(CancellationToken ct)
    {
        var builder = new MqttClientSubscribeOptionsBuilder();
        foreach (var route in _config.Routes)
            builder.WithTopicFilter(route.Pattern.Filter, route.Subscription.Qos == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce);
        using var timeout = new CancellationTokenSource(_connectTimeout, _clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, ct);
        var result = await _client.SubscribeAsync(builder.Build(), either.Token);
        foreach (var item in result.Items)
        {
            if (item.ResultCode is not (MqttClientSubscribeResultCode.GrantedQoS0 or MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS2))
                _context.ReportProblem("subscribe-refused", $"{_endpoint} refused the subscription '{item.TopicFilter.Topic}': {item.ResultCode}; nothing arrives on it");
        }
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        // A failed connect attempt also ends here (never connected); the connect loop has its answer already.
        if (e.ClientWasConnected) Volatile.Read(ref _lost)?.TrySetResult(e);
        return Task.CompletedTask;
    }

    /// <summary>Stops receiving, lets the flusher write and acknowledge what it holds (bounded in time), then disconnects.</summary>
    private async Task StopAsync(Task flusher)
    {
        _stopping = true;
        await _stop.CancelAsync();
        _flushStop.CancelAfter(_finalFlushLimit);
        _hasData.Notify();
        _flushNow.Notify();
        try
        {
            await flusher;
        }
        catch (OperationCanceledException)
        {
            _context.ReportProblem("stop-timeout", $"stopped before the last batch was stored (limit {_finalFlushLimit.TotalSeconds:0} s); its messages were not acknowledged and come again with the session");
        }
        catch (Exception ex)
        {
            _context.ReportProblem("internal-error", $"the flusher failed: {Describe(ex)}", ex);
        }
        await DisconnectQuietlyAsync();
        SetState(SourceState.Disconnected, "stopped");
    }

    private async Task DisconnectQuietlyAsync()
    {
        if (!_client.IsConnected) return;
        var options = new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection);
        // MQTT 5.0: say again how long the session is kept, so the broker queues QoS 1 messages until the next start.
        if (_settings.ProtocolVersion == MqttProtocol.V500 && !_settings.CleanSession && _settings.SessionExpirySeconds > 0)
            options.WithSessionExpiryInterval((uint)_settings.SessionExpirySeconds);
        try
        {
            using var timeout = new CancellationTokenSource(_disconnectTimeout, _clock);
            await _client.DisconnectAsync(options.Build(), timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The broker notices the dropped link by itself; nothing is lost, unacknowledged messages come again.
            LogDisconnectFailed(_context.Logger, _context.SourceName, Describe(ex));
        }
    }

    private static MqttClientOptions BuildOptions(MqttSettings s, string clientId)
    {
        var b = new MqttClientOptionsBuilder()
            .WithTcpServer(s.Host, s.Port)
            .WithClientId(clientId)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(s.KeepAliveSeconds))
            .WithTimeout(_connectTimeout)
            .WithCleanSession(s.CleanSession);
        if (s.ProtocolVersion == MqttProtocol.V500)
        {
            // Receive Maximum bounds what the broker sends before we acknowledge; without a session expiry an MQTT 5.0
            // session would end at the disconnect even with clean start off.
            b.WithProtocolVersion(MqttProtocolVersion.V500)
                .WithReceiveMaximum((ushort)s.Inflight)
                .WithSessionExpiryInterval(s.CleanSession ? 0 : (uint)s.SessionExpirySeconds);
        }
        else b.WithProtocolVersion(MqttProtocolVersion.V311);
        if (s.Username is not null || s.Password is not null) b.WithCredentials(s.Username ?? "", s.Password);
        if (s.Tls) b.WithTlsOptions(o => o.UseTls());
        return b.Build();
    }

    /// <summary>
    /// <c>greenloop-&lt;source key&gt;-&lt;8 hex&gt;</c>: the same on every start of this server with the same topic filters (a
    /// persistent session is tied to the client id), different for another server or tenant using the same broker and
    /// source key, and different once the filters change, so that a session never keeps delivering a subscription
    /// the definition no longer has (the broker drops the old session when its expiry passes).
    /// </summary>
    internal static string DefaultClientId(ConnectorContext context, IEnumerable<string> filters)
    {
        var subscribed = string.Join('\n', filters.Order(StringComparer.Ordinal));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{Environment.MachineName}/{context.TenantId}/{context.SourceKey}/{subscribed}"));
        return $"greenloop-{context.SourceKey}-{Convert.ToHexStringLower(hash.AsSpan(0, 4))}";
    }

    private void SetState(SourceState state, string detail) => _context.Health.SetState(state, detail, _clock.GetUtcNow());

    private static string Describe(Exception ex)
    {
        var text = ex.Message;
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
            if (!text.Contains(inner.Message, StringComparison.Ordinal)) text += " - " + inner.Message;
        return text;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _ackGate.Dispose();
        _stop.Dispose();
        _flushStop.Dispose();
        _hasData.Dispose();
        _flushNow.Dispose();
        _room.Dispose();
        return ValueTask.CompletedTask;
    }
}
