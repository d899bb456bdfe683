using System.Text.Json;
using GreenLoop.Domain.Model;
using GreenLoop.Testing;

namespace GreenLoop.Storage.Tests;

/// <summary>Site documents in the SQLite store: applying is idempotent, and an export applies back unchanged.</summary>
public sealed class SqliteStoreSiteTests
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    private static SiteDefinition Site() => TestSites.Plant() with
    {
        GridRegion = "CN-Guangdong",
        Nodes =
        [
            new NodeDefinition { Key = "kiln", Name = "Kiln workshop", NameZh = "窑炉车间" },
            new NodeDefinition { Key = "kiln.line1", Name = "Line 1", Kind = NodeKind.Line, Parent = "kiln" },
        ],
        Meters =
        [
            .. TestSites.Plant().Meters,
            new MeterDefinition
            {
                Key = "plant.line1.elec", Name = "Line 1", Node = "kiln.line1", Carrier = "electricity", Unit = "kWh",
                Role = MeterRole.SubMeter, Parent = TestSites.MainMeter, RolloverAt = 100_000_000, MaxRatePerHour = 5000,
            },
        ],
        Events = [new MeterEventDefinition { Meter = TestSites.MainMeter, Kind = MeterEventKind.Replacement, Ts = _now.AddDays(-3), OldValue = 123456.5, NewValue = 0, Note = "CT upgrade" }],
    };

    [Fact]
    public async Task ApplySite_SameDocumentTwice_SecondTimeNothingCreatedOrUpdated()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);

        var first = await h.Store.ApplySiteAsync(h.TenantId, Site(), 1, CancellationToken.None);
        var second = await h.Store.ApplySiteAsync(h.TenantId, Site(), 2, CancellationToken.None);

        // Site 1 + nodes 2 + meters 4 + events 1.
        Assert.Equal(new ApplyResult(8, 0, 0), first);
        Assert.Equal(new ApplyResult(0, 0, 8), second);
    }

    [Fact]
    public async Task GetSite_ExportedDocument_EqualsAppliedAndAppliesBackUnchanged()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        var site = Site();
        await h.Store.ApplySiteAsync(h.TenantId, site, 1, CancellationToken.None);

        var exported = (await h.Store.GetSiteAsync(h.TenantId, "plant", CancellationToken.None))!.Definition;
        var reapplied = await h.Store.ApplySiteAsync(h.TenantId, exported, 2, CancellationToken.None);
        var exportedAgain = (await h.Store.GetSiteAsync(h.TenantId, "plant", CancellationToken.None))!.Definition;

        Assert.Equal(new ApplyResult(0, 0, 8), reapplied);
        Assert.Equal(JsonSerializer.Serialize(site, _json), JsonSerializer.Serialize(exported, _json));
        Assert.Equal(JsonSerializer.Serialize(exported, _json), JsonSerializer.Serialize(exportedAgain, _json));
    }
}
