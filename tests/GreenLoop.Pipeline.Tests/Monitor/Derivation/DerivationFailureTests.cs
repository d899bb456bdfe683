using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Storage;
using GreenLoop.Storage.Catalog;
using GreenLoop.Testing;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Pipeline.Tests.Monitor.Derivation;

/// <summary>
/// A meter whose derivation fails is set aside with its error and every other meter, of its tenant and of every other
/// tenant, is derived (issue 11: one bad record used to stop derivation for all tenants, for good).
/// </summary>
public sealed class DerivationFailureTests
{
    private static readonly DateTimeOffset _now = new(2026, 3, 10, 12, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset _midnight = new(2026, 3, 10, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>
    /// Breaks a stored meter definition as a record from before the validator refused it would be: its kind a number
    /// that names no kind ("kind": 99), which derivation cannot take.
    /// </summary>
    private static async Task BreakAsync(PipelineHarness h, string meterKey)
    {
        var catalog = (ICatalogDb)h.Store;
        await catalog.WriteAsync(h.TenantId, async db =>
        {
            var meter = await db.Meters.SingleAsync(m => m.Key == meterKey);
            meter.Definition = meter.Definition.Replace("\"kind\":\"Cumulative\"", "\"kind\":99", StringComparison.Ordinal);
            Assert.Contains("\"kind\":99", meter.Definition, StringComparison.Ordinal);
            return await db.SaveChangesAsync();
        }, CancellationToken.None);
        h.Catalog.Invalidate();
    }

    private static List<ReadingInput> Hour(string prefix) =>
    [
        .. Enumerable.Range(0, 5).Select(q => new ReadingInput(prefix + ".main.elec", _midnight.AddMinutes(15 * q), 100 + q)),
        .. Enumerable.Range(1, 4).Select(q => new ReadingInput(prefix + ".kiln.gas", _midnight.AddMinutes(15 * q), 2)),
    ];

    [Fact]
    public async Task RunUntilIdle_OneMeterFails_OtherMetersOfEveryTenantDerivedAndTheFailureKeptWithItsError()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        var other = await h.Store.EnsureTenantAsync("other", "Other Co", CancellationToken.None);
        Assert.NotNull((await h.Sites.ApplyAsync(h.TenantId, TestSites.Plant(), CancellationToken.None)).Result);
        Assert.NotNull((await h.Sites.ApplyAsync(other, TestSites.PlantWithKilnElec("theirs", "theirs"), CancellationToken.None)).Result);
        await BreakAsync(h, TestSites.MainMeter);
        Assert.Equal(9, (await h.Ingest.IngestAsync(h.TenantId, Hour("plant"), "test", CancellationToken.None)).Accepted);
        Assert.Equal(9, (await h.Ingest.IngestAsync(other, Hour("theirs"), "test", CancellationToken.None)).Accepted);

        await h.DeriveAsync();

        // The other tenant's main meter: register 100 -> 104 over the hour, multiplier 2 = 8 kWh.
        var theirs = (await h.Store.LoadMetersAsync(other, CancellationToken.None))["theirs.main.elec"];
        var hours = await h.Store.MeterSeriesAsync(new MeterId(theirs.Id), Grain.Hour, new Instant(_midnight.ToUnixTimeMilliseconds()),
            new Instant(_midnight.AddHours(1).ToUnixTimeMilliseconds()), CancellationToken.None);
        Assert.Equal(8.0, Assert.Single(hours).Value);
        // The broken meter's own tenant carries on too: its gas meter, 4 quarters of 2 m3.
        var gas = await h.MeterAsync(TestSites.GasMeter);
        var gasHours = await h.Store.MeterSeriesAsync(new MeterId(gas.Id), Grain.Hour, new Instant(_midnight.ToUnixTimeMilliseconds()),
            new Instant(_midnight.AddHours(1).ToUnixTimeMilliseconds()), CancellationToken.None);
        Assert.Equal(8.0, Assert.Single(gasHours).Value);
        // The broken one is set aside with its error, still marked for derivation, and not tried again before its time.
        var main = await h.MeterAsync(TestSites.MainMeter);
        var failure = h.Derivation.Failures[main.Id];
        Assert.Equal((h.TenantId, TestSites.MainMeter, 1), (failure.TenantId, failure.MeterKey, failure.Attempts));
        Assert.False(string.IsNullOrWhiteSpace(failure.Error));
        Assert.Equal(1, await h.Store.CountDirtyAsync(CancellationToken.None));
        Assert.Equal(0, await h.Derivation.RunOnceAsync(100, CancellationToken.None));
        Assert.Equal(1, h.Derivation.Failures[main.Id].Attempts);
    }

    [Fact]
    public async Task RunOnce_FailedMeterRepaired_DerivedOnItsNextMarkAndNoLongerSetAside()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        Assert.NotNull((await h.Sites.ApplyAsync(h.TenantId, TestSites.Plant(), CancellationToken.None)).Result);
        await BreakAsync(h, TestSites.MainMeter);
        await h.Ingest.IngestAsync(h.TenantId, Hour("plant"), "test", CancellationToken.None);
        await h.DeriveAsync();
        var main = await h.MeterAsync(TestSites.MainMeter);
        Assert.True(h.Derivation.Failures.ContainsKey(main.Id));

        // Applying the document again writes the definition whole (kind Cumulative) and marks the meter for derivation.
        Assert.NotNull((await h.Sites.ApplyAsync(h.TenantId, TestSites.Plant(), CancellationToken.None)).Result);
        await h.DeriveAsync();

        Assert.False(h.Derivation.Failures.ContainsKey(main.Id));
        Assert.Equal(0, await h.Store.CountDirtyAsync(CancellationToken.None));
        var hours = await h.Store.MeterSeriesAsync(new MeterId(main.Id), Grain.Hour, new Instant(_midnight.ToUnixTimeMilliseconds()),
            new Instant(_midnight.AddHours(1).ToUnixTimeMilliseconds()), CancellationToken.None);
        Assert.Equal(8.0, Assert.Single(hours).Value);
    }
}
