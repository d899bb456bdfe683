using System.Globalization;
using GreenLoop.Domain.Alarms;
using GreenLoop.Pipeline.Monitor.Alarms;
using GreenLoop.Pipeline.Monitor.Query;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;
using GreenLoop.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GreenLoop.Server.Api;

/// <summary>Alarm rules per site, the alarm list with filters, acknowledge / comment / assign / clear, and each alarm's history.</summary>
public static class AlarmsApi
{
    public static IEndpointRouteBuilder MapAlarmsApi(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/api/v1/sites/{site}/alarm-rules").WithTags("Alarms");
        rules.MapGet("/", ListRules).WithSummary("The site's alarm rules").RequirePermission(Permissions.Read);
        rules.MapGet("/{key}", GetRule).WithSummary("One alarm rule").RequirePermission(Permissions.Read);
        rules.MapPost("/", CreateRule).WithSummary("Create an alarm rule (409 if its key exists)").RequirePermission(Permissions.Configure);
        rules.MapPut("/{key}", PutRule).WithSummary("Create or replace an alarm rule").RequirePermission(Permissions.Configure);
        rules.MapDelete("/{key}", DeleteRule).WithSummary("Delete an alarm rule; its open alarms are cleared, all alarms keep their history").RequirePermission(Permissions.Configure);

        var alarms = app.MapGroup("/api/v1/alarms").WithTags("Alarms");
        alarms.MapGet("/", List).WithSummary("Alarms, newest first; filters: state, severity (comma-separated), site, rule, from, to (ISO 8601), limit").RequirePermission(Permissions.Read).SiteInQuery();
        alarms.MapGet("/{id:long}", Get).WithSummary("One alarm").RequirePermission(Permissions.Read);
        alarms.MapGet("/{id:long}/history", History).WithSummary("Every transition, comment and assignment of an alarm, with who, when and why").RequirePermission(Permissions.Read);
        alarms.MapPost("/{id:long}/ack", Acknowledge).WithSummary("Acknowledge (an active alarm stays open; a cleared one closes)").RequirePermission(Permissions.Operate);
        alarms.MapPost("/{id:long}/comment", Comment).WithSummary("Add a comment").RequirePermission(Permissions.Operate);
        alarms.MapPost("/{id:long}/assign", Assign).WithSummary("Assign to someone (empty assignee unassigns)").RequirePermission(Permissions.Operate);
        alarms.MapPost("/{id:long}/clear", ClearAlarm).WithSummary("Clear by hand; the rule raises no new alarm for the subject until its condition has stopped once").RequirePermission(Permissions.Operate);
        return app;
    }

    /// <summary>
    /// A rule as the API shows it. <paramref name="JudgedEarly"/>: a period still in progress can raise it, because no
    /// later data of the period can undo its breach (consumption, change rate, anomaly); false means it waits for each
    /// period to end (means, completeness, unit energy) or is judged on the clock (no data).
    /// </summary>
    public sealed record RuleView(string Site, AlarmRule Rule, string UpdatedAt, bool JudgedEarly);

    /// <summary>An alarm as the API shows it: instants as ISO 8601.</summary>
    public sealed record AlarmView(long Id, string Site, string Rule, string RuleName, string? RuleNameZh, string Subject, AlarmSeverity Severity, AlarmState State,
        string StartedAt, string RaisedAt, string? EndedAt, string CreatedAt, string? AcknowledgedAt, string? AcknowledgedBy, string? ClearedAt, string? ClearedBy,
        string? Assignee, string? EscalatedAt, double? Value, double? Limit, string Unit, string DetailEn, string DetailZh, bool Historical);

    /// <summary>An alarm history event: <c>textZh</c> is the Chinese of a text the system wrote (a person's note has only <c>text</c>).</summary>
    public sealed record HistoryView(string At, AlarmEventKind Kind, string By, string? Text, string? TextZh);

    public sealed record AckRequest(string? Comment);

    public sealed record CommentRequest(string Text);

    public sealed record AssignRequest(string? Assignee);

    public sealed record ClearRequest(string? Reason);

