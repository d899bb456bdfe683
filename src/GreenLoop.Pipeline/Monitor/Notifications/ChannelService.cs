using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GreenLoop.Notifications;
using GreenLoop.Pipeline.Monitor.Alarms;
using GreenLoop.Storage;

namespace GreenLoop.Pipeline.Monitor.Notifications;

/// <summary>A delivery attempt as people see it in the delivery log.</summary>
public sealed record DeliveryView(long Id, string AlarmId, string Transition, string Channel, int Attempt, string At, bool Ok, int? Status, string? Error, string? HeldUntil);

/// <summary>The outcome of saving a channel: the channel as stored (secrets masked), or every problem found (nothing saved then).</summary>
public sealed record ChannelSaveOutcome(ChannelDefinition? Saved, IReadOnlyList<string> Errors);

/// <summary>
/// Notification channels of a tenant (stored), the delivery log, "send test", and the bridge from the alarm engine
/// (<see cref="IAlarmNotifier"/>) to the dispatcher. Secrets are never sent back: reads show them as <see cref="Mask"/>,
/// and a write that sends the mask keeps the stored secret.
/// </summary>
public sealed class ChannelService(INotificationCatalog store, NotificationChannelFactory factory, NotificationDispatcher dispatcher, NotificationTenant tenant, TimeProvider clock,
    NotificationTargets? targets = null, ISecretProtector? secrets = null) : IAlarmNotifier
{
    public const string Mask = "********";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public async Task<IReadOnlyList<ChannelDefinition>> ListAsync(long tenantId, CancellationToken ct) =>
        (await LoadAsync(tenantId, ct)).Select(Masked).ToList();

    public async Task<ChannelSaveOutcome> SaveAsync(long tenantId, string key, ChannelDefinition definition, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Key != key) return new ChannelSaveOutcome(null, [$"the channel's key '{definition.Key}' differs from the URL's '{key}'"]);
        var existing = (await LoadAsync(tenantId, ct)).FirstOrDefault(c => c.Key == key);
        var merged = definition with
        {
            Secret = definition.Secret == Mask ? existing?.Secret : definition.Secret,
            Password = definition.Password == Mask ? existing?.Password : definition.Password,
            // The address as the API shows it (its token masked) keeps the stored one.
            Url = existing?.Url is { } stored && definition.Url == ChannelDefinition.MaskUrl(stored) ? stored : definition.Url,
        };
        var errors = merged.Validate().ToList();
        if (merged.Kind != ChannelKind.Email && targets?.Refusal(merged.Url) is { } refused) errors.Add(refused);
        if (errors.Count > 0) return new ChannelSaveOutcome(null, errors);
        // Secrets are encrypted at rest (the robot address carries its token too).
        var atRest = merged with { Secret = Protect(merged.Secret), Password = Protect(merged.Password), Url = Protect(merged.Url) };
        await store.SaveChannelAsync(tenantId, new StoredChannel(key, JsonSerializer.Serialize(atRest, Json), clock.GetUtcNow().ToUnixTimeMilliseconds()), ct);
        return new ChannelSaveOutcome(Masked(merged), []);
    }

    public Task<bool> DeleteAsync(long tenantId, string key, CancellationToken ct) => store.DeleteChannelAsync(tenantId, key, ct);

    /// <summary>Sends a test message through one channel now (quiet hours do not hold a test).</summary>
    public async Task<IReadOnlyList<ChannelDelivery>?> TestAsync(long tenantId, string key, CancellationToken ct)
    {
        var channel = (await LoadAsync(tenantId, ct)).FirstOrDefault(c => c.Key == key);
        if (channel is null) return null;
        var now = clock.GetUtcNow();
        var message = new NotificationMessage
        {
            AlarmId = "test-" + now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            Transition = AlarmTransition.Test,
            Severity = "info",
            Site = "-",
            RuleName = "test",
            Subject = key,
            TitleEn = $"GreenLoop test message for channel '{channel.Name}'",
            TitleZh = $"绿环测试消息：通道「{channel.Name}」",
            DetailEn = "If you can read this, alarms will reach you through this channel.",
            DetailZh = "收到此消息说明告警可以通过此通道送达。",
            At = now,
        };
        return await DispatchAsync(tenantId, message, [factory.Create(channel)], ct);
    }

    public async Task<IReadOnlyList<DeliveryView>> DeliveriesAsync(long tenantId, int limit, CancellationToken ct) =>
        (await store.DeliveriesAsync(tenantId, Math.Clamp(limit, 1, 10_000), ct)).Select(d => new DeliveryView(d.Id, d.AlarmId, d.Transition, d.Channel, d.Attempt,
            Iso(d.At), d.Ok, d.Status, d.Error, d.HeldUntil is { } h ? Iso(h) : null)).ToList();

    /// <summary>
    /// The alarm engine's messages: to the named channels of the alarm's tenant that exist and are enabled; unknown keys
    /// are skipped.
    /// </summary>
    public async Task NotifyAsync(long tenantId, NotificationMessage message, IReadOnlyList<string> channelKeys, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(channelKeys);
        if (channelKeys.Count == 0) return;
        var channels = (await LoadAsync(tenantId, ct)).Where(c => channelKeys.Contains(c.Key)).Select(factory.Create).ToList();
        if (channels.Count == 0) return;
        // A message held for quiet hours is sent later by the release loop, outside this call: remember its tenant.
        tenant.Remember(message.AlarmId, tenantId);
        await DispatchAsync(tenantId, message, channels, ct);
    }

    private async Task<IReadOnlyList<ChannelDelivery>> DispatchAsync(long tenantId, NotificationMessage message, IReadOnlyList<INotificationChannel> channels, CancellationToken ct)
    {
        // Every delivery record this dispatch writes (attempts, retries, holds) goes to this tenant's log.
        tenant.Acting = tenantId;
        return await dispatcher.DispatchAsync(message, channels, ct);
    }

    private async Task<IReadOnlyList<ChannelDefinition>> LoadAsync(long tenantId, CancellationToken ct) =>
        (await store.ChannelsAsync(tenantId, ct)).Select(c => JsonSerializer.Deserialize<ChannelDefinition>(c.Definition, Json)!)
            .Select(c => c with { Secret = Reveal(c.Secret), Password = Reveal(c.Password), Url = Reveal(c.Url) }).ToList();

    private string? Protect(string? secret) => secrets is null ? secret : secrets.Protect(secret);

    private string? Reveal(string? stored) => secrets is null ? stored : secrets.Reveal(stored);

    /// <summary>Stores every channel again with its secrets encrypted (those saved before encryption existed); returns how many changed.</summary>
    public async Task<int> ProtectStoredSecretsAsync(long tenantId, CancellationToken ct)
    {
        if (secrets is null) return 0;
        var changed = 0;
        foreach (var stored in await store.ChannelsAsync(tenantId, ct))
        {
            var c = JsonSerializer.Deserialize<ChannelDefinition>(stored.Definition, Json)!;
            var atRest = c with { Secret = secrets.Protect(c.Secret), Password = secrets.Protect(c.Password), Url = secrets.Protect(c.Url) };
            if (atRest == c) continue;
            await store.SaveChannelAsync(tenantId, stored with { Definition = JsonSerializer.Serialize(atRest, Json) }, ct);
            changed++;
        }
        return changed;
    }

    private static ChannelDefinition Masked(ChannelDefinition c) => c with
    {
        Secret = c.Secret is null ? null : Mask,
        Password = c.Password is null ? null : Mask,
        Url = c.Url is null ? null : ChannelDefinition.MaskUrl(c.Url),
    };

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("O", CultureInfo.InvariantCulture);
}

