using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GreenLoop.Notifications;
using GreenLoop.Pipeline.Alarms;
using GreenLoop.Pipeline.Query;
using GreenLoop.Storage;

namespace GreenLoop.Pipeline.Notifications;

/// <summary>A delivery attempt as people see it in the delivery log.</summary>
public sealed record DeliveryView(long Id, string AlarmId, string Transition, string Channel, int Attempt, string At, bool Ok, int? Status, string? Error, string? HeldUntil);

/// <summary>
/// Notification channels of a tenant (stored), the delivery log, "send test", and the bridge from the alarm engine
/// (<see cref="IAlarmNotifier"/>) to the dispatcher. Secrets are never sent back: reads show them as <see cref="Mask"/>,
/// and a write that sends the mask keeps the stored secret.
/// </summary>
public sealed class ChannelService(IGreenLoopStore store, NotificationChannelFactory factory, NotificationDispatcher dispatcher, NotificationTenant tenant, TimeProvider clock) : IAlarmNotifier
{
    public const string Mask = "********";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public async Task<IReadOnlyList<ChannelDefinition>> ListAsync(long tenantId, CancellationToken ct) =>
        (await LoadAsync(tenantId, ct)).Select(Masked).ToList();

    public async Task<ChannelDefinition> SaveAsync(long tenantId, string key, ChannelDefinition definition, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Key != key) throw new QueryException($"the channel's key '{definition.Key}' differs from the URL's '{key}'");
        var existing = (await LoadAsync(tenantId, ct)).FirstOrDefault(c => c.Key == key);
        var merged = definition with
        {
            Secret = definition.Secret == Mask ? existing?.Secret : definition.Secret,
            Password = definition.Password == Mask ? existing?.Password : definition.Password,
        };
        var errors = merged.Validate();
        if (errors.Count > 0) throw new QueryException(string.Join("; ", errors));
        await store.SaveChannelAsync(tenantId, new StoredChannel(key, JsonSerializer.Serialize(merged, Json), clock.GetUtcNow().ToUnixTimeMilliseconds()), ct);
        return Masked(merged);
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
        return await dispatcher.DispatchAsync(message, [factory.Create(channel)], ct);
    }

    public async Task<IReadOnlyList<DeliveryView>> DeliveriesAsync(long tenantId, int limit, CancellationToken ct) =>
        (await store.DeliveriesAsync(tenantId, Math.Clamp(limit, 1, 10_000), ct)).Select(d => new DeliveryView(d.Id, d.AlarmId, d.Transition, d.Channel, d.Attempt,
            Iso(d.At), d.Ok, d.Status, d.Error, d.HeldUntil is { } h ? Iso(h) : null)).ToList();

    /// <summary>The alarm engine's messages: to the named channels that exist and are enabled; unknown keys are skipped.</summary>
    public async Task NotifyAsync(NotificationMessage message, IReadOnlyList<string> channelKeys, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(channelKeys);
        if (channelKeys.Count == 0 || tenant.TenantId == 0) return;
        var channels = (await LoadAsync(tenant.TenantId, ct)).Where(c => channelKeys.Contains(c.Key)).Select(factory.Create).ToList();
        if (channels.Count > 0) await dispatcher.DispatchAsync(message, channels, ct);
    }

    private async Task<IReadOnlyList<ChannelDefinition>> LoadAsync(long tenantId, CancellationToken ct) =>
        (await store.ChannelsAsync(tenantId, ct)).Select(c => JsonSerializer.Deserialize<ChannelDefinition>(c.Definition, Json)!).ToList();

    private static ChannelDefinition Masked(ChannelDefinition c) => c with
    {
        Secret = c.Secret is null ? null : Mask,
        Password = c.Password is null ? null : Mask,
    };

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("O", CultureInfo.InvariantCulture);
}

/// <summary>The delivery log in the store (for the default tenant until sign-in, issue 6).</summary>
public sealed class StoreDeliveryLog(IGreenLoopStore store, NotificationTenant tenant) : IDeliveryLog
{
    public Task AppendAsync(DeliveryRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        return store.AppendDeliveryAsync(tenant.TenantId, new StoredDelivery(0, record.AlarmId, record.Transition.ToString(), record.ChannelKey,
            record.Attempt, record.At.ToUnixTimeMilliseconds(), record.Ok, record.StatusCode, record.Error, record.HeldUntil?.ToUnixTimeMilliseconds()), ct);
    }
}

/// <summary>The tenant whose channels alarm messages go to and whose log records deliveries (one tenant until sign-in, issue 6).</summary>
public sealed class NotificationTenant
{
    public long TenantId { get; set; }
}
