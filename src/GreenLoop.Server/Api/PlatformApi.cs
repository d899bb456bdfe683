using GreenLoop.Domain.Model;
using GreenLoop.Pipeline.Trace.Audit;
using GreenLoop.Server.Security;
using GreenLoop.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GreenLoop.Server.Api;

/// <summary>A tenant as the platform operator sees it.</summary>
public sealed record PlatformTenantView(string Key, string Name, bool Disabled, int Sites, int Users);

/// <summary>Creating a tenant: its key and name, and its first administrator (user name default <c>admin</c>; without a password one is generated).</summary>
public sealed record PlatformTenantRequest(string? Key = null, string? Name = null, string? AdminUserName = null, string? AdminPassword = null);

/// <summary>Changing a tenant: a new name, or disabling / enabling it (fields left out stay as they are).</summary>
public sealed record PlatformTenantChange(string? Name = null, bool? Disabled = null);

/// <summary>The answer to creating a tenant: the tenant, its administrator's user name and, if none was given, the generated password (shown only here).</summary>
public sealed record CreatedTenant(PlatformTenantView Tenant, string AdminUserName, string? GeneratedPassword);

/// <summary>
/// The platform operator's tenant administration, for a platform key (no tenant, no other right): list, create with
/// the first administrator, rename, disable, enable. Each change is recorded in the affected tenant's audit trail with
/// the key's name as actor (<c>platform:NAME</c>).
/// </summary>
public static class PlatformApi
{
    public static IEndpointRouteBuilder MapPlatformApi(this IEndpointRouteBuilder app)
    {
        var tenants = app.MapGroup("/api/v1/platform/tenants").WithTags("Platform administration")
            .RequireAuthorization(SecurityHosting.PlatformPolicy).AnswersBadInput();
        tenants.MapGet("/", List).WithSummary("Every tenant with its state and how many sites and users it has (platform key only)");
        tenants.MapPost("/", Create).WithSummary("Create a tenant and its first administrator; a generated password is returned once (platform key only)");
        tenants.MapPut("/{tenant}", Change).WithSummary("Rename, disable (its users cannot sign in, its keys are refused; data kept) or enable a tenant (platform key only)");
        return app;
    }

    internal static async Task<Ok<List<PlatformTenantView>>> List(ISiteCatalog sites, IUserCatalog users, CancellationToken ct)
    {
        var list = new List<PlatformTenantView>();
        foreach (var t in await sites.ListTenantsAsync(ct)) list.Add(await ViewAsync(t, sites, users, ct));
        return TypedResults.Ok(list);
    }

    private static async Task<PlatformTenantView> ViewAsync(StoredTenant t, ISiteCatalog sites, IUserCatalog users, CancellationToken ct) =>
        new(t.Key, t.Name, t.Disabled, (await sites.ListSitesAsync(t.Id, ct)).Count, (await users.ListUsersAsync(t.Id, ct)).Count);

    [NotAudited]
    internal static async Task<IResult> Create(PlatformTenantRequest body, ISiteCatalog sites, IUserCatalog users, UserService userService,
        AuditTrail audit, HttpContext http, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!SiteDefinitionValidator.IsKey(body.Key)) errors["key"] = ["1-64 letters, digits, '-', '_' or '.'"];
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 200) errors["name"] = ["1-200 characters"];
        var adminName = string.IsNullOrWhiteSpace(body.AdminUserName) ? "admin" : body.AdminUserName.Trim();
        if (UserService.Validate(adminName, body.AdminPassword, []) is { Count: > 0 } problems)
            foreach (var problem in problems)
                errors[problem.StartsWith("password", StringComparison.Ordinal) ? "adminPassword" : "adminUserName"] = [problem];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if ((await sites.ListTenantsAsync(ct)).Any(t => t.Key == body.Key))
            return TypedResults.Problem(title: "Tenant exists", statusCode: StatusCodes.Status409Conflict, detail: $"a tenant '{body.Key}' exists already");
        var tenantId = await sites.EnsureTenantAsync(body.Key!, body.Name!.Trim(), ct);
        var password = body.AdminPassword ?? UserService.GeneratePassword();
        await userService.CreateAsync(tenantId, adminName, "Administrator", password, [new StoredRole(Roles.Administrator, null)], ct);
        await audit.RecordAsync(tenantId, ApiResults.Actor(http), "POST /api/v1/platform/tenants", $"tenant:{body.Key}",
            new { name = body.Name.Trim(), administrator = adminName }, ct);
        var created = (await sites.ListTenantsAsync(ct)).First(t => t.Id == tenantId);
        return TypedResults.Created($"/api/v1/platform/tenants/{Uri.EscapeDataString(created.Key)}",
            new CreatedTenant(await ViewAsync(created, sites, users, ct), adminName, body.AdminPassword is null ? password : null));
    }

    [NotAudited]
    internal static async Task<IResult> Change(string tenant, PlatformTenantChange body, ISiteCatalog sites, IUserCatalog users,
        AuditTrail audit, HttpContext http, CancellationToken ct)
    {
        if (body.Name is not null && (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 200))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["1-200 characters"] });
        if ((await sites.ListTenantsAsync(ct)).FirstOrDefault(t => t.Key == tenant) is not { } existing)
            return TypedResults.Problem(title: "No such tenant", statusCode: StatusCodes.Status404NotFound, detail: $"no tenant '{tenant}'");
        await sites.UpdateTenantAsync(tenant, body.Name?.Trim(), body.Disabled, ct);
        await audit.RecordAsync(existing.Id, ApiResults.Actor(http), "PUT /api/v1/platform/tenants/{tenant}", $"tenant:{tenant}",
            new { name = body.Name?.Trim(), disabled = body.Disabled }, ct);
        var changed = (await sites.ListTenantsAsync(ct)).First(t => t.Id == existing.Id);
        return TypedResults.Ok(await ViewAsync(changed, sites, users, ct));
    }
}