    internal static async Task<Results<Ok<IReadOnlyList<RuleView>>, NotFound>> ListRules(string site, AlarmService alarms, TenantContext tenant, CancellationToken ct) =>
        await alarms.RulesAsync(tenant.TenantId, site, ct) is { } list
            ? TypedResults.Ok<IReadOnlyList<RuleView>>([.. list.Select(View)])
            : TypedResults.NotFound();

    internal static async Task<Results<Ok<RuleView>, NotFound>> GetRule(string site, string key, AlarmService alarms, TenantContext tenant, CancellationToken ct) =>
        (await alarms.RulesAsync(tenant.TenantId, site, ct))?.FirstOrDefault(r => r.Rule.Key == key) is { } rule
            ? TypedResults.Ok(View(rule))
            : TypedResults.NotFound();

    internal static async Task<IResult> CreateRule(string site, AlarmRule rule, AlarmService alarms, TenantContext tenant, CancellationToken ct)
    {
        if (rule is null) return TypedResults.BadRequest();
        var existing = await alarms.RulesAsync(tenant.TenantId, site, ct);
        if (existing is null) return TypedResults.NotFound();
        if (existing.Any(r => r.Rule.Key == rule.Key))
            return TypedResults.Problem(title: "An alarm rule with this key exists", detail: $"rule '{rule.Key}' exists; PUT it to replace it", statusCode: StatusCodes.Status409Conflict);
        return await SaveAsync(site, rule, alarms, tenant, created: true, ct);
    }

