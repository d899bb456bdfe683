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

    /// <summary>
    /// The site a request is about: the route's <c>{site}</c>, or <c>?site=</c> only on an endpoint marked
    /// <see cref="PermissionEndpoints.SiteInQuery"/> (one whose answer that query narrows to the site). Elsewhere a
    /// <c>?site=</c> is ignored, so adding one to a tenant-wide route (notification channels, users) cannot turn one
    /// site's permission into the tenant's.
    /// </summary>
    public static string? SiteOf(HttpContext? http)
    {
        if (http is null) return null;
        if (http.Request.RouteValues.TryGetValue("site", out var route) && route is string r && r.Length > 0) return r;
        if (http.GetEndpoint()?.Metadata.GetMetadata<SiteInQueryMetadata>() is null) return null;
        var query = http.Request.Query["site"].ToString();
        return query.Length > 0 ? query : null;
    }
}

/// <summary>Marks an endpoint whose <c>?site=</c> narrows its answer to that site, so the site's permission is enough.</summary>
public sealed class SiteInQueryMetadata
{
    public static readonly SiteInQueryMetadata Instance = new();
}

/// <summary>Attaches a permission policy to endpoints.</summary>
public static class PermissionEndpoints
{
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string permission) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(PermissionRequirement.PolicyName(permission));

    /// <summary>The endpoint's <c>?site=</c> narrows what it answers to one site: a permission for that site suffices.</summary>
    public static TBuilder SiteInQuery<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(SiteInQueryMetadata.Instance);
}
