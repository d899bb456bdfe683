using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Testing;

namespace GreenLoop.Storage.Tests;

/// <summary>Data sources (versioned for hot reload) and manual entries (versioned, correcting their reading).</summary>
public abstract class ConnectorContract : StoreContract
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    private static ManualEntryDraft Draft(long meter, long ts, double value, long? corrects = null, string? reason = null) => new()
    {
        Corrects = corrects, MeterId = meter, Ts = ts, Value = value, EnteredBy = "wang.fang", EnteredAt = 500 + ts, Document = "bill 2026-11", Note = "gas bill", Reason = reason,
    };

    [Fact]
    public async Task SaveDataSource_SavedThreeTimes_VersionCountsSavesAndDeleteRemovesIt()
    {
        await using var h = await StartAsync(_now);
        var other = await h.Store.EnsureTenantAsync("other", "Other", Ct);

        var v1 = await h.Store.SaveDataSourceAsync(h.TenantId, new StoredDataSource("plc", "modbus", """{"host":"10.0.0.5"}""", true, 10), Ct);
        var v2 = await h.Store.SaveDataSourceAsync(h.TenantId, new StoredDataSource("plc", "modbus", """{"host":"10.0.0.6"}""", false, 20), Ct);
        var broker = await h.Store.SaveDataSourceAsync(h.TenantId, new StoredDataSource("broker", "mqtt", "{}", true, 30), Ct);
        var theirs = await h.Store.SaveDataSourceAsync(other, new StoredDataSource("plc", "mqtt", "{}", true, 40, Version: 99), Ct);
        var v3 = await h.Store.SaveDataSourceAsync(h.TenantId, v2 with { UpdatedAt = 50 }, Ct);

        Assert.Equal(new StoredDataSource("plc", "modbus", """{"host":"10.0.0.5"}""", true, 10, 1), v1);
        Assert.Equal(new StoredDataSource("plc", "modbus", """{"host":"10.0.0.6"}""", false, 20, 2), v2);
        Assert.Equal(3, v3.Version);
        Assert.Equal(1, theirs.Version);
        Assert.Equal([broker, v3], await h.Store.DataSourcesAsync(h.TenantId, Ct));
        Assert.Equal([new TenantDataSource(h.TenantId, broker), new TenantDataSource(h.TenantId, v3), new TenantDataSource(other, theirs)],
            (await h.Store.AllDataSourcesAsync(Ct)).OrderBy(s => s.TenantId).ThenBy(s => s.Source.Key, StringComparer.Ordinal));
        Assert.True(await h.Store.DeleteDataSourceAsync(h.TenantId, "plc", Ct));
        Assert.False(await h.Store.DeleteDataSourceAsync(h.TenantId, "plc", Ct));
        Assert.Equal([broker], await h.Store.DataSourcesAsync(h.TenantId, Ct));
        Assert.Equal([theirs], await h.Store.DataSourcesAsync(other, Ct));
    }

    [Fact]
    public async Task SaveManualEntry_NewEntry_StoresItsReadingAndMarksTheMeterDirty()
    {
        await using var h = await StartAsync(_now);
        await h.Store.ApplySiteAsync(h.TenantId, TestSites.PlantWithKilnElec(), 1, Ct);
        var gas = (await h.MeterAsync(TestSites.GasMeter)).Id;

        var outcome = await h.Store.SaveManualEntryAsync(h.TenantId, Draft(gas, 9000, 42.5), Ct);

        Assert.Equal(ManualEntryStatus.Created, outcome.Status);
        var entry = outcome.Entry!;
        Assert.Equal(new StoredManualEntry
        {
            Id = entry.Id, EntryId = entry.Id, Version = 1, TenantId = h.TenantId, MeterId = gas, MeterKey = TestSites.GasMeter, Ts = 9000, Value = 42.5,
            EnteredBy = "wang.fang", EnteredAt = 9500, Document = "bill 2026-11", Note = "gas bill",
        }, entry);
        Assert.Equal([new RawReading(9000, 42.5)], await h.Store.ReadingsAsync(new MeterId(gas), new Instant(0), new Instant(10_000), false, Ct));
        Assert.Equal([new DirtyMeter(new MeterId(gas), new Instant(9000), new Instant(9000), 1)], await h.Store.GetDirtyAsync(10, Ct));
    }

    [Fact]
    public async Task SaveManualEntry_InstantAlreadyHeld_EntryExistsOrReadingExistsAndNothingWritten()
    {
        await using var h = await StartAsync(_now);
        await h.Store.ApplySiteAsync(h.TenantId, TestSites.PlantWithKilnElec(), 1, Ct);
        var gas = (await h.MeterAsync(TestSites.GasMeter)).Id;
        var first = (await h.Store.SaveManualEntryAsync(h.TenantId, Draft(gas, 9000, 42.5), Ct)).Entry!;
        await h.Store.AppendReadingsAsync([new(new MeterId(gas), new Instant(8000), 7)], new Instant(1), Ct);

        var sameInstant = await h.Store.SaveManualEntryAsync(h.TenantId, Draft(gas, 9000, 50), Ct);
        var deviceInstant = await h.Store.SaveManualEntryAsync(h.TenantId, Draft(gas, 8000, 8), Ct);

        Assert.Equal(new ManualEntryOutcome(ManualEntryStatus.EntryExists, null, first.EntryId), sameInstant);
        Assert.Equal(new ManualEntryOutcome(ManualEntryStatus.ReadingExists, null), deviceInstant);
        Assert.Equal([new RawReading(8000, 7), new RawReading(9000, 42.5)], await h.Store.ReadingsAsync(new MeterId(gas), new Instant(0), new Instant(10_000), false, Ct));
        Assert.Equal([first], await h.Store.ManualEntriesAsync(h.TenantId, null, 10, Ct));
    }

    [Fact]
    public async Task SaveManualEntry_TwoCorrections_NewVersionsCorrectTheReadingAndHistoryKeepsEveryVersion()
    {
        await using var h = await StartAsync(_now);
        await h.Store.ApplySiteAsync(h.TenantId, TestSites.PlantWithKilnElec(), 1, Ct);
        var gas = (await h.MeterAsync(TestSites.GasMeter)).Id;
        var first = (await h.Store.SaveManualEntryAsync(h.TenantId, Draft(gas, 9000, 42.5), Ct)).Entry!;
        var dirtyBefore = (await h.Store.GetDirtyAsync(10, Ct))[0].Version;

        var second = await h.Store.SaveManualEntryAsync(h.TenantId, Draft(0, 0, 24.5, first.EntryId, "digits swapped"), Ct);
        var third = await h.Store.SaveManualEntryAsync(h.TenantId, Draft(0, 0, 25.0, first.EntryId, "bill reissued"), Ct);

        Assert.Equal(ManualEntryStatus.Corrected, second.Status);
        Assert.Equal((first.EntryId, 2, gas, 9000L, 24.5, "digits swapped"), (second.Entry!.EntryId, second.Entry.Version, second.Entry.MeterId, second.Entry.Ts, second.Entry.Value, second.Entry.Reason));
        Assert.Equal((first.EntryId, 3, 25.0), (third.Entry!.EntryId, third.Entry.Version, third.Entry.Value));
        Assert.Equal([new RawReading(9000, 25.0)], await h.Store.ReadingsAsync(new MeterId(gas), new Instant(0), new Instant(10_000), false, Ct));
        Assert.Equal([new DirtyMeter(new MeterId(gas), new Instant(9000), new Instant(9000), dirtyBefore + 2)], await h.Store.GetDirtyAsync(10, Ct));
        Assert.Equal([first, second.Entry, third.Entry], await h.Store.ManualEntryHistoryAsync(h.TenantId, first.EntryId, Ct));
        Assert.Equal([third.Entry], await h.Store.ManualEntriesAsync(h.TenantId, gas, 10, Ct));
    }

    [Fact]
    public async Task ManualEntries_SeveralMetersAndTenants_NewestInstantFirstPerTenantAndMeter()
    {
        await using var h = await StartAsync(_now);
        await h.Store.ApplySiteAsync(h.TenantId, TestSites.PlantWithKilnElec(), 1, Ct);
        var other = await h.Store.EnsureTenantAsync("other", "Other", Ct);
        await h.Store.ApplySiteAsync(other, TestSites.PlantWithKilnElec("plant", "o"), 1, Ct);
        var gas = (await h.MeterAsync(TestSites.GasMeter)).Id;
        var main = (await h.MeterAsync(TestSites.MainMeter)).Id;
        var theirGas = (await h.Store.LoadMetersAsync(other, Ct))["o.kiln.gas"].Id;
        var a = (await h.Store.SaveManualEntryAsync(h.TenantId, Draft(gas, 1000, 1), Ct)).Entry!;
        var b = (await h.Store.SaveManualEntryAsync(h.TenantId, Draft(main, 3000, 3), Ct)).Entry!;
        var c = (await h.Store.SaveManualEntryAsync(h.TenantId, Draft(gas, 2000, 2), Ct)).Entry!;
        var theirs = (await h.Store.SaveManualEntryAsync(other, Draft(theirGas, 5000, 5), Ct)).Entry!;

        // Another tenant's meter, or another tenant's entry to correct: not found, nothing written.
        var foreignMeter = await h.Store.SaveManualEntryAsync(h.TenantId, Draft(theirGas, 6000, 6), Ct);
        var foreignEntry = await h.Store.SaveManualEntryAsync(h.TenantId, Draft(0, 0, 9, theirs.EntryId, "not mine"), Ct);

        Assert.Equal([b, c, a], await h.Store.ManualEntriesAsync(h.TenantId, null, 10, Ct));
        Assert.Equal([b, c], await h.Store.ManualEntriesAsync(h.TenantId, null, 2, Ct));
        Assert.Equal([c, a], await h.Store.ManualEntriesAsync(h.TenantId, gas, 10, Ct));
        Assert.Equal([theirs], await h.Store.ManualEntriesAsync(other, null, 10, Ct));
        Assert.Equal(new ManualEntryOutcome(ManualEntryStatus.NotFound, null), foreignMeter);
        Assert.Equal(new ManualEntryOutcome(ManualEntryStatus.NotFound, null), foreignEntry);
        Assert.Empty(await h.Store.ManualEntryHistoryAsync(h.TenantId, theirs.EntryId, Ct));
        Assert.Equal([new RawReading(5000, 5)], await h.Store.ReadingsAsync(new MeterId(theirGas), new Instant(0), new Instant(10_000), false, Ct));
    }
}
