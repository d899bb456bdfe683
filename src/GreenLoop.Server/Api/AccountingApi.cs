using GreenLoop.Accounting;
using GreenLoop.Pipeline.Model.Accounting;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GreenLoop.Server.Api;

/// <summary>Energy and carbon reports with lineage, the factor library, site overrides and period locks.</summary>
public static class AccountingApi
{
    /// <summary>The media type of an Excel workbook (.xlsx).</summary>
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static IEndpointRouteBuilder MapAccountingApi(this IEndpointRouteBuilder app)
    {
        var sites = app.MapGroup("/api/v1/sites/{site}").WithTags("Accounting");
        sites.MapGet("/reports/energy", Energy).WithSummary("Comprehensive energy consumption (GB/T 2589-2020), unit-product energy and the limit verdict, with lineage").RequirePermission(Permissions.ReadPark)
            .Produces<EnergyReport>();
        sites.MapGet("/reports/carbon", Carbon).WithSummary("GHG inventory: Scope 1 combustion and process, Scope 2 location- and market-based, with lineage").RequirePermission(Permissions.ReadPark)
            .Produces<CarbonReport>();
        sites.MapGet("/reports/energy.xlsx", EnergyWorkbook).WithSummary("The energy report as an Excel workbook: summary, by carrier, activity data, factors used").RequirePermission(Permissions.ReadPark)
            .Produces(StatusCodes.Status200OK, typeof(Stream), Xlsx);
        sites.MapGet("/reports/carbon.xlsx", CarbonWorkbook).WithSummary("The GHG inventory as an Excel workbook: summary, by source, activity data, factors used").RequirePermission(Permissions.ReadPark)
            .Produces(StatusCodes.Status200OK, typeof(Stream), Xlsx);
        sites.MapGet("/factor-overrides", Overrides).WithSummary("The site's overrides of reference values").RequirePermission(Permissions.Read);
        sites.MapPost("/factor-overrides", AddOverride).WithSummary("Override a reference value for this site (e.g. a measured calorific value), with a reason").RequirePermission(Permissions.Account);
        sites.MapGet("/periods", Locks).WithSummary("Locked periods").RequirePermission(Permissions.ReadPark);
        sites.MapPost("/periods/{period}/lock", Lock).WithSummary("Lock a month or year: its figures stay; later data shows as adjustments").RequirePermission(Permissions.Account);
        app.MapGet("/api/v1/reference/factors", Factors).WithTags("Accounting").WithSummary("The reference data set: every factor with its source, year and UNVERIFIED flag").RequirePermission(Permissions.ReadPark);
        return app;
    }

    /// <summary>A factor as the library browser shows it.</summary>
    /// <summary>A reference row: <c>source</c> cites the standard or publication in English, <c>sourceZh</c> in Chinese; <c>provenance</c> says how the value was obtained and checked.</summary>
    public sealed record FactorRow(string Id, string Kind, string Key, string NameZh, string NameEn, double? Value, string RawValue, string Unit, string Source, string Year, string Notes, bool Unverified,
        string SourceZh, string Provenance);

    public sealed record FactorList(string DataSet, int Count, IReadOnlyList<FactorRow> Factors);

    public sealed record OverrideRequest(string Factor, string? Year, double Value, string? Unit, string Reason);

    internal static Ok<FactorList> Factors(string? kind, string? q, AccountingService accounting)
    {
        var rows = accounting.Library.Factors
            .Where(f => kind is null || f.Kind == kind)
            .Where(f => string.IsNullOrWhiteSpace(q) || f.Key.Contains(q, StringComparison.OrdinalIgnoreCase) || f.NameEn.Contains(q, StringComparison.OrdinalIgnoreCase) || f.NameZh.Contains(q, StringComparison.Ordinal))
            .Select(f => new FactorRow(f.Id, f.Kind, f.Key, f.NameZh, f.NameEn, f.Value, f.RawValue, f.Unit, f.Source, f.Year, f.Notes, f.Unverified, f.SourceZh, f.Provenance))
            .ToList();
        return TypedResults.Ok(new FactorList(ReferenceLibrary.Version, rows.Count, rows));
    }

    internal static Task<IResult> Energy(string site, string? period, AccountingService accounting, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(async () => (period ?? await accounting.CurrentPeriodAsync(tenant.TenantId, site, ct)) is { } p
            ? await accounting.EnergyAsync(tenant.TenantId, site, p, ct) : null);

    internal static Task<IResult> Carbon(string site, string? period, AccountingService accounting, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(async () => (period ?? await accounting.CurrentPeriodAsync(tenant.TenantId, site, ct)) is { } p
            ? await accounting.CarbonAsync(tenant.TenantId, site, p, ct) : null);

    internal static async Task<IResult> EnergyWorkbook(string site, string? period, AccountingService accounting, TenantContext tenant, CancellationToken ct)
    {
        if ((period ?? await accounting.CurrentPeriodAsync(tenant.TenantId, site, ct)) is not { } p) return TypedResults.NotFound();
        return await Workbook(() => accounting.EnergyAsync(tenant.TenantId, site, p, ct), ReportWorkbook.Energy, ReportWorkbook.FileName(site, "energy", p));
    }

    internal static async Task<IResult> CarbonWorkbook(string site, string? period, AccountingService accounting, TenantContext tenant, CancellationToken ct)
    {
        if ((period ?? await accounting.CurrentPeriodAsync(tenant.TenantId, site, ct)) is not { } p) return TypedResults.NotFound();
        return await Workbook(() => accounting.CarbonAsync(tenant.TenantId, site, p, ct), ReportWorkbook.Carbon, ReportWorkbook.FileName(site, "carbon", p));
    }

    private static async Task<IResult> Workbook<T>(Func<Task<T?>> report, Func<T, byte[]> write, string fileName) where T : class =>
        await report() is { } r ? TypedResults.File(write(r), ReportWorkbook.ContentType, fileName) : TypedResults.NotFound();

    internal static Task<IResult> Overrides(string site, AccountingService accounting, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => accounting.OverridesAsync(tenant.TenantId, site, ct));

    internal static Task<IResult> AddOverride(string site, OverrideRequest body, AccountingService accounting, TenantContext tenant, HttpContext http, CancellationToken ct) =>
        ApiResults.Answer(() => accounting.AddOverrideAsync(tenant.TenantId, site, body.Factor, body.Year, body.Value, body.Unit, body.Reason, ApiResults.Actor(http), ct));

    internal static Task<IResult> Locks(string site, AccountingService accounting, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => accounting.LocksAsync(tenant.TenantId, site, ct));

    internal static async Task<IResult> Lock(string site, string period, AccountingService accounting, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        var (locked, error) = await accounting.LockAsync(tenant.TenantId, site, period, ApiResults.Actor(http), ct);
        if (locked) return TypedResults.Ok(new { site, period, locked = true });
        return error!.StartsWith("no site", StringComparison.Ordinal) ? TypedResults.NotFound()
            : TypedResults.Problem(title: "The period cannot be locked", detail: error, statusCode: StatusCodes.Status409Conflict);
    }
}
