using GreenLoop.Domain.Cost;
using GreenLoop.Pipeline.Cost;
using GreenLoop.Pipeline.Model.Accounting;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;

namespace GreenLoop.Server.Api;

/// <summary>
/// Electricity tariffs as data (the tenant's and the reference ones GreenLoop ships), a site's electricity account, and
/// the month's two-part bill reckoned from the account's meters at 15-minute resolution.
/// </summary>
public static class CostApi
{
    public static IEndpointRouteBuilder MapCostApi(this IEndpointRouteBuilder app)
    {
        var tariffs = app.MapGroup("/api/v1/tariffs").WithTags("Cost");
        tariffs.MapGet("/", Tariffs).Produces<IReadOnlyList<TariffView>>()
            .WithSummary("The tenant's electricity tariffs and the reference tariffs GreenLoop ships (reference=true), with their versions, sources and UNVERIFIED fields")
            .RequirePermission(Permissions.Read);
        tariffs.MapGet("/{key}", Tariff).Produces<TariffView>().WithSummary("One tariff (the tenant's own, else the reference tariff of that key)").RequirePermission(Permissions.Read);
        tariffs.MapPut("/{key}", SaveTariff).Produces<TariffView>()
            .WithSummary("Save one of the tenant's tariffs: versions (validFrom), band prices ¥/kWh, seasons (months, days, periods covering the day), demand ¥/kW and capacity ¥/kVA per month, per-kWh funds, source")
            .RequirePermission(Permissions.Configure);
        var sites = app.MapGroup("/api/v1/sites/{site}").WithTags("Cost");
        sites.MapGet("/electricity-account", Account).Produces<ElectricityAccount>().WithSummary("The site's electricity account: tariff, basic-charge basis, contracted demand, power-factor standard, billed meters")
            .RequirePermission(Permissions.Read);
        sites.MapPut("/electricity-account", SaveAccount).Produces<ElectricityAccount>()
            .WithSummary("Set the site's electricity account (tariff key; basis Capacity with capacityKva or Demand with an optional contractDemandKw; powerFactorStandard 0.90, 0.85, 0.80 or null; activeMeters kWh, reactiveMeters kvarh)")
            .RequirePermission(Permissions.Configure);
        sites.MapGet("/electricity-bill", Bill).Produces<BillView>()
            .WithSummary("The month's electricity bill (month=yyyy-MM, default this month): energy by tariff version and band, basic charge with the 15-minute maximum demand, power-factor adjustment, funds, total ¥; completeness")
            .RequirePermission(Permissions.ReadPark);
        sites.MapGet("/electricity-bill.xlsx", BillWorkbook)
            .WithSummary("The month's electricity bill as an Excel workbook (month=yyyy-MM, default this month): summary, energy lines, basic charge, power factor, funds, sources and UNVERIFIED values; labels in Chinese and English, units in the headers")
            .Produces(StatusCodes.Status200OK, typeof(Stream), ReportWorkbook.ContentType).RequirePermission(Permissions.ReadPark);
        sites.MapGet("/electricity-bill.csv", BillCsv)
            .WithSummary("The month's electricity bill as CSV (month=yyyy-MM, default this month): the energy lines by tariff version and band, the funds and the totals; UTF-8 with a byte-order mark, units in the headers")
            .Produces(StatusCodes.Status200OK, typeof(Stream), "text/csv").RequirePermission(Permissions.ReadPark);
        return app;
    }

    internal static async Task<IResult> Tariffs(CostService cost, TenantContext tenant, CancellationToken ct) => TypedResults.Ok(await cost.TariffsAsync(tenant.TenantId, ct));

    internal static Task<IResult> Tariff(string key, CostService cost, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => cost.TariffAsync(tenant.TenantId, key, ct));

    internal static async Task<IResult> SaveTariff(string key, ElectricityTariff? body, CostService cost, TenantContext tenant, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        if (body is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["a tariff: name, versions"] });
        var tariff = body with { Key = key };
        if (ElectricityTariff.Validate(tariff) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors, title: "The tariff has errors; nothing was saved");
        return TypedResults.Ok(await cost.SaveTariffAsync(tenant.TenantId, key, tariff, ApiResults.Actor(http), clock.GetUtcNow().ToUnixTimeMilliseconds(), ct));
    }

    internal static async Task<IResult> Account(string site, CostService cost, TenantContext tenant, CancellationToken ct)
    {
        if (await cost.SiteAsync(tenant.TenantId, site, ct) is not { } model) return TypedResults.NotFound();
        return await cost.AccountAsync(tenant.TenantId, model, ct) is { } account
            ? TypedResults.Ok(account)
            : TypedResults.Problem(title: "No electricity account", statusCode: StatusCodes.Status404NotFound,
                detail: $"site '{site}' has no electricity account yet: PUT /api/v1/sites/{site}/electricity-account with its tariff and billed meters");
    }

    internal static async Task<IResult> SaveAccount(string site, ElectricityAccount? body, CostService cost, TenantContext tenant, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        if (await cost.SiteAsync(tenant.TenantId, site, ct) is not { } model) return TypedResults.NotFound();
        if (body is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["an account: tariff, basis, activeMeters"] });
        if (await cost.ValidateAsync(tenant.TenantId, model, body, ct) is { Count: > 0 } errors)
            return TypedResults.ValidationProblem(errors, title: "The electricity account has errors; nothing was saved");
        await cost.SaveAccountAsync(tenant.TenantId, model, body, ApiResults.Actor(http), clock.GetUtcNow().ToUnixTimeMilliseconds(), ct);
        return TypedResults.Ok(body);
    }

    internal static Task<IResult> Bill(string site, string? month, CostService cost, TenantContext tenant, CancellationToken ct) =>
        BillAnswer(site, month, cost, tenant, (bill, _) => TypedResults.Ok(bill), ct);

    internal static Task<IResult> BillWorkbook(string site, string? month, CostService cost, TenantContext tenant, CancellationToken ct) =>
        BillAnswer(site, month, cost, tenant, (bill, model) => TypedResults.File(ReportWorkbook.ElectricityBill(bill, model.Definition.NameZh ?? model.Definition.Name),
            ReportWorkbook.ContentType, ReportWorkbook.BillFileName(site, bill.Month, "xlsx")), ct);

    internal static Task<IResult> BillCsv(string site, string? month, CostService cost, TenantContext tenant, CancellationToken ct) =>
        BillAnswer(site, month, cost, tenant, (bill, _) => TypedResults.File(ElectricityBillCsv.Write(bill), ElectricityBillCsv.ContentType,
            ReportWorkbook.BillFileName(site, bill.Month, "csv")), ct);

    /// <summary>The bill of the month (default this month) in the form <paramref name="answer"/> gives it; 404 for no site or no account.</summary>
    private static async Task<IResult> BillAnswer(string site, string? month, CostService cost, TenantContext tenant, Func<BillView, Storage.SiteModel, IResult> answer,
        CancellationToken ct)
    {
        if (await cost.SiteAsync(tenant.TenantId, site, ct) is not { } model) return TypedResults.NotFound();
        month ??= cost.ThisMonth(model);
        return await cost.BillAsync(tenant.TenantId, model, month, ct) is { } bill
            ? answer(bill, model)
            : TypedResults.Problem(title: "No electricity account", statusCode: StatusCodes.Status404NotFound,
                detail: $"site '{site}' has no electricity account yet: PUT /api/v1/sites/{site}/electricity-account with its tariff and billed meters");
    }
}
