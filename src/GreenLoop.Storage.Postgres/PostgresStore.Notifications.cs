namespace GreenLoop.Storage.Postgres;

public sealed partial class PostgresStore
{
    public Task<IReadOnlyList<StoredChannel>> ChannelsAsync(long tenantId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredChannel>>(async c => await ReadAllAsync(c, null,
            "SELECT key, definition, updated_at FROM notification_channel WHERE tenant_id=@t ORDER BY key COLLATE \"C\";",
            r => new StoredChannel(r.GetString(0), r.GetString(1), r.GetInt64(2)), ct, ("t", tenantId)), ct);

    public Task SaveChannelAsync(long tenantId, StoredChannel channel, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return WriteAsync((c, tx) => ExecAsync(c, tx, """
            INSERT INTO notification_channel(tenant_id, key, definition, updated_at) VALUES(@t,@k,@d,@u)
            ON CONFLICT(tenant_id, key) DO UPDATE SET definition=excluded.definition, updated_at=excluded.updated_at;
            """, ct, ("t", tenantId), ("k", channel.Key), ("d", channel.Definition), ("u", channel.UpdatedAt)), ct);
    }

    public Task<bool> DeleteChannelAsync(long tenantId, string key, CancellationToken ct) =>
        WriteAsync(async (c, tx) => await ExecAsync(c, tx, "DELETE FROM notification_channel WHERE tenant_id=@t AND key=@k;", ct,
            ("t", tenantId), ("k", key)) == 1, ct);

    public Task AppendDeliveryAsync(long tenantId, StoredDelivery delivery, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return WriteAsync((c, tx) => ExecAsync(c, tx, """
            INSERT INTO delivery_log(tenant_id, alarm_id, transition, channel, attempt, at, ok, status, error, held_until)
            VALUES(@t,@a,@tr,@ch,@n,@at,@ok,@st,@e,@h);
            """, ct, ("t", tenantId), ("a", delivery.AlarmId), ("tr", delivery.Transition), ("ch", delivery.Channel), ("n", delivery.Attempt),
            ("at", delivery.At), ("ok", delivery.Ok), ("st", delivery.Status), ("e", delivery.Error), ("h", delivery.HeldUntil)), ct);
    }

    public Task<IReadOnlyList<StoredDelivery>> DeliveriesAsync(long tenantId, int limit, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredDelivery>>(async c => await ReadAllAsync(c, null,
            "SELECT id, alarm_id, transition, channel, attempt, at, ok, status, error, held_until FROM delivery_log WHERE tenant_id=@t ORDER BY id DESC LIMIT @l;",
            r => new StoredDelivery(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetInt64(5), r.GetBoolean(6),
                r.IsDBNull(7) ? null : r.GetInt32(7), NullableString(r, 8), NullableLong(r, 9)), ct,
            ("t", tenantId), ("l", limit)), ct);
}
