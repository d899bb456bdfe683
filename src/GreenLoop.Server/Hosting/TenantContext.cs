using System.Globalization;
using GreenLoop.Server.Security;

namespace GreenLoop.Server.Hosting;

/// <summary>
/// Which tenant a request acts for: the tenant of the signed-in user or of the API key that authenticated it. Outside a
/// request (background work such as the demo plant) and for the few anonymous endpoints it is the default tenant.
/// Every store query takes this id, so a request can only ever see its own tenant's data.
/// </summary>
public sealed class TenantContext(IHttpContextAccessor http)
{
    private long _defaultTenantId;

    /// <summary>The tenant created at start-up from <c>GreenLoop:DefaultTenant</c>.</summary>
    public long DefaultTenantId => _defaultTenantId != 0 ? _defaultTenantId : throw new InvalidOperationException("The default tenant is not initialised yet.");

    public long TenantId
    {
        get
        {
            var user = http.HttpContext?.User;
            if (user?.Identity?.IsAuthenticated == true && user.FindFirst(Permissions.TenantClaim)?.Value is { } claim)
                return long.Parse(claim, CultureInfo.InvariantCulture);
            return DefaultTenantId;
        }
    }

    internal void Set(long id) => _defaultTenantId = id;
}
