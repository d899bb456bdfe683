using Microsoft.AspNetCore.Authorization;

namespace GreenLoop.Server.Security;

/// <summary>Requires a permission for the site the request is about (route or query value <c>site</c>), or for every site.</summary>
public sealed record PermissionRequirement(string Permission) : IAuthorizationRequirement
{
    public string Policy => PolicyName(Permission);

    public static string PolicyName(string permission) => "perm:" + permission;
}

/// <summary>
/// Grants a <see cref="PermissionRequirement"/> when the principal holds the permission for every site, or for the site
/// named in the route (<c>/sites/{site}/...</c>) or in the query (<c>?site=</c>). A request that names no site needs
/// the permission for every site — except ingest: a site-scoped gateway key may post readings, and ingest rejects each
/// reading of a meter outside its site.
/// </summary>
public sealed class PermissionHandler : AuthorizationHandler<PermissionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        var http = context.Resource as HttpContext;
        var site = SiteOf(http);
        var granted = requirement.Permission == Permissions.Ingest && site is null
            ? Permissions.HasAnywhere(context.User, requirement.Permission)
            : Permissions.Has(context.User, requirement.Permission, site);
        if (granted) context.Succeed(requirement);
        return Task.CompletedTask;
    }

    public static string? SiteOf(HttpContext? http)
    {
        if (http is null) return null;
        if (http.Request.RouteValues.TryGetValue("site", out var route) && route is string r && r.Length > 0) return r;
        var query = http.Request.Query["site"].ToString();
        return query.Length > 0 ? query : null;
    }
}

/// <summary>Attaches a permission policy to endpoints.</summary>
public static class PermissionEndpoints
{
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string permission) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(PermissionRequirement.PolicyName(permission));
}