/// <summary>The delivery log in the store: each record in the log of the tenant whose channel it was.</summary>
public sealed class StoreDeliveryLog(INotificationCatalog store, NotificationTenant tenant) : IDeliveryLog
{
    public Task AppendAsync(DeliveryRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        return store.AppendDeliveryAsync(tenant.Of(record), new StoredDelivery(0, record.AlarmId, record.Transition.ToString(), record.ChannelKey,
            record.Attempt, record.At.ToUnixTimeMilliseconds(), record.Ok, record.StatusCode, record.Error, record.HeldUntil?.ToUnixTimeMilliseconds()), ct);
    }
}

/// <summary>
/// Which tenant's delivery log a delivery record belongs to. The dispatcher is shared by all tenants and its records
/// name only the alarm and the channel key (which tenants may share), so <see cref="ChannelService"/> says whose
/// channels it dispatches to: for the dispatch itself (<see cref="Acting"/>, flowing with the async call), and for a
/// message held for quiet hours, which the release loop sends later (<see cref="Remember"/>, by alarm id).
/// </summary>
public sealed class NotificationTenant(TimeProvider clock)
{
    // Quiet hours hold a message less than a day and its retries take minutes: a week is far beyond both.
    private static readonly TimeSpan RememberFor = TimeSpan.FromDays(7);
    private const int SweepAbove = 1024;

    private readonly AsyncLocal<long?> _acting = new();
    private readonly ConcurrentDictionary<string, (long Tenant, DateTimeOffset At)> _alarms = new(StringComparer.Ordinal);

    /// <summary>The default tenant, bound at start: the log of records whose tenant is not known otherwise.</summary>
    public long TenantId { get; set; }

    /// <summary>The tenant of the current dispatch; set inside an async method, it flows into what that method awaits only.</summary>
    internal long? Acting
    {
        get => _acting.Value;
        set => _acting.Value = value;
    }

    /// <summary>Records the tenant of an alarm's message (alarm ids are unique across tenants).</summary>
    internal void Remember(string alarmId, long tenantId)
    {
        var now = clock.GetUtcNow();
        _alarms[alarmId] = (tenantId, now);
        if (_alarms.Count <= SweepAbove) return;
        foreach (var (id, seen) in _alarms)
        {
            if (now - seen.At > RememberFor) _alarms.TryRemove(id, out _);
        }
    }

    /// <summary>The tenant whose log a record goes to: the dispatching tenant, else the alarm's, else the default.</summary>
    public long Of(DeliveryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Acting is { } acting) return acting;
        return _alarms.TryGetValue(record.AlarmId, out var alarm) ? alarm.Tenant : TenantId;
    }
}
