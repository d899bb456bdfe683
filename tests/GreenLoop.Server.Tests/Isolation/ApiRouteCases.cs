using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using static GreenLoop.Server.Tests.Isolation.IsolationPlant;

namespace GreenLoop.Server.Tests.Isolation;

/// <summary>How a route value relates to tenant A.</summary>
internal enum ValueKind
{
    /// <summary>A key both tenants use (B has its own object under it), or a value that names no object (a period).</summary>
    Shared,

    /// <summary>A key only A uses; B may create its own under it with PUT.</summary>
    AOnlyKey,

    /// <summary>The id of one of A's objects: B must never find it.</summary>
    AOnlyId,

    /// <summary>An id guessed from A's (next to them, small integers): may be nobody's, or B's own.</summary>
    Guessed,
}

internal sealed record RouteValue(string Value, ValueKind Kind);

/// <summary>What a body builder gets: the plant, the route values of the call, and a number unique to the call.</summary>
internal sealed record CaseInput(IsolationPlant Plant, IReadOnlyDictionary<string, string> Values, int Serial);

/// <summary>How to call one route as tenant B: its body (never with A's marks), and whether it streams or signs out.</summary>
internal sealed record RouteCase(Func<CaseInput, HttpContent?>? Body = null, bool Streams = false, bool ChangesSignIn = false);

/// <summary>
/// A case for every API route. A route the app maps without a case here fails the walk, so a route added later
/// cannot go unchecked; a case whose route is gone fails it too.
/// </summary>
internal static class ApiRouteCases
{
    private static readonly RouteCase _get = new();
    private static readonly RouteCase _empty = new(_ => null);

    private static RouteCase Json(Func<CaseInput, string> json) => new(input => new StringContent(json(input), Encoding.UTF8, "application/json"));

    private const string Mapping = """
        {"layout":"wide","timeColumn":"time","map":[{"column":"b_walk","meter":"shared.main"}],"dateFormats":["yyyy-MM-dd HH:mm"],"timeZone":"Asia/Shanghai"}
        """;

    private const string ProjectJson = """
        {"title":"B walk project","category":"energy-saving","owner":"B walk","investment":[{"category":"equipment","amount":1000}],
         "benefits":[{"category":"energy","carrier":"electricity","annualEnergy":100,"description":"B walk"}],
         "prices":[{"carrier":"electricity","price":0.5,"unit":"kWh","source":"B walk tariff"}]}
        """;

    private static string ModelJson(long? projectId)
    {
        var project = projectId is { } id ? string.Create(CultureInfo.InvariantCulture, $",\"projectId\":{id}") : "";
        return $$"""
            {"name":"B walk model","subject":"meter:{{SharedMain}}","grain":"day","baselineFrom":"2025-05-01","baselineTo":"2025-05-31","form":"Mean",
             "reportingFrom":"2025-06-01","reportingTo":"2025-06-30"{{project}}}
            """;
    }

    private const string BTemplateJson = """
        {"key":"b-walk","name":"B walk checklist","items":[{"key":"ok","text":"B walk item","type":"PassFail"}]}
        """;

    private const string BRoundJson = """
        {"round":{"name":"B walk round","template":"b-walk","schedule":{"kind":"Daily","times":["09:00"],"windowMinutes":60},"assignee":{"role":"operator"}}}
        """;

    /// <summary>A photo part (a valid JPEG, so a call naming A's work order is refused for not finding it, not for its file).</summary>
    private static ByteArrayContent BPhoto()
    {
        var file = new ByteArrayContent(FieldPhotos.Jpeg());
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return file;
    }

