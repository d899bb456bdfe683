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

        var written = await WriteGraphAsync(store, types, 1000);

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
                Assert.True(SameValue(p.PropertyInfo!.GetValue(expected), p.PropertyInfo.GetValue(stored)),
                    $"{type.GetTableName()}.{p.GetColumnName()}: wrote {p.PropertyInfo.GetValue(expected)}, read {p.PropertyInfo.GetValue(stored)}");
            }
        }
    }

    /// <summary>Records that are not filtered by tenant, and why: everything else must be.</summary>
    private static readonly Dictionary<Type, string> _unfiltered = new()
    {
        [typeof(TenantRecord)] = "the tenants themselves (found by key at start and sign-in)",
        [typeof(AlarmTrackRecord)] = "evaluation state keyed by rule, read and written only by the evaluator, which serves every tenant",
    };

    [Fact]
    public async Task EveryTenantRecord_ReadWithAnotherTenantsContext_NotSeen()
    {
        await using var h = await StartAsync(_now);
        var store = (CatalogStore)h.Store;
        IReadOnlyList<IEntityType> types;
        await using (var probe = store.CreateDb(h.TenantId)) types = Order(probe.Model.GetEntityTypes().ToList());
        var a = await WriteGraphAsync(store, types, 1000);
        var b = await WriteGraphAsync(store, types, 5000);
        var tenantA = ((TenantRecord)a[types.Single(t => t.ClrType == typeof(TenantRecord))]).Id;

        foreach (var type in types.Where(t => !_unfiltered.ContainsKey(t.ClrType)))
        {
            Assert.True(type.GetDeclaredQueryFilters().Count > 0, $"{type.GetTableName()} has no tenant filter: every query would see every tenant's rows");
            await using var db = store.CreateDb(tenantA);
            var key = type.FindPrimaryKey()!.Properties;
            object?[] KeyOf(object record) => [.. key.Select(k => k.PropertyInfo!.GetValue(record))];
            var seen = await ListAsync(db, type);
            Assert.True(seen.Any(r => KeyOf(r).SequenceEqual(KeyOf(a[type]))), $"{type.GetTableName()}: tenant A does not see its own row");
            Assert.False(seen.Any(r => KeyOf(r).SequenceEqual(KeyOf(b[type]))), $"{type.GetTableName()}: tenant A sees tenant B's row");
        }
    }

    /// <summary>
    /// Writes one record of every type, principals first, each field with a value no other field has (so a swapped or
    /// missing column shows); a record's tenant is the tenant record of the same graph.
    /// </summary>
    private static async Task<Dictionary<IEntityType, object>> WriteGraphAsync(CatalogStore store, IReadOnlyList<IEntityType> types, int seed)
    {
        var written = new Dictionary<IEntityType, object>();
        long tenant = 0;
        foreach (var type in types)
        {
            await using var db = store.CreateDb(tenant);
            var record = Activator.CreateInstance(type.ClrType)!;
            foreach (var p in type.GetProperties())
            {
                if (p.ValueGenerated == ValueGenerated.OnAdd && p.IsPrimaryKey()) continue;
                var fk = p.GetContainingForeignKeys().FirstOrDefault();
                var value = fk is not null ? PrincipalValue(fk, p, written)
                    : p.Name == "TenantId" ? tenant
                    : Sample(p.ClrType, seed++);
                p.PropertyInfo!.SetValue(record, value);
            }
            db.Add(record);
            await db.SaveChangesAsync(Ct);
            written[type] = record;
            if (record is TenantRecord t) tenant = t.Id;
        }
        return written;
    }

    private static async Task<List<object>> ListAsync(GreenLoopDb db, IEntityType type)
    {
        var method = typeof(CatalogRoundTripContract).GetMethod(nameof(ListTypedAsync), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type.ClrType);
        return await (Task<List<object>>)method.Invoke(null, [db])!;
    }

    private static async Task<List<object>> ListTypedAsync<T>(GreenLoopDb db) where T : class =>
        [.. await db.Set<T>().AsNoTracking().ToListAsync(Ct)];

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
        var stored = Assert.Single(await h.Store.ListQuarantineAsync(h.TenantId, new GreenLoop.Storage.QuarantineQuery { Limit = 10 }, Ct));

        Assert.True(stored.Id > 0);
        foreach (var p in properties)
            Assert.True(Equals(p.GetValue(entry), p.GetValue(stored)), $"quarantine {p.Name}: wrote {p.GetValue(entry)}, read {p.GetValue(stored)}");
    }

    /// <summary>The tenant first, then principals before the records that reference them.</summary>
    private static List<IEntityType> Order(List<IEntityType> types)
    {
        var order = types.Where(t => t.ClrType == typeof(TenantRecord)).ToList();
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

    /// <summary>Equal values; byte arrays (evidence files) by their content.</summary>
    private static bool SameValue(object? a, object? b) =>
        a is byte[] x && b is byte[] y ? x.AsSpan().SequenceEqual(y) : Equals(a, b);

    private static object? Sample(Type type, int seed)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string)) return $"v{seed}-值";
        if (t == typeof(long)) return 1_700_000_000_000L + seed;
        if (t == typeof(int)) return seed;
        if (t == typeof(double)) return seed + 0.125;
        if (t == typeof(bool)) return true;
        // Every byte value a file can hold, and the seed, so two rows differ.
        if (t == typeof(byte[])) return Enumerable.Range(0, 256).Select(i => (byte)i).Append((byte)seed).ToArray();
        throw new InvalidOperationException($"no sample value for {type}: teach the round-trip test this type");
    }
}
