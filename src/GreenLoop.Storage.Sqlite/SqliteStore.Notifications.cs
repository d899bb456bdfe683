namespace GreenLoop.Storage.Sqlite;

public sealed partial class SqliteStore
{
    public Task<IReadOnlyList<StoredChannel>> ChannelsAsync(long tenantId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredChannel>>(c => ReadAll(c, null,
            "SELECT key, definition, updated_at FROM notification_channel WHERE tenant_id=$t ORDER BY key;",
            r => new StoredChannel(r.GetString(0), r.GetString(1), r.GetInt64(2)), ("$t", tenantId)), ct);

    public Task SaveChannelAsync(long tenantId, StoredChannel channel, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return WriteAsync((c, tx) => Scalar(c, """
            INSERT INTO notification_channel(tenant_id, key, definition, updated_at) VALUES($t,$k,$d,$u)
            ON CONFLICT(tenant_id, key) DO UPDATE SET definition=excluded.definition, updated_at=excluded.updated_at;
            """, tx, ("$t", tenantId), ("$k", channel.Key), ("$d", channel.Definition), ("$u", channel.UpdatedAt)), ct);
    }

    public Task<bool> DeleteChannelAsync(long tenantId, string key, CancellationToken ct) =>
        WriteAsync((c, tx) =>
        {
            using var cmd = Command(c, "DELETE FROM notification_channel WHERE tenant_id=$t AND key=$k;", tx, ("$t", tenantId), ("$k", key));
            return cmd.ExecuteNonQuery() == 1;
        }, ct);

    public Task AppendDeliveryAsync(long tenantId, StoredDelivery delivery, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return WriteAsync((c, tx) => Scalar(c, """
            INSERT INTO delivery_log(tenant_id, alarm_id, transition, channel, attempt, at, ok, status, error, held_until)
            VALUES($t,$a,$tr,$ch,$n,$at,$ok,$st,$e,$h);
            """, tx, ("$t", tenantId), ("$a", delivery.AlarmId), ("$tr", delivery.Transition), ("$ch", delivery.Channel), ("$n", delivery.Attempt),
            ("$at", delivery.At), ("$ok", delivery.Ok ? 1 : 0), ("$st", delivery.Status), ("$e", delivery.Error), ("$h", delivery.HeldUntil)), ct);
    }

    public Task<IReadOnlyList<StoredDelivery>> DeliveriesAsync(long tenantId, int limit, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredDelivery>>(c => ReadAll(c, null,
            "SELECT id, alarm_id, transition, channel, attempt, at, ok, status, error, held_until FROM delivery_log WHERE tenant_id=$t ORDER BY id DESC LIMIT $l;",
            r => new StoredDelivery(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetInt64(5), r.GetInt64(6) == 1,
                r.IsDBNull(7) ? null : r.GetInt32(7), r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetInt64(9)),
            ("$t", tenantId), ("$l", limit)), ct);
}