    public static readonly IReadOnlyDictionary<string, RouteCase> All = new Dictionary<string, RouteCase>(StringComparer.Ordinal)
    {
        // Readings and the quarantine.
        ["POST /api/v1/readings"] = Json(i => ReadingsJson((SharedMain, i.Plant.Quarter.AddMinutes(-45), 3.25), (AlphaGas, i.Plant.Quarter.AddMinutes(-45), 3.25))),
        ["GET /api/v1/quarantine"] = _get,
        ["POST /api/v1/quarantine/replay"] = _empty,
        // B names A's rows (and every age): nothing of A's may go.
        ["POST /api/v1/quarantine/purge"] = Json(i => $$"""{"ids":[{{string.Join(",", i.Plant.AObjects.QuarantineIds)}}],"olderThan":"2199-01-01T00:00:00Z"}"""),

        // Sites, series, balances.
        ["GET /api/v1/sites"] = _get,
        ["GET /api/v1/sites/{site}"] = _get,
        ["PUT /api/v1/sites/{site}"] = Json(i => i.Values["site"] == Shared ? SiteJson(Shared, "B-only", "乙方专用") : $$"""
            {"key":"{{i.Values["site"]}}","name":"B walk site","timeZone":"Asia/Shanghai",
             "meters":[{"key":"{{i.Values["site"]}}.bwalk","name":"B walk meter","carrier":"electricity","unit":"kWh","kind":"Cumulative"}]}
            """),
        ["GET /api/v1/sites/{site}/overview"] = _get,
        ["GET /api/v1/sites/{site}/derivation-failures"] = _get,
        ["GET /api/v1/sites/{site}/energy"] = _get,
        ["GET /api/v1/sites/{site}/comparison"] = _get,
        ["GET /api/v1/sites/{site}/energy-flow"] = _get,
        ["GET /api/v1/sites/{site}/meters/{meter}/series"] = _get,
        ["GET /api/v1/sites/{site}/meters/{meter}/events"] = _get,
        ["GET /api/v1/sites/{site}/meters/{meter}/balance"] = _get,
        ["GET /api/v1/sites/{site}/nodes/{node}/series"] = _get,
        ["GET /api/v1/sites/{site}/live"] = new(Streams: true),

        // Accounting.
        ["GET /api/v1/sites/{site}/reports/energy"] = _get,
        ["GET /api/v1/sites/{site}/reports/carbon"] = _get,
        ["GET /api/v1/sites/{site}/reports/energy.xlsx"] = _get,
        ["GET /api/v1/sites/{site}/reports/carbon.xlsx"] = _get,
        ["GET /api/v1/sites/{site}/factor-overrides"] = _get,
        ["POST /api/v1/sites/{site}/factor-overrides"] = Json(_ => """{"factor":"cn_fuel_ncv/natural_gas","year":"2025","value":111,"unit":"GJ/10^4Nm3","reason":"B walk"}"""),
        ["GET /api/v1/sites/{site}/periods"] = _get,
        ["POST /api/v1/sites/{site}/periods/{period}/lock"] = _empty,
        ["GET /api/v1/reference/factors"] = _get,

        // Notifications.
        ["GET /api/v1/notification-channels"] = _get,
        ["PUT /api/v1/notification-channels/{key}"] = Json(i => $$"""
            {"key":"{{i.Values["key"]}}","kind":"webhook","name":"B walk channel","url":"{{i.Plant.Hooks.Url("B-walk")}}","enabled":false}
            """),
        ["DELETE /api/v1/notification-channels/{key}"] = _empty,
        ["POST /api/v1/notification-channels/{key}/test"] = _empty,
        ["GET /api/v1/notification-deliveries"] = _get,

        // Alarm rules and alarms.
        ["GET /api/v1/sites/{site}/alarm-rules"] = _get,
        ["POST /api/v1/sites/{site}/alarm-rules"] = Json(i => RuleJson($"b-walk-{i.Serial}", "B walk", "乙方巡查", 1e9)),
        ["GET /api/v1/sites/{site}/alarm-rules/{key}"] = _get,
        ["PUT /api/v1/sites/{site}/alarm-rules/{key}"] = Json(i => RuleJson(i.Values["key"], "B walk", "乙方巡查", 1e9)),
        ["DELETE /api/v1/sites/{site}/alarm-rules/{key}"] = _empty,
        ["GET /api/v1/alarms"] = _get,
        ["GET /api/v1/alarms/{id}"] = _get,
        ["GET /api/v1/alarms/{id}/history"] = _get,
        ["POST /api/v1/alarms/{id}/ack"] = Json(_ => """{"comment":"B walk"}"""),
        ["POST /api/v1/alarms/{id}/comment"] = Json(_ => """{"text":"B walk"}"""),
        ["POST /api/v1/alarms/{id}/assign"] = Json(_ => """{"assignee":"B walk"}"""),
        ["POST /api/v1/alarms/{id}/clear"] = Json(_ => """{"reason":"B walk"}"""),

        // File import.
        ["POST /api/v1/imports"] = new(_ =>
        {
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes("time,b_walk\n2025-05-01 00:15,1.5\n"));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            return new MultipartFormDataContent { { file, "file", "b-walk.csv" } };
        }),
        ["GET /api/v1/imports/{id}"] = _get,
        ["GET /api/v1/imports/{id}/preview"] = _get,
        ["POST /api/v1/imports/{id}/validate"] = Json(_ => Mapping),
        ["POST /api/v1/imports/{id}/commit"] = Json(_ => Mapping),
        ["DELETE /api/v1/imports/{id}"] = _empty,

