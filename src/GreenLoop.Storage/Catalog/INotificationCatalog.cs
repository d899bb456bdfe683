using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;

namespace GreenLoop.Storage;

/// <summary>Notification channels and the delivery log.</summary>
public interface INotificationCatalog
{
    /// <summary>Channel definitions (JSON) of a tenant by key.</summary>
    Task<IReadOnlyList<StoredChannel>> ChannelsAsync(long tenantId, CancellationToken ct);

    Task SaveChannelAsync(long tenantId, StoredChannel channel, CancellationToken ct);

    Task<bool> DeleteChannelAsync(long tenantId, string key, CancellationToken ct);

    Task AppendDeliveryAsync(long tenantId, StoredDelivery delivery, CancellationToken ct);

    Task<IReadOnlyList<StoredDelivery>> DeliveriesAsync(long tenantId, int limit, CancellationToken ct);
}
