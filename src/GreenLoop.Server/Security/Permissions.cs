using System.Security.Claims;

namespace GreenLoop.Server.Security;

/// <summary>What a user or key may do. A grant holds for one site or, with scope <c>*</c>, for every site of the tenant.</summary>
public static class Permissions
{
    /// <summary>Meter-level data: series, events, balance, readings' quarantine, alarms, manual entries.</summary>
    public const string Read = "read";
    /// <summary>Site-level figures only: the site list, overviews, energy and carbon reports (what a park administrator sees).</summary>
    public const string ReadPark = "read-park";
    /// <summary>Write readings (gateways).</summary>
    public const string Ingest = "ingest";
    /// <summary>Manual entries, file imports, acting on alarms.</summary>
    public const string Operate = "operate";
    /// <summary>Sites, meters, data sources, alarm rules, notification channels.</summary>
    public const string Configure = "configure";
    /// <summary>Factor overrides, period locks, the audit trail.</summary>
    public const string Account = "account";
    /// <summary>Users and API keys.</summary>
    public const string Admin = "admin";
    /// <summary>Cleaner-production KPIs (define, set baseline, target and owner), reviews and actions.</summary>
    public const string Improve = "improve";
    /// <summary>
    /// Field work: submit inspections with their photos, open work orders by hand, and work on one's own work orders
    /// (take, start, hold, finish, comment, photos). Assigning others, due dates, cancelling need <see cref="Operate"/>.
    /// </summary>
    public const string Inspect = "inspect";

    public static readonly IReadOnlyList<string> All = [Read, ReadPark, Ingest, Operate, Configure, Account, Admin, Improve, Inspect];

    /// <summary>What an API key may be given: gateways get <c>ingest</c>; integrations that only read get <c>read</c>.</summary>
    public static readonly IReadOnlyList<string> ForKeys = [Ingest, Read, ReadPark];

    public const string ClaimType = "gl:perm";
    public const string TenantClaim = "gl:tenant";
    public const string SiteClaim = "gl:site";
    public const string KindClaim = "gl:kind";
    public const string AllSites = "*";

    public static Claim Grant(string permission, string? site) => new(ClaimType, $"{permission}@{site ?? AllSites}");

    /// <summary>Whether the principal holds <paramref name="permission"/> for <paramref name="site"/> (null: for every site).</summary>
    public static bool Has(ClaimsPrincipal user, string permission, string? site)
    {
        ArgumentNullException.ThrowIfNull(user);
        foreach (var claim in user.FindAll(ClaimType))
        {
            var at = claim.Value.LastIndexOf('@');
            if (at <= 0 || !claim.Value.AsSpan(0, at).SequenceEqual(permission)) continue;
            var scope = claim.Value[(at + 1)..];
            if (scope == AllSites || (site is not null && scope == site)) return true;
        }
        return false;
    }

    /// <summary>Whether the principal holds the permission for at least one site.</summary>
    public static bool HasAnywhere(ClaimsPrincipal user, string permission)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindAll(ClaimType).Any(c => c.Value.StartsWith(permission + "@", StringComparison.Ordinal));
    }
}

/// <summary>The roles a user can hold, per tenant or per site, and what each grants.</summary>
public static class Roles
{
    public const string Administrator = "administrator";
    public const string EnergyManager = "energy-manager";
    public const string CarbonAccountant = "carbon-accountant";
    public const string Viewer = "viewer";
    public const string ParkAdministrator = "park-administrator";
    /// <summary>The EHS or cleaner-production lead: KPIs and reviews, recorded quantities, reading everything.</summary>
    public const string EhsLead = "ehs-lead";
    /// <summary>The shop-floor inspector (巡检员): does the rounds and the work orders given to them, reads the site.</summary>
    public const string Inspector = "inspector";

    public static readonly IReadOnlyList<string> All = [Administrator, EnergyManager, CarbonAccountant, Viewer, ParkAdministrator, EhsLead, Inspector];

    public static IReadOnlyList<string> PermissionsOf(string role) => role switch
    {
        Administrator => Permissions.All,
        EnergyManager => [Permissions.Read, Permissions.ReadPark, Permissions.Ingest, Permissions.Operate, Permissions.Configure, Permissions.Improve, Permissions.Inspect],
        CarbonAccountant => [Permissions.Read, Permissions.ReadPark, Permissions.Operate, Permissions.Account, Permissions.Inspect],
        Viewer => [Permissions.Read, Permissions.ReadPark],
        ParkAdministrator => [Permissions.ReadPark],
        EhsLead => [Permissions.Read, Permissions.ReadPark, Permissions.Operate, Permissions.Improve, Permissions.Inspect],
        Inspector => [Permissions.Read, Permissions.ReadPark, Permissions.Inspect],
        _ => [],
    };
}