        // Manual entry: the same meter key and the same instant as A's entry (free in B's meter).
        ["POST /api/v1/manual-entries"] = Json(_ => $$"""
            {"meter":"{{SharedWater}}","ts":"{{Iso(EntryTs)}}","value":55,"document":"B walk","note":"B walk"}
            """),
        ["POST /api/v1/manual-entries/{entryId}/corrections"] = Json(_ => """{"value":66,"reason":"B walk"}"""),
        ["GET /api/v1/manual-entries"] = _get,
        ["GET /api/v1/manual-entries/{entryId}"] = _get,

        // Data sources: a disabled Modbus device (nothing connects) that names A's ingest key, which B must not be able to use.
        ["GET /api/v1/data-sources"] = _get,
        ["GET /api/v1/data-sources/{key}"] = _get,
        ["PUT /api/v1/data-sources/{key}"] = Json(i => ModbusSourceJson(15999, i.Plant.AGatewayKeyId)),
        ["DELETE /api/v1/data-sources/{key}"] = _empty,
        ["GET /api/v1/data-sources/{key}/status"] = _get,

        // Audit trail.
        ["GET /api/v1/audit"] = _get,
        ["GET /api/v1/audit/verify"] = _get,

        // Sign-in, users and keys.
        ["POST /api/v1/auth/sign-in"] = Json(_ => $$"""{"userName":"{{BUserName}}","password":"{{BPassword}}"}""") with { ChangesSignIn = true },
        ["POST /api/v1/auth/sign-out"] = _empty with { ChangesSignIn = true },
        ["GET /api/v1/auth/me"] = _get,
        // A wrong current password: nothing changes (and nothing of A's could).
        ["POST /api/v1/auth/password"] = Json(_ => """{"currentPassword":"not-b-password","newPassword":"b-walk-new-password-1"}"""),
        ["GET /api/v1/users"] = _get,
        ["POST /api/v1/users"] = Json(i => $$"""
            {"userName":"b-walk-{{i.Serial}}","displayName":"B walk","password":"b-walk-password-1","roles":[{"role":"viewer"}]}
            """),
        ["PUT /api/v1/users/{id}"] = Json(_ => """{"displayName":"B walk","disabled":false}"""),
        ["GET /api/v1/api-keys"] = _get,
        ["POST /api/v1/api-keys"] = Json(i => $$"""{"name":"b-walk-{{i.Serial}}","permissions":["read"]}"""),
        ["DELETE /api/v1/api-keys/{id}"] = _empty,

