using System.Text.Json;
using System.Text.Json.Nodes;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Storage;
using GreenLoop.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GreenLoop.Server.Tests.Isolation;

/// <summary>
/// Everything tenant A can see of its own data, read as A: taken before and after tenant B's calls, the two must be
/// equal. Fields that change by A's own reading are left out: the last use of A's key, and data-source health.
/// </summary>
internal static class TenantASnapshot
{
    private static readonly HashSet<string> _volatile = ["lastUsedAt", "status"];

    public static async Task<IReadOnlyList<(string What, string Json)>> TakeAsync(IsolationPlant plant)
    {
        await Http.WaitForDerivationAsync(plant.A, TimeSpan.FromSeconds(60));
        var day = plant.Quarter.ToOffset(TimeSpan.FromHours(8));
        var from = day.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var to = day.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var a = plant.AObjects;
        string[] urls =
        [
            "/api/v1/sites",
            $"/api/v1/sites/{IsolationPlant.Shared}",
            $"/api/v1/sites/{IsolationPlant.Alpha}",
            $"/api/v1/sites/{IsolationPlant.Shared}/meters/{IsolationPlant.SharedMain}/series?grain=15m&from={from}&to={to}",
            $"/api/v1/sites/{IsolationPlant.Shared}/meters/{IsolationPlant.SharedPress}/series?grain=15m&from={from}&to={to}",
            $"/api/v1/sites/{IsolationPlant.Alpha}/meters/{IsolationPlant.AlphaGas}/series?grain=15m&from={from}&to={to}",
            $"/api/v1/sites/{IsolationPlant.Shared}/meters/{IsolationPlant.SharedWater}/series?grain=day&from=2025-05-01&to=2025-06-01",
            $"/api/v1/sites/{IsolationPlant.Shared}/factor-overrides",
            $"/api/v1/sites/{IsolationPlant.Shared}/periods",
            $"/api/v1/sites/{IsolationPlant.Alpha}/periods",
            $"/api/v1/sites/{IsolationPlant.Shared}/alarm-rules",
            "/api/v1/alarms",
            $"/api/v1/alarms/{a.AlarmId}/history",
            "/api/v1/notification-channels",
            "/api/v1/notification-deliveries",
            "/api/v1/data-sources",
            "/api/v1/manual-entries",
            $"/api/v1/manual-entries/{a.EntryId}",
            $"/api/v1/imports/{a.ImportId}",
            "/api/v1/users",
            "/api/v1/api-keys",
            "/api/v1/quarantine",
            "/api/v1/audit?limit=1000",
            $"/api/v1/sites/{IsolationPlant.Shared}/kpis/{IsolationPlant.KpiKey}",
            $"/api/v1/sites/{IsolationPlant.Shared}/quantities",
            $"/api/v1/sites/{IsolationPlant.Shared}/reviews/{a.ReviewIds[0]}",
            $"/api/v1/sites/{IsolationPlant.Shared}/actions",
            $"/api/v1/sites/{IsolationPlant.Shared}/cp-audits/{a.CpAuditIds[0]}",
            $"/api/v1/sites/{IsolationPlant.Shared}/projects",
            $"/api/v1/sites/{IsolationPlant.Shared}/projects/{a.ProjectIds[0]}",
            $"/api/v1/sites/{IsolationPlant.Shared}/projects/portfolio",
            $"/api/v1/sites/{IsolationPlant.Shared}/mv-models/{a.MvModelIds[0]}",
            $"/api/v1/sites/{IsolationPlant.Shared}/checklist-templates",
            "/api/v1/tariffs",
            $"/api/v1/tariffs/{IsolationPlant.TariffKey}",
            $"/api/v1/sites/{IsolationPlant.Shared}/electricity-account",
            $"/api/v1/sites/{IsolationPlant.Shared}/electricity-bill?month=2025-06",
            $"/api/v1/sites/{IsolationPlant.Shared}/checklist-templates/{IsolationPlant.TemplateKey}?version=1",
            $"/api/v1/sites/{IsolationPlant.Shared}/rounds",
            // A past day: every occurrence is settled (missed), so the answer does not change with the time of day.
            $"/api/v1/sites/{IsolationPlant.Shared}/rounds/occurrences?from=2025-03-01&to=2025-03-02",
            $"/api/v1/sites/{IsolationPlant.Shared}/inspections",
            $"/api/v1/sites/{IsolationPlant.Shared}/inspections/{a.InspectionIds[0]}",
            $"/api/v1/sites/{IsolationPlant.Shared}/work-orders",
            .. a.WorkOrderIds.Select(id => $"/api/v1/sites/{IsolationPlant.Shared}/work-orders/{id}"),
        ];
        var snapshot = new List<(string, string)>();
        foreach (var url in urls) snapshot.Add((url, Stable(await plant.AGetAsync(url))));

        var store = plant.Factory.Services.GetRequiredService<GreenLoopStore>();
        foreach (var (key, meter) in (await store.LoadMetersAsync(plant.TenantA, CancellationToken.None)).OrderBy(m => m.Key, StringComparer.Ordinal))
            snapshot.Add(($"readings of {key}", (await store.CountReadingsAsync(new MeterId(meter.Id), CancellationToken.None)).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        foreach (var photo in a.FieldPhotoIds)
        {
            using var response = await plant.A.GetAsync($"/api/v1/sites/{IsolationPlant.Shared}/field-photos/{photo}");
            snapshot.Add(($"photo {photo}", $"{(int)response.StatusCode} {Convert.ToHexString(await response.Content.ReadAsByteArrayAsync())}"));
        }
        snapshot.Add(("calls to A's webhook", plant.Hooks.Bodies("A-only").Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return snapshot;
    }

    private static string Stable(JsonElement element)
    {
        var node = JsonNode.Parse(element.GetRawText());
        Strip(node);
        return node?.ToJsonString() ?? "null";
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).Where(_volatile.Contains).ToList()) o.Remove(name);
                foreach (var (_, child) in o) Strip(child);
                break;
            case JsonArray array:
                foreach (var item in array) Strip(item);
                break;
        }
    }
}
