namespace GreenLoop.Server.Hosting;

/// <summary>
/// Which tenant a request acts for. Until sign-in lands every request is the default tenant's; every store query
/// already takes this id, so isolation is a matter of setting it per request later.
/// </summary>
public sealed class TenantContext
{
    private long _tenantId;

    public long TenantId => _tenantId != 0 ? _tenantId : throw new InvalidOperationException("The default tenant is not initialised yet.");

    internal void Set(long id) => _tenantId = id;
}