        // KPIs and recorded quantities.
        ["GET /api/v1/kpi-library"] = _get,
        ["GET /api/v1/kpis"] = _get,
        ["GET /api/v1/sites/{site}/kpis"] = _get,
        ["GET /api/v1/sites/{site}/kpis/{key}"] = _get,
        ["PUT /api/v1/sites/{site}/kpis/{key}"] = Json(i => $$"""
            {"key":"{{i.Values["key"]}}","name":"B walk KPI","area":"Energy","unit":"kgce","direction":"Lower","formula":"energy()"}
            """),
        ["DELETE /api/v1/sites/{site}/kpis/{key}"] = _empty,
        ["GET /api/v1/sites/{site}/kpis/{key}/trend"] = _get,
        ["GET /api/v1/sites/{site}/kpis.xlsx"] = _get,
        ["GET /api/v1/sites/{site}/quantities"] = _get,
        ["POST /api/v1/sites/{site}/quantities"] = Json(_ => """{"key":"b.walk","period":"2025-06","value":1.5,"unit":"t"}"""),
        ["DELETE /api/v1/sites/{site}/quantities/{id}"] = _empty,
        ["PUT /api/v1/sites/{site}/quantities/{id}/evidence"] = new(_ =>
        {
            var form = new MultipartFormDataContent();
            form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("B walk ticket")), "file", "b-walk.txt");
            return form;
        }),
        ["GET /api/v1/sites/{site}/quantities/{id}/evidence"] = _get,

        // PDCA reviews and actions.
        ["GET /api/v1/sites/{site}/reviews"] = _get,
        ["POST /api/v1/sites/{site}/reviews"] = Json(_ => """{"title":"B walk review","meetingDate":"2025-06-16","period":"2025-06","cycle":"quarterly","attendees":[],"findings":[],"decisions":[]}"""),
        ["GET /api/v1/sites/{site}/reviews/{id}"] = _get,
        ["PUT /api/v1/sites/{site}/reviews/{id}"] = Json(_ => """{"title":"B walk review","meetingDate":"2025-06-16","period":"2025-06","cycle":"quarterly","attendees":[],"findings":[],"decisions":["B walk"]}"""),
        ["POST /api/v1/sites/{site}/reviews/{id}/hold"] = _empty,
        ["GET /api/v1/sites/{site}/reviews/{id}/minutes.xlsx"] = _get,
        ["GET /api/v1/sites/{site}/actions"] = _get,
        // B names A's review and A's alarm: refused, nothing of A's changes.
        ["POST /api/v1/sites/{site}/actions"] = Json(i => $$$"""{"reviewId":{{{i.Plant.AObjects.ReviewIds[0]}}},"alarmId":{{{i.Plant.AObjects.AlarmId}}},"action":{"title":"B walk","owner":"B","dueDate":"2199-01-01"}}"""),
        ["GET /api/v1/sites/{site}/actions/{id}"] = _get,
        ["PUT /api/v1/sites/{site}/actions/{id}"] = Json(_ => """{"state":"InProgress","note":"B walk"}"""),

        // Cleaner-production audits and their options.
        ["GET /api/v1/sites/{site}/cp-audits"] = _get,
        ["POST /api/v1/sites/{site}/cp-audits"] = Json(_ => """{"title":"B walk audit","period":"2025-06"}"""),
        ["GET /api/v1/sites/{site}/cp-audits/{id}"] = _get,
        ["POST /api/v1/sites/{site}/cp-audits/{id}/options"] = Json(_ => """{"title":"B walk option","area":"Energy"}"""),
        ["PUT /api/v1/sites/{site}/cp-audits/{id}/options/{optionId}"] = Json(_ => """{"stage":"Rejected","note":"B walk"}"""),
        ["GET /api/v1/cp-indicator-systems"] = _get,
        // B's evaluation of a site reads B's own KPIs only (A's KPI keys are the same).
        ["POST /api/v1/sites/{site}/cp-evaluations"] = Json(_ => """{"period":"2025-06","systemKey":"ceramic-tile-draft"}"""),

        // Projects, their documents, and the baseline models that verify them. B's bodies are valid, so that a call
        // naming A's project or model is refused for not finding it, not for its body.
        ["GET /api/v1/sites/{site}/projects"] = _get,
        ["POST /api/v1/sites/{site}/projects"] = Json(_ => ProjectJson),
        ["GET /api/v1/sites/{site}/projects/portfolio"] = _get,
        ["GET /api/v1/sites/{site}/projects/{id}"] = _get,
        ["PUT /api/v1/sites/{site}/projects/{id}"] = Json(_ => ProjectJson),
        // B names A's model: refused (no model of that id at B's site), nothing of A's linked.
        ["PUT /api/v1/sites/{site}/projects/{id}/state"] = Json(i => $$"""{"state":"Rejected","modelId":{{i.Plant.AObjects.MvModelIds[0]}},"note":"B walk"}"""),
        ["POST /api/v1/sites/{site}/projects/{id}/documents"] = new(_ =>
        {
            var form = new MultipartFormDataContent();
            form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("B walk offer")), "file", "b-walk.txt");
            return form;
        }),
        ["GET /api/v1/sites/{site}/projects/{id}/documents/{documentId}"] = _get,
        ["GET /api/v1/sites/{site}/projects/{id}/verification.xlsx"] = _get,
        ["GET /api/v1/sites/{site}/mv-models"] = _get,
        ["POST /api/v1/sites/{site}/mv-models"] = Json(_ => ModelJson(null)),
        ["GET /api/v1/sites/{site}/mv-models/{id}"] = _get,
        // B's model names A's project: refused, nothing of A's linked.
        ["PUT /api/v1/sites/{site}/mv-models/{id}"] = Json(i => ModelJson(i.Plant.AObjects.ProjectIds[0])),
        ["POST /api/v1/sites/{site}/mv-models/{id}/refit"] = _empty,
        ["POST /api/v1/sites/{site}/mv-models/{id}/adjustments"] = Json(_ => """{"from":"2025-06-01","to":"2025-06-02","amount":1,"reason":"B walk"}"""),
        ["GET /api/v1/sites/{site}/mv-models/{id}/savings"] = _get,

        // Field work. B's bodies are valid, so that a call naming A's round or work order is refused for not finding it.
        ["GET /api/v1/sites/{site}/checklist-templates"] = _get,
        ["POST /api/v1/sites/{site}/checklist-templates"] = Json(_ => BTemplateJson),
        ["GET /api/v1/sites/{site}/checklist-templates/{key}"] = _get,
        ["GET /api/v1/sites/{site}/checklist-templates/{key}/export"] = _get,
        ["GET /api/v1/sites/{site}/rounds"] = _get,
        ["POST /api/v1/sites/{site}/rounds"] = Json(_ => BRoundJson),
        ["PUT /api/v1/sites/{site}/rounds/{id}"] = Json(_ => BRoundJson),
        ["GET /api/v1/sites/{site}/rounds/occurrences"] = _get,
        ["GET /api/v1/sites/{site}/inspections"] = _get,
        // B's phone sends A's submission id: it lands as B's own inspection (or answers B's own), never A's.
        ["POST /api/v1/sites/{site}/inspections"] = new(_ => new MultipartFormDataContent
        {
            { new StringContent($$"""{"submissionId":"{{SubmissionId}}","template":"b-walk","answers":[{"item":"ok","pass":true}]}""", Encoding.UTF8, "application/json"), "submission" },
            { BPhoto(), "photo.ok", "b-walk.jpg" },
        }),
        ["GET /api/v1/sites/{site}/inspections/{id}"] = _get,
        ["GET /api/v1/sites/{site}/field-photos/{id}"] = _get,
        ["GET /api/v1/sites/{site}/work-orders"] = _get,
        ["POST /api/v1/sites/{site}/work-orders"] = Json(_ => """{"title":"B walk work order","priority":"Low","dueDate":"2199-01-01"}"""),
        ["GET /api/v1/sites/{site}/work-orders/{id}"] = _get,
        ["PUT /api/v1/sites/{site}/work-orders/{id}"] = Json(_ => """{"comment":"B walk"}"""),
        ["POST /api/v1/sites/{site}/work-orders/{id}/photos"] = new(_ => new MultipartFormDataContent { { BPhoto(), "file", "b-walk.jpg" }, { new StringContent("after"), "item" } }),
        // B names A's work order: not found, no action or project made, nothing written in A's history.
        ["POST /api/v1/sites/{site}/work-orders/{id}/action"] = Json(_ => """{"title":"B walk action","owner":"b.walker","dueDate":"2199-01-01"}"""),
        ["POST /api/v1/sites/{site}/work-orders/{id}/project"] = Json(_ => """{"title":"B walk project","owner":"b.walker"}"""),
        // B names A's alarm: not found, no work order opened, nothing written in A's alarm history.
        ["POST /api/v1/alarms/{id}/work-order"] = _empty,
        ["GET /api/v1/sites/{site}/field-report"] = _get,
        ["GET /api/v1/sites/{site}/field-report.xlsx"] = _get,

        // Cost. B's tariff and account are valid, so that B saving them changes B's only.
        ["GET /api/v1/tariffs"] = _get,
        ["GET /api/v1/tariffs/{key}"] = _get,
        ["PUT /api/v1/tariffs/{key}"] = Json(_ => """{"name":"B walk tariff","versions":[{"validFrom":"2025-01-01","prices":[{"band":"Flat","price":0.5}],"source":"B walk"}]}"""),
        ["GET /api/v1/sites/{site}/electricity-account"] = _get,
        ["PUT /api/v1/sites/{site}/electricity-account"] = Json(_ => $$"""{"tariff":"cn-gd-industrial-2part-10kv","basis":"Demand","powerFactorStandard":null,"activeMeters":["{{SharedMain}}"]}"""),
        ["GET /api/v1/sites/{site}/electricity-bill"] = _get,
        ["GET /api/v1/sites/{site}/electricity-bill.xlsx"] = _get,
        ["GET /api/v1/sites/{site}/electricity-bill.csv"] = _get,

        // The platform administration API: no tenant identity may use it (B would disable A's tenant or make one).
        ["GET /api/v1/platform/tenants"] = _get,
        ["POST /api/v1/platform/tenants"] = Json(i => $$"""{"key":"b-walk-{{i.Serial}}","name":"B walk tenant"}"""),
        ["PUT /api/v1/platform/tenants/{tenant}"] = Json(_ => """{"name":"B walk","disabled":true}"""),
    };

    /// <summary>
    /// Lists of ids a GET answers, and A's ids of that kind: none of A's may appear in B's answer (the token check
    /// catches names and texts; these catch rows that carry no text of A's, such as a delivery).
    /// </summary>
    public static IReadOnlyList<(string Property, IReadOnlyList<long> AIds)> IdChecks(string route, TenantAObjects a) => route switch
    {
        "GET /api/v1/alarms" => [("id", a.AlarmIds)],
        "GET /api/v1/notification-deliveries" => [("id", a.DeliveryIds)],
        "GET /api/v1/manual-entries" => [("entryId", a.EntryIds)],
        "GET /api/v1/users" => [("id", a.UserIds)],
        "GET /api/v1/api-keys" => [("id", a.KeyIds)],
        "GET /api/v1/quarantine" => [("id", a.QuarantineIds)],
        "GET /api/v1/sites/{site}/quantities" => [("id", a.QuantityIds)],
        "GET /api/v1/sites/{site}/reviews" => [("id", a.ReviewIds)],
        "GET /api/v1/sites/{site}/actions" => [("id", a.ActionIds)],
        "GET /api/v1/sites/{site}/cp-audits" => [("id", a.CpAuditIds)],
        "GET /api/v1/sites/{site}/projects" => [("id", a.ProjectIds), ("modelId", a.MvModelIds)],
        "GET /api/v1/sites/{site}/projects/portfolio" => [("project", a.ProjectIds)],
        "GET /api/v1/sites/{site}/mv-models" => [("id", a.MvModelIds), ("projectId", a.ProjectIds)],
        "GET /api/v1/sites/{site}/checklist-templates" => [("id", a.TemplateIds)],
        "GET /api/v1/sites/{site}/rounds" => [("id", a.RoundIds)],
        "GET /api/v1/sites/{site}/rounds/occurrences" => [("round", a.RoundIds), ("inspection", a.InspectionIds)],
        "GET /api/v1/sites/{site}/inspections" => [("id", a.InspectionIds), ("templateId", a.TemplateIds)],
        "GET /api/v1/sites/{site}/work-orders" => [("id", a.WorkOrderIds), ("inspection", a.InspectionIds), ("alarm", a.AlarmIds)],
        // Each tenant's audit chain is numbered from 1, so B's numbers are A's numbers too: B's entries are told from
        // A's by their hashes (TenantIsolationTests) and by A's marked text (checked on every answer).
        _ => [],
    };

    /// <summary>
    /// The values a route parameter is walked with: A's real keys and ids, and guesses next to A's ids. Null when the
    /// parameter is not known here (the walk then fails for that route).
    /// </summary>
    public static IReadOnlyList<RouteValue>? Values(AppRoute route, string parameter, IsolationPlant plant)
    {
        var a = plant.AObjects;
        var p = route.Pattern;
        return parameter switch
        {
            "site" => [new(Shared, ValueKind.Shared), new(Alpha, ValueKind.AOnlyKey)],
            "meter" => [new(SharedMain, ValueKind.Shared), new(SharedPress, ValueKind.Shared), new(SharedWater, ValueKind.Shared), new(AlphaGas, ValueKind.AOnlyKey)],
            "node" => [new("press", ValueKind.Shared), new("_site", ValueKind.Shared)],
            "period" => [new(LockedPeriod, ValueKind.Shared)],
            "key" when p.Contains("/alarm-rules/", StringComparison.Ordinal) => [new(RuleKey, ValueKind.Shared)],
            "key" when p.Contains("/notification-channels/", StringComparison.Ordinal) => [new(ChannelKey, ValueKind.Shared)],
            "key" when p.Contains("/data-sources/", StringComparison.Ordinal) => [new(SharedSource, ValueKind.Shared), new(AlphaSource, ValueKind.AOnlyKey)],
            "id" when p.StartsWith("/api/v1/alarms/", StringComparison.Ordinal) => Ids(a.AlarmIds, []),
            "id" when p.StartsWith("/api/v1/users/", StringComparison.Ordinal) => Ids(a.UserIds, [plant.BUserId]),
            "id" when p.StartsWith("/api/v1/api-keys/", StringComparison.Ordinal) => Ids(a.KeyIds, [plant.BKeyId]),
            "id" when p.StartsWith("/api/v1/imports/", StringComparison.Ordinal) =>
                [new(a.ImportId, ValueKind.AOnlyId), new(Mutate(a.ImportId), ValueKind.Guessed), new("1", ValueKind.Guessed)],
            "entryId" => Ids(a.EntryIds, []),
            "key" when p.Contains("/kpis/", StringComparison.Ordinal) => [new(KpiKey, ValueKind.Shared)],
            "id" when p.Contains("/quantities/", StringComparison.Ordinal) => Ids(a.QuantityIds, []),
            "id" when p.Contains("/reviews/", StringComparison.Ordinal) => Ids(a.ReviewIds, []),
            "id" when p.Contains("/actions/", StringComparison.Ordinal) => Ids(a.ActionIds, []),
            "id" when p.Contains("/cp-audits/", StringComparison.Ordinal) => Ids(a.CpAuditIds, []),
            "optionId" => [new("1", ValueKind.Guessed), new("2", ValueKind.Guessed)],
            "id" when p.Contains("/projects/", StringComparison.Ordinal) => Ids(a.ProjectIds, []),
            "documentId" => Ids(a.ProjectDocumentIds, []),
            "id" when p.Contains("/mv-models/", StringComparison.Ordinal) => Ids(a.MvModelIds, []),
            "key" when p.Contains("/checklist-templates/", StringComparison.Ordinal) => [new(TemplateKey, ValueKind.AOnlyKey)],
            "key" when p.StartsWith("/api/v1/tariffs/", StringComparison.Ordinal) => [new(TariffKey, ValueKind.AOnlyKey)],
            "id" when p.Contains("/rounds/", StringComparison.Ordinal) => Ids(a.RoundIds, []),
            "id" when p.Contains("/inspections/", StringComparison.Ordinal) => Ids(a.InspectionIds, []),
            "id" when p.Contains("/field-photos/", StringComparison.Ordinal) => Ids(a.FieldPhotoIds, []),
            "id" when p.Contains("/work-orders/", StringComparison.Ordinal) => Ids(a.WorkOrderIds, []),
            // Tenant A is the default tenant.
            "tenant" => [new("default", ValueKind.Shared), new("tenant-b", ValueKind.Shared)],
            _ => null,
        };
    }

    /// <summary>A's ids, and guesses: each id's neighbours and the first small integers, except ids of B's own.</summary>
    private static List<RouteValue> Ids(IReadOnlyList<long> aIds, IReadOnlyList<long> bIds)
    {
        var values = aIds.Select(id => new RouteValue(id.ToString(CultureInfo.InvariantCulture), ValueKind.AOnlyId)).ToList();
        var guesses = aIds.SelectMany(id => new[] { id - 1, id + 1 }).Concat([-1, 0, 1, 2, 3, 1_000_000])
            .Where(id => !aIds.Contains(id) && !bIds.Contains(id)).Distinct().Order();
        values.AddRange(guesses.Select(id => new RouteValue(id.ToString(CultureInfo.InvariantCulture), ValueKind.Guessed)));
        return values;
    }

    /// <summary>An upload id with its last character changed: the shape of a real id that is nobody's.</summary>
    private static string Mutate(string id) => id[..^1] + (id[^1] == '0' ? '1' : '0');
}
