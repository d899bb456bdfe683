using System.Globalization;
using System.Text.Json;
using GreenLoop.Accounting;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Storage;

namespace GreenLoop.Pipeline.Model.Accounting;

/// <summary>A locked period as reported: who locked it and when; figures of a locked period never change silently.</summary>
public sealed record LockInfo(string Period, string LockedAt, string By);

/// <summary>Data that arrived after a period was locked: the figure now, the locked figure, and the difference.</summary>
public sealed record Adjustment(string Key, string Unit, double Locked, double Current, double Difference);

/// <summary>An energy report: the account (the locked one if the period is locked), the lock and any adjustments.</summary>
/// <remarks><see cref="HasData"/> is false when nothing was metered in the period: the zeros then mean "no data", not "no energy".</remarks>
public sealed record EnergyReport(string Site, string SiteName, string? SiteNameZh, string Period, string DataSet, EnergyAccount Account, LockInfo? Lock, IReadOnlyList<Adjustment> Adjustments, bool UsesUnverified, double Completeness, bool HasData);

/// <summary>A carbon report: the inventory (the locked one if the period is locked), the lock and any adjustments.</summary>
/// <remarks><see cref="HasData"/> is false when nothing was metered in the period.</remarks>
public sealed record CarbonReport(string Site, string SiteName, string? SiteNameZh, string Period, string DataSet, GhgInventory Inventory, LockInfo? Lock, IReadOnlyList<Adjustment> Adjustments, bool UsesUnverified, double Completeness, bool HasData);

/// <summary>A site's override of a reference value as shown to people.</summary>
public sealed record OverrideView(long Id, string FactorId, string? Year, double Value, string Unit, string Reason, string By, string At);

