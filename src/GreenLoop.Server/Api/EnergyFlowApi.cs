using GreenLoop.Pipeline.Monitor.Flow;
using GreenLoop.Pipeline.Monitor.Query;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;

namespace GreenLoop.Server.Api;

/// <summary>The energy-flow diagram (Sankey) of a site or of one node's subtree, with its balances and metering problems.</summary>
public static class EnergyFlowApi
{
    public static IEndpointRouteBuilder MapEnergyFlowApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/sites/{site}").WithTags("Energy");
        api.MapGet("/energy-flow", Flow).Produces<EnergyFlowReport>()
            .WithSummary("The energy-flow Sankey over a period (from/to: local dates or instants; default this month so far): carriers in, through the node tree "
                + "as far as meters reach, each node's unmetered remainder and losses, sub-meters exceeding their parent as problems; unit=energy (each carrier "
                + "in its unit, default) or tce (standard coal with the energy report's coefficients); node=KEY draws that node's subtree")
            .RequirePermission(Permissions.Read);
        return app;
    }

    internal static async Task<IResult> Flow(string site, string? from, string? to, string? unit, string? node, EnergyFlowService flows, QueryService query,
        TenantContext tenant, CancellationToken ct)
    {
        var focus = node is null or "" or "_site" ? null : node;
        if (!QueryText.TryRange(from, to, out var range, out var error)) return await UnreadableAsync(error.Reason);
        if (!TryUnit(unit, out var flowUnit)) return await UnreadableAsync($"unknown unit '{unit}'; use energy or tce");
        return await ApiResults.Answer(() => flows.FlowAsync(tenant.TenantId, site, range, flowUnit, focus, ct));

        // What the query is about is looked up first: an unknown site or node is a 404 whatever the parameters say.
        async Task<IResult> UnreadableAsync(string reason) =>
            await query.SiteAsync(tenant.TenantId, site, ct) is { } model && (focus is null || model.Nodes.Any(n => n.Key == focus))
                ? ApiResults.BadInput(reason) : TypedResults.NotFound();
    }

    private static bool TryUnit(string? text, out FlowUnit unit)
    {
        unit = FlowUnit.Energy;
        switch (text?.ToLowerInvariant())
        {
            case null or "" or "energy": return true;
            case "tce": unit = FlowUnit.Tce; return true;
            default: return false;
        }
    }
}
