using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Storage;
using Microsoft.Extensions.Logging;

namespace GreenLoop.Connectors;

/// <summary>
/// Runs one connector per enabled data source of every tenant and keeps them in step with the stored definitions (hot
/// reload): a saved, enabled or disabled source takes effect on the next <see cref="SyncAsync"/>, which runs when
/// <see cref="RequestReload"/> is called (the API does after every change) and every <see cref="ConnectorOptions.ReloadInterval"/>
/// (so a change made by another process is picked up too). A connector that faults is restarted after a pause; it never
/// takes the others, or the server, down.
/// </summary>
public sealed partial class ConnectorSupervisor(
    IConnectorCatalog store,
    IEnumerable<IConnectorFactory> factories,
    IngestService ingest,
    ConnectorKeys keys,
    ConnectorOptions options,
    ILoggerFactory loggers,
    TimeProvider clock,
    ISecretProtector? secrets = null) : IAsyncDisposable
{
    private readonly Dictionary<string, IConnectorFactory> _factories =
        factories.ToDictionary(f => f.Kind, StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(long Tenant, string Key), Slot> _slots = [];
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _reload = new(0, 1);
    private readonly SemaphoreSlim _sync = new(1, 1);
    private readonly ILogger _logger = loggers.CreateLogger<ConnectorSupervisor>();

    /// <summary>The kinds a definition may name.</summary>
    public IReadOnlyCollection<string> Kinds => _factories.Keys;

    public IConnectorFactory? Factory(string kind) => _factories.GetValueOrDefault(kind);

    /// <summary>Asks the running loop to compare the stored definitions with the running connectors now.</summary>
    public void RequestReload()
    {
        if (_reload.CurrentCount == 0)
        {
            try { _reload.Release(); }
            catch (SemaphoreFullException) { /* a reload is already pending */ }
        }
    }

    /// <summary>Syncs, then again after every reload request or interval, until cancelled; then stops every connector.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try { await SyncAsync(ct); }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The store may be briefly unavailable; running connectors keep running, the next pass retries.
                    LogSyncFailed(ex);
                }
                await WaitForReloadAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            await StopAllAsync();
        }
    }

    private async Task WaitForReloadAsync(CancellationToken ct)
    {
        using var interval = new CancellationTokenSource(options.ReloadInterval, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, interval.Token);
        try { await _reload.WaitAsync(either.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { /* the interval passed */ }
    }

    /// <summary>Starts, restarts and stops connectors so that exactly the enabled, valid stored definitions run.</summary>
    public async Task SyncAsync(CancellationToken ct)
    {
        await _sync.WaitAsync(ct);
        try
        {
            var stored = await store.AllDataSourcesAsync(ct);
            var wanted = stored.ToDictionary(s => (s.TenantId, s.Source.Key));
            List<Slot> stale;
            lock (_gate)
            {
                stale = _slots.Where(kv => !wanted.TryGetValue(kv.Key, out var s) || s.Source.Version != kv.Value.Source.Version)
                    .Select(kv => kv.Value).ToList();
                foreach (var slot in stale) _slots.Remove((slot.TenantId, slot.Source.Key));
            }
            foreach (var slot in stale)
            {
                await slot.StopAsync();
                LogStopped(slot.Source.Kind, slot.Source.Key, slot.Source.Version);
            }
            foreach (var (id, source) in wanted)
            {
                lock (_gate)
                {
                    if (_slots.ContainsKey(id)) continue;
                    _slots[id] = Start(source);
                }
            }
        }
        finally
        {
            _sync.Release();
        }
    }

    private Slot Start(TenantDataSource tenantSource)
    {
        var (tenantId, source) = (tenantSource.TenantId, tenantSource.Source);
        var health = new SourceHealth(source.Key, source.Kind, source.Version);
        var now = clock.GetUtcNow();
        if (!_factories.TryGetValue(source.Kind, out var factory))
        {
            health.SetState(SourceState.Invalid, $"unknown kind '{source.Kind}'; known kinds: {string.Join(", ", _factories.Keys)}", now);
            return new Slot(tenantId, source, health, null, null);
        }
        // Stored with its secrets encrypted: the connector gets them in clear, in memory only.
        var definition = DataSourceService.Revealed(source.Definition, secrets);
        var errors = factory.Validate(definition);
        if (errors.Count > 0)
        {
            health.SetState(SourceState.Invalid, string.Join("; ", errors), now);
            return new Slot(tenantId, source, health, null, null);
        }
        if (source.ApiKeyId is null)
        {
            health.SetState(SourceState.Invalid, "no API key: a data source writes with a key that has the 'ingest' permission", now);
            return new Slot(tenantId, source, health, null, null);
        }
        if (!source.Enabled)
        {
            health.SetState(SourceState.Disabled, null, now);
            return new Slot(tenantId, source, health, null, null);
        }
        var logger = loggers.CreateLogger($"GreenLoop.Connectors.{factory.Kind}");
        var keyId = source.ApiKeyId.Value;
        var context = new ConnectorContext(tenantId, source.Key, (request, ct) => IngestWithKeyAsync(tenantId, keyId, request, ct), health, logger, clock);
        var cts = new CancellationTokenSource();
        var connector = factory.Create(definition);
        LogStarting(source.Kind, source.Key, source.Version);
        var task = Task.Run(() => SuperviseAsync(connector, context, cts.Token), CancellationToken.None);
        return new Slot(tenantId, source, health, cts, task);
    }

    /// <summary>Runs a connector and restarts it after <see cref="ConnectorOptions.RestartDelay"/> if it faults or returns.</summary>
    private async Task SuperviseAsync(IConnector connector, ConnectorContext context, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            context.Health.CountStart();
            try
            {
                await connector.RunAsync(context, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                context.ReportProblem("connector-fault", $"{ex.GetType().Name}: {ex.Message}; restarting in {options.RestartDelay.TotalSeconds:0.#} s", ex);
            }
            if (ct.IsCancellationRequested) return;
            context.Health.SetState(SourceState.Disconnected, "restarting", clock.GetUtcNow());
            try { await Task.Delay(options.RestartDelay, clock, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>
    /// Writes a connector's batch with its key's scope; if the key no longer allows writing (revoked, expired), every
    /// reading is kept in quarantine with that reason instead, so nothing is lost and nothing slips in.
    /// </summary>
    private async Task<IngestResult> IngestWithKeyAsync(long tenantId, long keyId, IngestRequest request, CancellationToken ct)
    {
        var verdict = await keys.CheckAsync(tenantId, keyId, ct);
        if (verdict.Error is null) return await ingest.IngestAsync(tenantId, request with { OnlySites = verdict.OnlySites }, ct);
        var refused = request.Readings.Select((r, i) => new RejectedRow(
                new RowRejection(request.Indexes?[i] ?? i, "apiKey", verdict.Error + "; readings are kept in quarantine until the source has a valid key"),
                r.Meter, r.Ts.ToString("O", System.Globalization.CultureInfo.InvariantCulture), r.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))
            .Concat(request.ParseRejections).ToList();
        return await ingest.IngestAsync(tenantId, new IngestRequest([], request.Source) { ParseRejections = refused }, ct);
    }

    /// <summary>Health of every data source of a tenant that the supervisor has seen, by key.</summary>
    public IReadOnlyList<SourceStatus> Status(long tenantId)
    {
        lock (_gate)
        {
            return _slots.Where(kv => kv.Key.Tenant == tenantId).OrderBy(kv => kv.Key.Key, StringComparer.Ordinal)
                .Select(kv => kv.Value.Health.Snapshot()).ToList();
        }
    }

    public SourceStatus? Status(long tenantId, string key)
    {
        lock (_gate) return _slots.TryGetValue((tenantId, key), out var slot) ? slot.Health.Snapshot() : null;
    }

    public async Task StopAllAsync()
    {
        List<Slot> all;
        lock (_gate)
        {
            all = [.. _slots.Values];
            _slots.Clear();
        }
        await Task.WhenAll(all.Select(s => s.StopAsync()));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAllAsync();
        _reload.Dispose();
        _sync.Dispose();
    }

    private sealed class Slot(long tenantId, StoredDataSource source, SourceHealth health, CancellationTokenSource? cts, Task? task)
    {
        public long TenantId { get; } = tenantId;
        public StoredDataSource Source { get; } = source;
        public SourceHealth Health { get; } = health;

        public async Task StopAsync()
        {
            if (cts is null || task is null) return;
            await cts.CancelAsync();
            try { await task; }
            catch (OperationCanceledException) { /* stopped */ }
            cts.Dispose();
        }
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Starting {Kind} data source {Key} (version {Version})")]
    private partial void LogStarting(string kind, string key, long version);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "Stopped {Kind} data source {Key} (version {Version})")]
    private partial void LogStopped(string kind, string key, long version);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "Could not read the data-source definitions; the running connectors keep running")]
    private partial void LogSyncFailed(Exception exception);
}
