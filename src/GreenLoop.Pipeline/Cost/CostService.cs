using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GreenLoop.Domain.Cost;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Storage;
using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Pipeline.Cost;

/// <summary>A tariff as listed: the tariff, whether it is one GreenLoop ships (reference) or the tenant's own, who saved it and when.</summary>
public sealed record TariffView(ElectricityTariff Tariff, bool Reference, string? UpdatedBy, string? UpdatedAt);

/// <summary>
/// A month's electricity bill of a site as GreenLoop reckons it from its meters: the tariff and account used, the bill
/// (every line), the 15-minute intervals expected and found (completeness; a missing interval is not billed — never a
/// zero filled in), the meters read, the sources of the prices and the values flagged UNVERIFIED. Amounts in ¥ (CNY).
/// </summary>
public sealed record BillView(string Site, string Month, string Currency, string Tariff, string TariffName, string? TariffNameZh, ElectricityAccount Account,
    ElectricityBill Bill, int IntervalsExpected, int IntervalsFound, double Completeness, IReadOnlyList<string> Meters, IReadOnlyList<string> ReactiveMeters,
    IReadOnlyList<string> Sources, IReadOnlyList<string> Unverified);

/// <summary>
/// Electricity tariffs (the tenant's, and the reference tariffs GreenLoop ships), a site's electricity account, and the
/// month's bill reckoned from the account's meters at 15-minute resolution (<see cref="ElectricityBilling"/>).
/// </summary>
public sealed class CostService(ICatalogDb catalog, ISiteCatalog sites, ISeriesQueries series, MeterCatalog meters, TimeProvider clock)
{
    /// <summary>The site's local month now, <c>yyyy-MM</c>.</summary>
    public string ThisMonth(SiteModel site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return meters.Calendar(site.Definition.TimeZone).LocalDate(clock.GetUtcNow().ToUnixTimeMilliseconds()).ToString("yyyy-MM", CultureInfo.InvariantCulture);
    }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The tenant's tariffs, then the reference tariffs it has not replaced with its own of the same key.</summary>
    public async Task<IReadOnlyList<TariffView>> TariffsAsync(long tenantId, CancellationToken ct)
    {
        await using var db = catalog.Open(tenantId);
        var own = (await db.Tariffs.AsNoTracking().OrderBy(t => t.Key).ToListAsync(ct))
            .Select(r => new TariffView(JsonSerializer.Deserialize<ElectricityTariff>(r.Body, Json)!, false, r.UpdatedBy, Iso(r.UpdatedAt))).ToList();
        return [.. own, .. ReferenceTariffs.All.Where(t => own.All(o => o.Tariff.Key != t.Key)).Select(t => new TariffView(t, true, null, null))];
    }

    /// <summary>A tariff by key: the tenant's own, else a reference tariff; null when neither has it.</summary>
    public async Task<TariffView?> TariffAsync(long tenantId, string key, CancellationToken ct)
    {
        await using var db = catalog.Open(tenantId);
        var row = await db.Tariffs.AsNoTracking().FirstOrDefaultAsync(t => t.Key == key, ct);
        if (row is not null) return new TariffView(JsonSerializer.Deserialize<ElectricityTariff>(row.Body, Json)!, false, row.UpdatedBy, Iso(row.UpdatedAt));
        return ReferenceTariffs.All.FirstOrDefault(t => t.Key == key) is { } reference ? new TariffView(reference, true, null, null) : null;
    }

    /// <summary>Saves (creates or replaces) one of the tenant's tariffs; the key in the path wins.</summary>
    public async Task<TariffView> SaveTariffAsync(long tenantId, string key, ElectricityTariff tariff, string by, long now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tariff);
        tariff = tariff with { Key = key, Versions = [.. tariff.Versions.OrderBy(v => v.ValidFrom, StringComparer.Ordinal)] };
        if (ElectricityTariff.Validate(tariff) is { Count: > 0 } errors)
            throw new BadInputException(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        var body = JsonSerializer.Serialize(tariff, Json);
        await catalog.WriteAsync(tenantId, async db =>
        {
            var row = await db.Tariffs.FirstOrDefaultAsync(t => t.Key == key, ct);
            if (row is null) db.Tariffs.Add(new TariffRecord { TenantId = tenantId, Key = key, Body = body, UpdatedBy = by, UpdatedAt = now });
            else (row.Body, row.UpdatedBy, row.UpdatedAt) = (body, by, now);
            return await db.SaveChangesAsync(ct);
        }, ct);
        return new TariffView(tariff, false, by, Iso(now));
    }