    internal static async Task<IResult> PutRule(string site, string key, AlarmRule rule, AlarmService alarms, TenantContext tenant, CancellationToken ct)
    {
        if (rule is null) return TypedResults.BadRequest();
        if (rule.Key != key)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["key"] = [$"the rule's key '{rule.Key}' differs from the URL's '{key}'"] });
        return await SaveAsync(site, rule, alarms, tenant, created: false, ct);
    }

    private static async Task<IResult> SaveAsync(string site, AlarmRule rule, AlarmService alarms, TenantContext tenant, bool created, CancellationToken ct)
    {
        var outcome = await alarms.SaveRuleAsync(tenant.TenantId, site, rule, ct);
        if (!outcome.SiteFound) return TypedResults.NotFound();
        if (outcome.Rule is not { } saved)
            return TypedResults.ValidationProblem(outcome.Errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray()),
                title: "The alarm rule has errors; nothing was saved");
        return created ? TypedResults.Created($"/api/v1/sites/{site}/alarm-rules/{saved.Rule.Key}", View(saved)) : TypedResults.Ok(View(saved));
    }

    internal static async Task<Results<NoContent, NotFound>> DeleteRule(string site, string key, AlarmService alarms, TenantContext tenant, HttpContext http, CancellationToken ct) =>
        await alarms.DeleteRuleAsync(tenant.TenantId, site, key, ApiResults.Actor(http), ct) == true ? TypedResults.NoContent() : TypedResults.NotFound();

    internal static async Task<IResult> List(string? state, string? severity, string? site, string? rule, string? from, string? to, int? limit,
        AlarmService alarms, GreenLoop.Pipeline.Monitor.Query.QueryService query, TenantContext tenant, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var states = ParseList<AlarmState>(state, "state", errors);
        var severities = ParseList<AlarmSeverity>(severity, "severity", errors);
        var fromMs = ParseInstant(from, "from", errors);
        var toMs = ParseInstant(to, "to", errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        long? siteId = null;
        long? ruleId = null;
        if (site is not null)
        {
            var model = await query.SiteAsync(tenant.TenantId, site, ct);
            if (model is null) return TypedResults.NotFound();
            siteId = model.Id;
            if (rule is not null)
            {
                ruleId = (await alarms.RulesAsync(tenant.TenantId, site, ct))?.FirstOrDefault(r => r.Rule.Key == rule)?.Id;
                if (ruleId is null) return TypedResults.Ok(Array.Empty<AlarmView>());
            }
        }
        else if (rule is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["rule"] = ["a rule key needs its site"] });
        }
        var list = await alarms.ListAsync(tenant.TenantId, new AlarmFilter
        {
            States = states,
            Severities = severities,
            SiteId = siteId,
            RuleId = ruleId,
            From = fromMs,
            To = toMs,
            Limit = limit ?? 500,
        }, ct);
        return TypedResults.Ok(list.Select(View).ToList());
    }

    internal static async Task<Results<Ok<AlarmView>, NotFound>> Get(long id, AlarmService alarms, TenantContext tenant, CancellationToken ct) =>
        await alarms.GetAsync(tenant.TenantId, id, ct) is { } a ? TypedResults.Ok(View(a)) : TypedResults.NotFound();

    internal static async Task<Results<Ok<List<HistoryView>>, NotFound>> History(long id, AlarmService alarms, TenantContext tenant, CancellationToken ct) =>
        await alarms.HistoryAsync(tenant.TenantId, id, ct) is { } h
            ? TypedResults.Ok(h.Select(e => new HistoryView(Iso(e.At), e.Kind, e.By, e.Text, e.TextZh)).ToList())
            : TypedResults.NotFound();

    internal static Task<IResult> Acknowledge(long id, AckRequest? body, AlarmService alarms, TenantContext tenant, HttpContext http, CancellationToken ct) =>
        Act(() => alarms.AcknowledgeAsync(tenant.TenantId, id, ApiResults.Actor(http), body?.Comment, ct));

    internal static Task<IResult> Comment(long id, CommentRequest body, AlarmService alarms, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        if (body is null || string.IsNullOrWhiteSpace(body.Text))
            return Task.FromResult<IResult>(TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = ["required"] }));
        return Act(() => alarms.CommentAsync(tenant.TenantId, id, ApiResults.Actor(http), body.Text, ct));
    }

    internal static Task<IResult> Assign(long id, AssignRequest body, AlarmService alarms, TenantContext tenant, HttpContext http, CancellationToken ct) =>
        Act(() => alarms.AssignAsync(tenant.TenantId, id, ApiResults.Actor(http), body?.Assignee, ct));

    internal static Task<IResult> ClearAlarm(long id, ClearRequest? body, AlarmService alarms, TenantContext tenant, HttpContext http, CancellationToken ct) =>
        Act(() => alarms.ClearAsync(tenant.TenantId, id, ApiResults.Actor(http), body?.Reason, ct));

    private static async Task<IResult> Act(Func<Task<Alarm?>> act)
    {
        try
        {
            return await act() is { } a ? TypedResults.Ok(View(a)) : TypedResults.NotFound();
        }
        catch (AlarmTransitionException ex)
        {
            return TypedResults.Problem(title: "The alarm's state does not allow this", detail: ex.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    private static List<T>? ParseList<T>(string? text, string name, Dictionary<string, string[]> errors) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var list = new List<T>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Enum.TryParse<T>(part, ignoreCase: true, out var v) && Enum.IsDefined(v)) list.Add(v);
            else errors[name] = [$"'{part}' is not one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}"];
        }
        return list;
    }

    private static long? ParseInstant(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return t.ToUnixTimeMilliseconds();
        errors[name] = [$"'{text}' is not an ISO 8601 instant"];
        return null;
    }

    private static RuleView View(StoredAlarmRule r) =>
        new(r.SiteKey, r.Rule, Iso(r.UpdatedAt), r.Rule.Condition is not NoData && AlarmPeriods.JudgedInProgress(r.Rule.Condition));

    private static AlarmView View(Alarm a) => new(a.Id, a.Site, a.RuleKey, a.RuleName, a.RuleNameZh, a.Subject, a.Severity, a.State,
        Iso(a.StartedAt), Iso(a.RaisedAt), Opt(a.EndedAt), Iso(a.CreatedAt), Opt(a.AcknowledgedAt), a.AcknowledgedBy, Opt(a.ClearedAt), a.ClearedBy,
        a.Assignee, Opt(a.EscalatedAt), a.Value, a.Limit, a.Unit, a.DetailEn, a.DetailZh, a.Historical);

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("O", CultureInfo.InvariantCulture);

    private static string? Opt(long? ms) => ms is { } v ? Iso(v) : null;

}
