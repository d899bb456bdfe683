using System.Reflection;
using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace GreenLoop.Storage.Tests;

/// <summary>
/// Every field of every catalogue record, found by reflection over the EF Core model, is written and read back on each
/// provider: a property added later is covered without touching this test, and a provider whose migrations lack its
/// column fails here. The model must also have no change that a provider's migrations do not carry.
/// </summary>
public abstract class CatalogRoundTripContract : StoreContract
{
    private static readonly DateTimeOffset _now = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Migrations_CarryEveryChangeOfTheModel()
    {
        await using var h = await StartAsync(_now);
        await using var db = ((CatalogStore)h.Store).CreateDb(h.TenantId);
        Assert.False(db.Database.HasPendingModelChanges(),
            $"the catalogue model has changes that {db.Database.ProviderName}'s migrations lack: run 'dotnet ef migrations add' for that provider");
    }

    [Fact]
    public async Task EveryRecord_WrittenAndReadBack_KeepsEveryField()
    {
        await using var h = await StartAsync(_now);
        var store = (CatalogStore)h.Store;
        IReadOnlyList<IEntityType> types;
        await using (var probe = store.CreateDb(h.TenantId)) types = Order(probe.Model.GetEntityTypes().ToList());
        Assert.True(types.Count >= 20, $"the model has {types.Count} record types");

        // Each record gets values no other field of it has, so a swapped or missing column shows.
        var seed = 1000;
        var written = new Dictionary<IEntityType, object>();
        foreach (var type in types)
        {
            await using var db = store.CreateDb(h.TenantId);
            var record = Activator.CreateInstance(type.ClrType)!;
            foreach (var p in type.GetProperties())
            {
                if (p.ValueGenerated == ValueGenerated.OnAdd && p.IsPrimaryKey()) continue;
                var fk = p.GetContainingForeignKeys().FirstOrDefault();
                var value = fk is null ? Sample(p.ClrType, seed++) : PrincipalValue(fk, p, written);
                p.PropertyInfo!.SetValue(record, value);
            }
            db.Add(record);
            await db.SaveChangesAsync(Ct);
            written[type] = record;
        }

        foreach (var type in types)
        {
            await using var db = store.CreateDb(h.TenantId);
            var expected = written[type];
            var key = type.FindPrimaryKey()!.Properties;
            var keyValues = key.Select(k => k.PropertyInfo!.GetValue(expected)).ToArray();
            var stored = await FindAsync(db, type, key, keyValues);
            Assert.True(stored is not null, $"{type.GetTableName()}: the written row was not found by its key");
            foreach (var p in type.GetProperties())
            {
                Assert.True(Equals(p.PropertyInfo!.GetValue(expected), p.PropertyInfo.GetValue(stored)),
                    $"{type.GetTableName()}.{p.GetColumnName()}: wrote {p.PropertyInfo.GetValue(expected)}, read {p.PropertyInfo.GetValue(stored)}");
            }
        }
    }

    [Fact]
    public async Task QuarantineEntry_WrittenAndListed_KeepsEveryField()
    {
        await using var h = await StartAsync(_now);
        // Every settable property by reflection, so a field added to the record later must be written by both providers.
        var entry = new QuarantineEntry { TenantId = h.TenantId, ReceivedAt = 0, Source = "", Field = "", Reason = "" };
        var seed = 1;
        var properties = typeof(QuarantineEntry).GetProperties().Where(p => p.CanWrite && p.Name != nameof(QuarantineEntry.Id)).ToList();
        foreach (var p in properties)
        {
            if (p.Name == nameof(QuarantineEntry.TenantId)) continue;
            p.SetValue(entry, Sample(p.PropertyType, seed++));
        }

        await h.Store.QuarantineAsync([entry], Ct);
        var stored = Assert.Single(await h.Store.ListQuarantineAsync(h.TenantId, 10, Ct));

        Assert.True(stored.Id > 0);
        foreach (var p in properties)
            Assert.True(Equals(p.GetValue(entry), p.GetValue(stored)), $"quarantine {p.Name}: wrote {p.GetValue(entry)}, read {p.GetValue(stored)}");
    }

    /// <summary>Principals before the records that reference them.</summary>
    private static List<IEntityType> Order(List<IEntityType> types)
    {
        var order = new List<IEntityType>();
        while (order.Count < types.Count)
        {
            var ready = types.Where(t => !order.Contains(t) &&
                t.GetForeignKeys().All(fk => fk.PrincipalEntityType == t || order.Contains(fk.PrincipalEntityType))).ToList();
            Assert.NotEmpty(ready);
            order.AddRange(ready);
        }
        return order;
    }

    private static object? PrincipalValue(IForeignKey fk, IProperty property, Dictionary<IEntityType, object> written)
    {
        if (fk.PrincipalEntityType == fk.DeclaringEntityType) return null; // a self reference (a node's parent): the root has none
        var principal = written[fk.PrincipalEntityType];
        var index = fk.Properties.ToList().IndexOf((IProperty)property);
        return fk.PrincipalKey.Properties[index].PropertyInfo!.GetValue(principal);
    }

    private static async Task<object?> FindAsync(GreenLoopDb db, IEntityType type, IReadOnlyList<IProperty> key, object?[] values)
    {
        var method = typeof(CatalogRoundTripContract).GetMethod(nameof(FindTypedAsync), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type.ClrType);
        return await (Task<object?>)method.Invoke(null, [db, key, values])!;
    }

    private static async Task<object?> FindTypedAsync<T>(GreenLoopDb db, IReadOnlyList<IProperty> key, object?[] values) where T : class
    {
        IQueryable<T> q = db.Set<T>().IgnoreQueryFilters().AsNoTracking();
        for (var i = 0; i < key.Count; i++)
        {
            var name = key[i].Name;
            var value = values[i];
            q = q.Where(e => Equals(EF.Property<object>(e, name), value));
        }
        return await q.SingleOrDefaultAsync(Ct);
    }

    private static object? Sample(Type type, int seed)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string)) return $"v{seed}-值";
        if (t == typeof(long)) return 1_700_000_000_000L + seed;
        if (t == typeof(int)) return seed;
        if (t == typeof(double)) return seed + 0.125;
        if (t == typeof(bool)) return true;
        throw new InvalidOperationException($"no sample value for {type}: teach the round-trip test this type");
    }
}