    /// <summary>The site's electricity account, or null when it has none (404 for a site that does not exist is the caller's).</summary>
    public async Task<ElectricityAccount?> AccountAsync(long tenantId, SiteModel site, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(site);
        await using var db = catalog.Open(tenantId);
        var row = await db.ElectricityAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.SiteId == site.Id, ct);
        return row is null ? null : JsonSerializer.Deserialize<ElectricityAccount>(row.Body, Json);
    }

    public Task<SiteModel?> SiteAsync(long tenantId, string siteKey, CancellationToken ct) => sites.GetSiteAsync(tenantId, siteKey, ct);

    /// <summary>Every problem with an account for a site, by field: the tariff must exist, the meters be the site's (kWh; kvarh), the basis have its quantity.</summary>
    public async Task<Dictionary<string, string[]>> ValidateAsync(long tenantId, SiteModel site, ElectricityAccount account, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(account);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(account.Tariff) || await TariffAsync(tenantId, account.Tariff, ct) is null)
            errors["tariff"] = [$"no tariff '{account.Tariff}': use one of GET /api/v1/tariffs"];
        if (account.Basis == BasicChargeBasis.Capacity && account.CapacityKva is not (> 0 and < 1e7)) errors["capacityKva"] = ["a basic charge by capacity needs the installed transformer capacity, kVA"];
        if (account.ContractDemandKw is { } c && c is not (> 0 and < 1e7)) errors["contractDemandKw"] = ["above 0 kW"];
        if (account.PowerFactorStandard is { } s && Math.Round(s, 2) is not (0.90 or 0.85 or 0.80)) errors["powerFactorStandard"] = ["0.90, 0.85 or 0.80 (null: no power-factor adjustment)"];
        if (account.ActiveMeters.Count is 0 or > 20) errors["activeMeters"] = ["1 to 20 meters of active energy (kWh) that the utility bills (the incomers)"];
        foreach (var (field, keys, unit) in new[] { ("activeMeters", account.ActiveMeters, "kWh"), ("reactiveMeters", account.ReactiveMeters, "kvarh") })
        {
            var wrong = keys.Where(k => site.Meters.FirstOrDefault(m => m.Definition.Key == k) is not { } m || !string.Equals(m.Definition.Unit, unit, StringComparison.OrdinalIgnoreCase)
                || m.Definition.Kind == MeterKind.Instantaneous).ToList();
            if (wrong.Count > 0) errors[field] = [$"{string.Join(", ", wrong)}: not a meter of this site counting {unit}"];
        }
        if (account.PowerFactorStandard is not null && account.ReactiveMeters.Count == 0) errors["reactiveMeters"] = ["the power-factor adjustment needs the reactive energy (kvarh) meters"];
        return errors;
    }

    /// <summary>Saves the site's electricity account (validated).</summary>
    public async Task SaveAccountAsync(long tenantId, SiteModel site, ElectricityAccount account, string by, long now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(site);
        var body = JsonSerializer.Serialize(account, Json);
        await catalog.WriteAsync(tenantId, async db =>
        {
            var row = await db.ElectricityAccounts.FirstOrDefaultAsync(a => a.SiteId == site.Id, ct);
            if (row is null) db.ElectricityAccounts.Add(new ElectricityAccountRecord { TenantId = tenantId, SiteId = site.Id, Body = body, UpdatedBy = by, UpdatedAt = now });
            else (row.Body, row.UpdatedBy, row.UpdatedAt) = (body, by, now);
            return await db.SaveChangesAsync(ct);
        }, ct);
    }

    /// <summary>The bill of a local month (<c>yyyy-MM</c>) of a site with an account; null when the site has none.</summary>
    public async Task<BillView?> BillAsync(long tenantId, SiteModel site, string month, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (!DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first) || first.Year is < 2000 or > 2199)
            throw new BadInputException("month: yyyy-MM");
        var account = await AccountAsync(tenantId, site, ct);
        if (account is null) return null;
        var tariff = (await TariffAsync(tenantId, account.Tariff, ct))?.Tariff
            ?? throw new BadInputException($"the site's account names tariff '{account.Tariff}', which no longer exists");
        if (tariff.VersionOn(first) is null && tariff.VersionOn(first.AddMonths(1).AddDays(-1)) is null)
            throw new BadInputException($"month: tariff '{tariff.Key}' has no version in force in {month} (its first starts {tariff.Versions.Min(v => v.ValidFrom)})");
        var calendar = meters.Calendar(site.Definition.TimeZone);
        var (start, end) = calendar.MonthBounds(first);

        // Intervals where every billed meter has data; one missing meter leaves the interval out (a half-measured interval is not billed).
        var sums = new SortedDictionary<long, (double Kwh, int Meters)>();
        foreach (var key in account.ActiveMeters)
        {
            var meter = site.Meters.First(m => m.Definition.Key == key);
            foreach (var row in await series.MeterSeriesAsync(new MeterId(meter.Id), Grain.Minutes15, new Instant(start), new Instant(end), ct))
                if (row.Value is { } v && row.CoveredMs > 0) sums[row.Ts] = (sums.GetValueOrDefault(row.Ts).Kwh + v, sums.GetValueOrDefault(row.Ts).Meters + 1);
        }
        var complete = new List<BilledInterval>();
        foreach (var (ts, sum) in sums)
            if (sum.Meters == account.ActiveMeters.Count && ts >= start && ts < end && tariff.VersionOn(calendar.LocalDate(ts)) is not null)
                complete.Add(new BilledInterval(calendar.ToLocal(ts), sum.Kwh));

        double? reactive = null;
        if (account.ReactiveMeters.Count > 0)
        {
            reactive = 0;
            foreach (var key in account.ReactiveMeters)
            {
                var meter = site.Meters.First(m => m.Definition.Key == key);
                foreach (var row in await series.MeterSeriesAsync(new MeterId(meter.Id), Grain.Day, new Instant(start), new Instant(end), ct))
                    reactive += row.Value ?? 0;
            }
        }
        var bill = ElectricityBilling.Month(first.Year, first.Month, tariff, account, complete, reactive);
        var expected = (int)((end - start) / SiteCalendar.BucketMs);
        var used = tariff.Versions.Where(v => bill.Energy.Any(l => l.ValidFrom == v.ValidFrom) || bill.Basic?.Parts.Any(p => p.ValidFrom == v.ValidFrom) == true).ToList();
        var sources = used.Select(v => $"{v.ValidFrom}: {v.Source}").Distinct().ToList();
        if (bill.PowerFactor is not null) sources.Add(PowerFactorAdjustment.Source);
        var unverified = used.SelectMany(v => v.Unverified.Select(u => $"{v.ValidFrom}: {u}")).ToList();
        if (bill.PowerFactor is { } pf && !PowerFactorAdjustment.Verified(pf.Standard)) unverified.Add($"power-factor table {pf.Standard.ToString("0.00", CultureInfo.InvariantCulture)}");
        if (bill.Basic is { ExcessKw: > 0 }) unverified.Add("the 105 % contracted-demand rule (发改办价格〔2016〕1583号, read in secondary sources)");
        return new BillView(site.Definition.Key, month, "CNY", tariff.Key, tariff.Name, tariff.NameZh, account, bill, expected, complete.Count,
            expected == 0 ? 0 : (double)complete.Count / expected, account.ActiveMeters, account.ReactiveMeters, sources, unverified);
    }
}
