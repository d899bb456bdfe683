namespace GreenLoop.Storage.Tests;

/// <summary>Notification channels per tenant and the delivery log.</summary>
public abstract class NotificationContract : StoreContract
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SaveChannel_CreateReplaceDelete_PerTenantInKeyOrder()
    {
        await using var h = await StartAsync(_now);
        var other = await h.Store.EnsureTenantAsync("other", "Other", Ct);

        await h.Store.SaveChannelAsync(h.TenantId, new StoredChannel("wecom", """{"type":"webhook"}""", 1), Ct);
        await h.Store.SaveChannelAsync(h.TenantId, new StoredChannel("email", """{"type":"email"}""", 2), Ct);
        await h.Store.SaveChannelAsync(h.TenantId, new StoredChannel("wecom", """{"type":"webhook","url":"x"}""", 3), Ct);
        await h.Store.SaveChannelAsync(other, new StoredChannel("email", """{"type":"email","to":"b"}""", 4), Ct);
        var deletedTheirsFromMine = await h.Store.DeleteChannelAsync(h.TenantId, "missing", Ct);
        var mine = await h.Store.ChannelsAsync(h.TenantId, Ct);
        var deleted = await h.Store.DeleteChannelAsync(h.TenantId, "email", Ct);

        Assert.Equal([new StoredChannel("email", """{"type":"email"}""", 2), new StoredChannel("wecom", """{"type":"webhook","url":"x"}""", 3)], mine);
        Assert.False(deletedTheirsFromMine);
        Assert.True(deleted);
        Assert.Equal(["wecom"], (await h.Store.ChannelsAsync(h.TenantId, Ct)).Select(c => c.Key));
        Assert.Equal([new StoredChannel("email", """{"type":"email","to":"b"}""", 4)], await h.Store.ChannelsAsync(other, Ct));
    }

    [Fact]
    public async Task AppendDelivery_FourAttempts_NewestFirstLimitedAndPerTenant()
    {
        await using var h = await StartAsync(_now);
        var other = await h.Store.EnsureTenantAsync("other", "Other", Ct);
        await h.Store.AppendDeliveryAsync(h.TenantId, new StoredDelivery(0, "7", "raised", "email", 0, 100, false, null, null, 500), Ct);
        await h.Store.AppendDeliveryAsync(h.TenantId, new StoredDelivery(0, "7", "raised", "email", 1, 500, false, 503, "Service Unavailable", null), Ct);
        await h.Store.AppendDeliveryAsync(other, new StoredDelivery(0, "9", "cleared", "wecom", 1, 550, true, 200, null, null), Ct);
        await h.Store.AppendDeliveryAsync(h.TenantId, new StoredDelivery(0, "7", "raised", "email", 2, 600, true, 250, null, null), Ct);

        var mine = await h.Store.DeliveriesAsync(h.TenantId, 10, Ct);
        var newest = await h.Store.DeliveriesAsync(h.TenantId, 1, Ct);

        Assert.Equal([2, 1, 0], mine.Select(d => d.Attempt));
        Assert.Equal(new StoredDelivery(mine[1].Id, "7", "raised", "email", 1, 500, false, 503, "Service Unavailable", null), mine[1]);
        Assert.Equal(new StoredDelivery(mine[2].Id, "7", "raised", "email", 0, 100, false, null, null, 500), mine[2]);
        Assert.True(mine[0].Ok);
        Assert.Equal([mine[0]], newest);
        Assert.Equal(["9"], (await h.Store.DeliveriesAsync(other, 10, Ct)).Select(d => d.AlarmId));
    }
}