/// <summary>
/// Turns derived monthly node totals into the accounts of a site and period (month <c>yyyy-MM</c> or year
/// <c>yyyy</c>), with the site's profile and overrides; locks periods and reports later data as adjustments.
/// </summary>
public sealed class AccountingService(ISiteCatalog sites, IAccountingCatalog accounting, ISeriesQueries series, MeterCatalog catalog, TimeProvider clock)
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    public ReferenceLibrary Library { get; } = ReferenceLibrary.Shipped;

    /// <summary>Parses <c>yyyy</c> or <c>yyyy-MM</c> into the local months it covers.</summary>
    public static IReadOnlyList<DateOnly> Months(string period)
    {
        if (period.Length == 4 && int.TryParse(period, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is > 1999 and < 2200)
            return Enumerable.Range(1, 12).Select(m => new DateOnly(y, m, 1)).ToList();
        if (DateOnly.TryParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year is > 1999 and < 2200)
            return [d];
        throw new BadInputException($"'{period}' is not a period; use a year (2025) or a month (2025-06), from 2000 to 2199");
    }

    /// <summary>The site's current local month (<c>yyyy-MM</c>), the default period of a report.</summary>
    public async Task<string?> CurrentPeriodAsync(long tenantId, string siteKey, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        var date = catalog.Calendar(site.Definition.TimeZone).LocalDate(clock.GetUtcNow().ToUnixTimeMilliseconds());
        return date.ToString("yyyy-MM", CultureInfo.InvariantCulture);
    }

    public async Task<AccountingInput?> InputAsync(long tenantId, string siteKey, string period, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        var months = Months(period);
        var calendar = catalog.Calendar(site.Definition.TimeZone);
        var from = calendar.MonthBounds(months[0]).Start;
        var to = calendar.MonthBounds(months[^1]).End;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = await series.NodeTotalsAsync([site.Root.Id], Grain.Month, new Instant(from), new Instant(to), ct);
        var counted = site.Counted.Where(c => c.NodeId == site.Root.Id).Select(c => c.MeterId).ToHashSet();
        var meters = site.Meters.Where(m => counted.Contains(m.Id)).ToList();
        // Completeness counts only the part of the period that has happened.
        var elapsed = Math.Max(1, Math.Min(to, Math.Max(from, now)) - from);
        var activity = rows.GroupBy(r => (r.Carrier, r.Direction)).Select(g =>
        {
            var ms = meters.Where(m => m.Definition.Carrier == g.Key.Carrier && m.Definition.Direction == g.Key.Direction).ToList();
            var unit = ms.FirstOrDefault()?.Definition.Unit ?? "";
            var covered = g.Sum(r => r.CoveredMs);
            var completeness = Math.Min(1, covered / (double)(elapsed * Math.Max(1, ms.Count)));
            return new CarrierActivity(g.Key.Carrier, unit, g.Key.Direction == MeterDirection.Export, g.Sum(r => r.Value ?? 0),
                ms.Select(m => m.Definition.Key).ToList(), Math.Round(completeness, 4));
        }).OrderBy(a => a.Carrier, StringComparer.Ordinal).ThenBy(a => a.Export).ToList();
        var overrides = await FactorOverridesAsync(site.Id, ct);
        return new AccountingInput
        {
            Site = siteKey,
            Period = period,
            Year = months[0].Year,
            GridRegion = site.Definition.GridRegion,
            Activity = activity,
            Profile = site.Definition.Accounting ?? new AccountingProfile(),
            Overrides = overrides,
            Months = months.Select(m => m.ToString("yyyy-MM", CultureInfo.InvariantCulture)).ToList(),
        };
    }

    /// <summary>
    /// The standard-coal conversion of each carrier (key and meter unit) as the energy report of
    /// <paramref name="year"/> makes it: the site's accounting profile, its overrides for that year, electricity at the
    /// equivalent value unless the site declares an equal value for the year. Carriers that are no energy input are left out.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, CoalConversion>> ConversionsAsync(SiteModel site, int year, IEnumerable<(string Carrier, string Unit)> carriers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(carriers);
        var input = new AccountingInput
        {
            Site = site.Definition.Key,
            Period = year.ToString(CultureInfo.InvariantCulture),
            Year = year,
            GridRegion = site.Definition.GridRegion,
            Activity = [],
            Profile = site.Definition.Accounting ?? new AccountingProfile(),
            Overrides = await FactorOverridesAsync(site.Id, ct),
        };
        var factors = new FactorResolver(Library, input.Overrides, year);
        var conversions = new Dictionary<string, CoalConversion>(StringComparer.Ordinal);
        foreach (var (carrier, unit) in carriers)
        {
            if (Run(() => EnergyCalculator.Conversion(input, factors, carrier, unit)) is { } c) conversions[carrier] = c;
        }
        return conversions;
    }

    private async Task<List<FactorOverride>> FactorOverridesAsync(long siteId, CancellationToken ct) =>
        (await accounting.OverridesAsync(siteId, ct)).Select(o =>
            new FactorOverride(o.FactorId, o.Year, o.Value, o.Unit, o.Reason, o.By, DateTimeOffset.FromUnixTimeMilliseconds(o.At))).ToList();

    public async Task<EnergyReport?> EnergyAsync(long tenantId, string siteKey, string period, CancellationToken ct)
    {
        var input = await InputAsync(tenantId, siteKey, period, ct);
        if (input is null) return null;
        var site = (await sites.GetSiteAsync(tenantId, siteKey, ct))!;
        var current = Run(() => EnergyCalculator.Compute(input, Library));
        var (lockInfo, snapshot) = await LockAsync(site.Id, period, ct);
        var account = snapshot?.Energy ?? current;
        var adjustments = snapshot is null ? [] : Differences(
            [(current.Total.Key, current.Total.Unit, snapshot.Energy.Total.Value, current.Total.Value)]);
        var hasData = input.Activity.Count > 0;
        return new EnergyReport(siteKey, site.Definition.Name, site.Definition.NameZh, period, ReferenceLibrary.Version, account, lockInfo, adjustments,
            account.Total.UsesUnverified || account.Verdict?.Unverified == true, hasData ? account.Total.Completeness : 0, hasData);
    }

    public async Task<CarbonReport?> CarbonAsync(long tenantId, string siteKey, string period, CancellationToken ct)
    {
        var input = await InputAsync(tenantId, siteKey, period, ct);
        if (input is null) return null;
        var site = (await sites.GetSiteAsync(tenantId, siteKey, ct))!;
        var current = Run(() => GhgCalculator.Compute(input, Library));
        var (lockInfo, snapshot) = await LockAsync(site.Id, period, ct);
        var inventory = snapshot?.Carbon ?? current;
        var adjustments = snapshot is null ? [] : Differences(
        [
            (current.Scope1.Key, "tCO2e", snapshot.Carbon.Scope1.Value, current.Scope1.Value),
            (current.Scope2Location.Key, "tCO2e", snapshot.Carbon.Scope2Location.Value, current.Scope2Location.Value),
            (current.Scope2Market.Key, "tCO2e", snapshot.Carbon.Scope2Market.Value, current.Scope2Market.Value),
        ]);
        var hasData = input.Activity.Count > 0;
        return new CarbonReport(siteKey, site.Definition.Name, site.Definition.NameZh, period, ReferenceLibrary.Version, inventory, lockInfo, adjustments,
            inventory.TotalMarket.UsesUnverified || inventory.TotalLocation.UsesUnverified,
            hasData ? Math.Min(inventory.TotalLocation.Completeness, inventory.TotalMarket.Completeness) : 0, hasData);
    }

    /// <summary>Locks a period with its current figures. Later data shows as adjustments; the locked figures stay.</summary>
    public async Task<(bool Locked, string? Error)> LockAsync(long tenantId, string siteKey, string period, string by, CancellationToken ct)
    {
        Months(period);
        var input = await InputAsync(tenantId, siteKey, period, ct);
        if (input is null) return (false, $"no site '{siteKey}'");
        var site = (await sites.GetSiteAsync(tenantId, siteKey, ct))!;
        var snapshot = new Snapshot(Run(() => EnergyCalculator.Compute(input, Library)), Run(() => GhgCalculator.Compute(input, Library)));
        var ok = await accounting.LockPeriodAsync(site.Id, new StoredLock(period, clock.GetUtcNow().ToUnixTimeMilliseconds(), by, JsonSerializer.Serialize(snapshot, _json)), ct);
        return ok ? (true, null) : (false, $"period {period} is already locked");
    }

    public async Task<IReadOnlyList<LockInfo>?> LocksAsync(long tenantId, string siteKey, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        return site is null ? null : (await accounting.LocksAsync(site.Id, ct)).Select(ToInfo).ToList();
    }

    public async Task<OverrideView?> AddOverrideAsync(long tenantId, string siteKey, string factorId, string? year, double value, string? unit, string reason, string by, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        if (string.IsNullOrWhiteSpace(factorId)) throw new BadInputException("name the reference factor to override as kind/key, e.g. cn_fuel_ncv/natural_gas");
        var parts = factorId.Split('/', 2);
        var reference = parts.Length == 2 ? Library.Find(parts[0], parts[1]) : null;
        if (reference is null) throw new BadInputException($"no reference factor '{factorId}' (use kind/key, e.g. cn_fuel_ncv/natural_gas)");
        if (!double.IsFinite(value) || value < 0) throw new BadInputException("the override value must be a finite, non-negative number");
        if (string.IsNullOrWhiteSpace(reason)) throw new BadInputException("an override needs a reason (e.g. 'measured NCV, lab report 2025-031')");
        if (year is not null && (year.Length != 4 || !year.All(char.IsAsciiDigit))) throw new BadInputException($"'{year}' is not a year");
        var at = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var stored = new StoredOverride(0, reference.Id, year, value, unit ?? reference.Unit, reason.Trim(), by, at);
        var id = await accounting.AddOverrideAsync(site.Id, stored, ct);
        return ToView(stored with { Id = id });
    }

    public async Task<IReadOnlyList<OverrideView>?> OverridesAsync(long tenantId, string siteKey, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        return site is null ? null : (await accounting.OverridesAsync(site.Id, ct)).Select(ToView).ToList();
    }

    private sealed record Snapshot(EnergyAccount Energy, GhgInventory Carbon);

    private async Task<(LockInfo? Info, Snapshot? Snapshot)> LockAsync(long siteId, string period, CancellationToken ct)
    {
        var l = (await accounting.LocksAsync(siteId, ct)).FirstOrDefault(x => x.Period == period);
        return l is null ? (null, null) : (ToInfo(l), JsonSerializer.Deserialize<Snapshot>(l.Snapshot, _json));
    }

    private static LockInfo ToInfo(StoredLock l) =>
        new(l.Period, DateTimeOffset.FromUnixTimeMilliseconds(l.LockedAt).ToString("O", CultureInfo.InvariantCulture), l.By);

    private static OverrideView ToView(StoredOverride o) =>
        new(o.Id, o.FactorId, o.Year, o.Value, o.Unit, o.Reason, o.By, DateTimeOffset.FromUnixTimeMilliseconds(o.At).ToString("O", CultureInfo.InvariantCulture));

    private static List<Adjustment> Differences(IEnumerable<(string Key, string Unit, double Locked, double Current)> pairs) =>
        pairs.Where(p => Math.Abs(p.Current - p.Locked) > 1e-9 * Math.Max(1, Math.Abs(p.Locked)))
            .Select(p => new Adjustment(p.Key, p.Unit, p.Locked, p.Current, p.Current - p.Locked)).ToList();

    private static T Run<T>(Func<T> compute)
    {
        try { return compute(); }
        catch (AccountingException ex) { throw new BadInputException(ex.Message); }
    }
}
