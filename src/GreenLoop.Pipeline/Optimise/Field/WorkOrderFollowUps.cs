using System.Globalization;
using System.Text.Json;
using GreenLoop.Pipeline.Optimise.Projects;
using GreenLoop.Pipeline.Optimise.Reviews;
using GreenLoop.Storage;
using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Pipeline.Optimise.Field;

/// <summary>
/// A work order that shows a lasting problem becomes a corrective action of a PDCA review, or a project (state Idea).
/// Each is made once per work order, linked both ways: the work order names the action or project (and its history says
/// so); the action or project names the work order. The link is claimed in the database before the action or project
/// is made, so two clicks at once make one.
/// </summary>
public sealed class WorkOrderFollowUps(ICatalogDb catalog, ISiteCatalog sites, WorkOrderService workOrders, ReviewService reviews, ProjectService projects, TimeProvider clock)
{
    /// <summary>The due date of an action when none is given: this many days from the site's today.</summary>
    public const int DefaultActionDays = 30;

    /// <summary>The marker of a link being made (a claim that no one else may take).</summary>
    private const long Claimed = -1;

    /// <summary>The work order's corrective action: made (created) unless it has one (answered).</summary>
    public async Task<(ActionView? Action, bool Created)> ToActionAsync(long tenantId, string siteKey, long id, WorkOrderToAction input, string user, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = await workOrders.GetAsync(tenantId, siteKey, id, ct);
        if (order is null) return (null, false);
        if (order.Action is { } existing) return (await reviews.ActionAsync(tenantId, siteKey, existing, ct), false);
        var site = (await sites.GetSiteAsync(tenantId, siteKey, ct))!;
        var body = new ActionBody
        {
            Title = input.Title ?? order.Order.Title,
            Description = Describe(order),
            Owner = input.Owner ?? order.Order.Assignee ?? user,
            DueDate = input.DueDate ?? workOrders.Today(site).AddDays(DefaultActionDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Kpi = input.Kpi,
            Recipients = input.Recipients ?? [],
            WorkOrder = id,
        };
        if (ReviewService.Validate(body) is { Count: > 0 } errors) throw new BadInputException(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        if (!await ClaimAsync(tenantId, site.Id, id, action: true, ct)) return await AnswerActionAsync(tenantId, siteKey, id, ct);
        ActionView? action;
        try
        {
            action = await reviews.OpenAsync(tenantId, siteKey, new ActionInput(body, input.ReviewId, order.Alarm), by, ct);
        }
        catch
        {
            await ReleaseAsync(tenantId, id, action: true, ct);
            throw;
        }
        await LinkAsync(tenantId, id, action: true, action!.Id, by,
            $"became corrective action #{action.Id}{(input.ReviewId is { } r ? $" of review #{r}" : "")} (owner {body.Owner}, due {body.DueDate})", ct);
        return (action, true);
    }

    /// <summary>The work order's project: made (created, state Idea) unless it has one (answered).</summary>
    public async Task<(ProjectView? Project, bool Created)> ToProjectAsync(long tenantId, string siteKey, long id, WorkOrderToProject input, string user, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = await workOrders.GetAsync(tenantId, siteKey, id, ct);
        if (order is null) return (null, false);
        if (order.Project is { } existing) return (await projects.GetAsync(tenantId, siteKey, existing, ct), false);
        var site = (await sites.GetSiteAsync(tenantId, siteKey, ct))!;
        var body = new ProjectBody
        {
            Title = input.Title ?? order.Order.Title,
            TitleZh = input.TitleZh,
            Category = input.Category ?? "energy-saving",
            Description = Describe(order),
            Owner = input.Owner ?? user,
            Node = order.Order.Node,
            WorkOrder = id,
        };
        if (ProjectService.Validate(body) is { Count: > 0 } errors) throw new BadInputException(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        if (!await ClaimAsync(tenantId, site.Id, id, action: false, ct)) return await AnswerProjectAsync(tenantId, siteKey, id, ct);
        ProjectView? project;
        try
        {
            project = await projects.CreateAsync(tenantId, siteKey, body, by, ct);
        }
        catch
        {
            await ReleaseAsync(tenantId, id, action: false, ct);
            throw;
        }
        await LinkAsync(tenantId, id, action: false, project!.Id, by, $"became project #{project.Id} ({body.Category}, owner {body.Owner})", ct);
        return (project, true);
    }

    /// <summary>What the action or project says of where it came from: the work order's description and its number and source.</summary>
    private static string Describe(WorkOrderView order)
    {
        var from = order.Source switch
        {
            "inspection" => $"inspection #{order.Inspection}, item {order.Item}",
            "alarm" => $"alarm #{order.Alarm}",
            _ => "opened by hand",
        };
        var text = $"From work order #{order.Id} ({from}; {order.State}). 来自工单 #{order.Id}。";
        return string.IsNullOrWhiteSpace(order.Order.Description) ? text : $"{order.Order.Description}\n\n{text}";
    }

    private async Task<bool> ClaimAsync(long tenantId, long siteId, long id, bool action, CancellationToken ct)
    {
        var claimed = 0;
        await catalog.WriteAsync(tenantId, async db => claimed = action
            ? await db.WorkOrders.Where(w => w.SiteId == siteId && w.Id == id && w.ActionId == null).ExecuteUpdateAsync(s => s.SetProperty(w => w.ActionId, Claimed), ct)
            : await db.WorkOrders.Where(w => w.SiteId == siteId && w.Id == id && w.ProjectId == null).ExecuteUpdateAsync(s => s.SetProperty(w => w.ProjectId, Claimed), ct), ct);
        return claimed == 1;
    }

    private Task ReleaseAsync(long tenantId, long id, bool action, CancellationToken ct) =>
        catalog.WriteAsync(tenantId, async db => action
            ? await db.WorkOrders.Where(w => w.Id == id && w.ActionId == Claimed).ExecuteUpdateAsync(s => s.SetProperty(w => w.ActionId, (long?)null), ct)
            : await db.WorkOrders.Where(w => w.Id == id && w.ProjectId == Claimed).ExecuteUpdateAsync(s => s.SetProperty(w => w.ProjectId, (long?)null), ct), ct);

    private async Task LinkAsync(long tenantId, long id, bool action, long target, string by, string what, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await catalog.WriteAsync(tenantId, async db =>
        {
            var row = await db.WorkOrders.FirstAsync(w => w.Id == id, ct);
            if (action) row.ActionId = target;
            else row.ProjectId = target;
            var history = JsonSerializer.Deserialize<List<WorkOrderEvent>>(row.History, FieldService.Json)!;
            history.Add(new WorkOrderEvent(FieldService.Iso(now), by, what, null));
            (row.History, row.UpdatedAt) = (JsonSerializer.Serialize(history, FieldService.Json), now);
            return await db.SaveChangesAsync(ct);
        }, ct);
    }

    /// <summary>Another request holds the claim: its action, once made.</summary>
    private async Task<(ActionView?, bool)> AnswerActionAsync(long tenantId, string siteKey, long id, CancellationToken ct) =>
        (await workOrders.GetAsync(tenantId, siteKey, id, ct))?.Action is { } made
            ? (await reviews.ActionAsync(tenantId, siteKey, made, ct), false)
            : throw new BadInputException($"work order #{id}: its corrective action is being made by another request; ask again in a moment");

    private async Task<(ProjectView?, bool)> AnswerProjectAsync(long tenantId, string siteKey, long id, CancellationToken ct) =>
        (await workOrders.GetAsync(tenantId, siteKey, id, ct))?.Project is { } made
            ? (await projects.GetAsync(tenantId, siteKey, made, ct), false)
            : throw new BadInputException($"work order #{id}: its project is being made by another request; ask again in a moment");
}
