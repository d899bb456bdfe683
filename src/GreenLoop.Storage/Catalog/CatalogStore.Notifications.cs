using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Storage.Catalog;

public abstract partial class CatalogStore
{
    /// <summary>Channel definitions (JSON) of a tenant by key.</summary>
    public Task<IReadOnlyList<StoredChannel>> ChannelsAsync(long tenantId, CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<StoredChannel>>(tenantId, async db => (await db.Channels.AsNoTracking().ToListAsync(ct))
            .OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new StoredChannel(c.Key, c.Definition, c.UpdatedAt)).ToList());

    public Task SaveChannelAsync(long tenantId, StoredChannel channel, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return WriteDbAsync(tenantId, async (db, _) =>
        {
            var row = await db.Channels.FirstOrDefaultAsync(c => c.Key == channel.Key, ct);
            if (row is null) db.Channels.Add(new ChannelRecord { TenantId = tenantId, Key = channel.Key, Definition = channel.Definition, UpdatedAt = channel.UpdatedAt });
            else (row.Definition, row.UpdatedAt) = (channel.Definition, channel.UpdatedAt);
            return await db.SaveChangesAsync(ct);
        }, ct);
    }

    public Task<bool> DeleteChannelAsync(long tenantId, string key, CancellationToken ct) =>
        WriteDbAsync(tenantId, async (db, _) => await db.Channels.Where(c => c.Key == key).ExecuteDeleteAsync(ct) == 1, ct);

    public Task AppendDeliveryAsync(long tenantId, StoredDelivery delivery, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return WriteDbAsync(tenantId, async (db, _) =>
        {
            db.Deliveries.Add(new DeliveryRecord
            {
                TenantId = tenantId, AlarmId = delivery.AlarmId, Transition = delivery.Transition, Channel = delivery.Channel,
                Attempt = delivery.Attempt, At = delivery.At, Ok = delivery.Ok, Status = delivery.Status, Error = delivery.Error,
                HeldUntil = delivery.HeldUntil,
            });
            return await db.SaveChangesAsync(ct);
        }, ct);
    }

    /// <summary>A tenant's newest delivery attempts first.</summary>
    public Task<IReadOnlyList<StoredDelivery>> DeliveriesAsync(long tenantId, int limit, CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<StoredDelivery>>(tenantId, async db => await db.Deliveries.AsNoTracking()
            .OrderByDescending(d => d.Id).Take(limit)
            .Select(d => new StoredDelivery(d.Id, d.AlarmId, d.Transition, d.Channel, d.Attempt, d.At, d.Ok, d.Status, d.Error, d.HeldUntil))
            .ToListAsync(ct));
}
