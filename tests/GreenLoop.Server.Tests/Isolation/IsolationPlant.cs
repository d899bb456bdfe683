using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Server.Security;
using GreenLoop.Storage;
using GreenLoop.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GreenLoop.Server.Tests.Isolation;

/// <summary>What tenant A owns, by id, as the walk uses it (real ids, and the ground for guessed ones).</summary>
internal sealed record TenantAObjects(
    long AlarmId, long EntryId, string ImportId,
    IReadOnlyList<long> UserIds, IReadOnlyList<long> KeyIds, IReadOnlyList<long> DeliveryIds, IReadOnlyList<long> QuarantineIds,
    IReadOnlyList<long> AuditSeqs, IReadOnlyList<long> EntryIds, IReadOnlyList<long> AlarmIds, IReadOnlyList<long> QuantityIds,
    IReadOnlyList<long> ReviewIds, IReadOnlyList<long> ActionIds, IReadOnlyList<long> CpAuditIds,
    IReadOnlyList<long> ProjectIds, IReadOnlyList<long> ProjectDocumentIds, IReadOnlyList<long> MvModelIds,
    IReadOnlyList<long> TemplateIds, IReadOnlyList<long> RoundIds, IReadOnlyList<long> InspectionIds, IReadOnlyList<long> FieldPhotoIds, IReadOnlyList<long> WorkOrderIds);

/// <summary>
/// Two tenants on one server (real SQLite file, real webhook receiver on 127.0.0.1). Tenant A is the default tenant,
/// set up through the provisioned administrator key with data in every area, each name and text of it marked
/// "A-only" (or 甲方专用), its meter values 987654.321. Tenant B is created through the services as an operator would:
/// an administrator who signs in with the cookie, an integration key (ingest, read, read-park), and a site that reuses
/// A's site, node and meter keys, plus A's rule, channel and data-source keys — the hard case for isolation by key.
/// </summary>
internal sealed class IsolationPlant : IAsyncDisposable
{
    public const string Shared = "shared";
    public const string Alpha = "alpha";
    public const string SharedMain = "shared.main";
    public const string SharedPress = "shared.press";
    public const string SharedWater = "shared.water";
    public const string AlphaGas = "alpha.gas";
    public const string RuleKey = "quarter-limit";
    public const string KpiKey = "unit-energy";
    public const string ChannelKey = "ops";
    public const string SharedSource = "gateway";
    public const string AlphaSource = "a-plc";
    public const string LockedPeriod = "2025-06";
    public const string TemplateKey = "A-only-check";
    public const string TariffKey = "a-tariff";

    /// <summary>A's inspection's submission id (no mark: tenant B sends the same id, which must land as B's own).</summary>
    public const string SubmissionId = "walk-submission-0001";
    public const string APerson = "A-only-person";
    public const string AUserName = "A-only-alice";
    public const string BUserName = "B-only-bob";
    public const string BPassword = "tenant-b-password-1";
    public const double AValue = 987654.321;
    public const double BValue = 12.5;

    /// <summary>Every text planted in tenant A contains one of these; tenant B never sends them.</summary>
    public static readonly IReadOnlyList<string> ATokens = ["A-only", "甲方专用", "987654.321"];

    /// <summary>The manual entry's reading instant (the same instant is free in tenant B's meter of the same key).</summary>
    public static readonly DateTimeOffset EntryTs = new(2025, 5, 10, 8, 0, 0, TimeSpan.FromHours(8));

    private IsolationPlant(GreenLoopAppFactory factory, HookReceiver hooks, HttpClient a)
    {
        Factory = factory;
        Hooks = hooks;
        A = a;
        // The quarter that ended last: A's reading there trips A's rule live, so it raises an alarm that is notified.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Quarter = DateTimeOffset.FromUnixTimeMilliseconds(now / 900_000 * 900_000);
    }

    public GreenLoopAppFactory Factory { get; }

    public HookReceiver Hooks { get; }

    /// <summary>Tenant A's administrator key, acting for <see cref="APerson"/>.</summary>
    public HttpClient A { get; }

    public TenantClient BUser { get; private set; } = null!;

    public TenantClient BKey { get; private set; } = null!;

    public long TenantA { get; private set; }

    public long TenantB { get; private set; }

    public long BUserId { get; private set; }

    public long BKeyId { get; private set; }

    /// <summary>A's site-scoped ingest key, the one A's data sources write with.</summary>
    public long AGatewayKeyId { get; private set; }

    public DateTimeOffset Quarter { get; }

    public TenantAObjects AObjects { get; private set; } = null!;

    public static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static async Task<IsolationPlant> StartAsync()
    {
        var factory = new GreenLoopAppFactory();
        var hooks = await HookReceiver.StartAsync();
        var a = factory.CreateClient();
        a.DefaultRequestHeaders.Add("X-GreenLoop-User", APerson);
        var plant = new IsolationPlant(factory, hooks, a);
        try
        {
            await plant.SetUpTenantAAsync();
            await plant.SetUpTenantBAsync();
            await Http.WaitForDerivationAsync(a, TimeSpan.FromSeconds(60));
            return plant;
        }
        catch
        {
            await plant.DisposeAsync();
            throw;
        }
    }

    /// <summary>A site document; <paramref name="mark"/> ("A-only" or "B-only") marks every name.</summary>
    public static string SiteJson(string key, string mark, string zh) => key == Alpha
        ? $$"""
            {"key":"alpha","name":"{{mark}} Alpha Works","nameZh":"{{zh}}工厂二","timeZone":"Asia/Shanghai","gridRegion":"CN-Guangdong",
             "meters":[{"key":"alpha.gas","name":"{{mark}} kiln gas","carrier":"natural_gas","unit":"m3","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding"}]}
            """
        : $$"""
            {"key":"{{key}}","name":"{{mark}} Shared Plant","nameZh":"{{zh}}工厂","timeZone":"Asia/Shanghai","gridRegion":"CN-Guangdong",
             "nodes":[{"key":"press","name":"{{mark}} press shop"}],
             "meters":[
               {"key":"{{key}}.main","name":"{{mark}} main incomer","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding"},
               {"key":"{{key}}.press","name":"{{mark}} press feeder","node":"press","parent":"{{key}}.main","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding"},
               {"key":"{{key}}.water","name":"{{mark}} water (billed)","carrier":"fresh_water","unit":"m3","kind":"Cumulative"}]}
            """;

    public static string RuleJson(string key, string mark, string zh, double limit) => $$"""
        {"key":"{{key}}","name":"{{mark}} quarter limit","nameZh":"{{zh}}告警","severity":"critical",
         "subject":{"kind":"meter","key":"shared.main"},"condition":{"per":"15m","limit":{{limit.ToString(CultureInfo.InvariantCulture)}},"type":"consumption"},
         "recipients":["ops"]}
        """;

    public string ChannelJson(string key, string mark, bool enabled = true) => $$"""
        {"key":"{{key}}","kind":"webhook","name":"{{mark}} channel","url":"{{Hooks.Url(mark)}}","secret":"{{mark}}-secret","enabled":{{(enabled ? "true" : "false")}}}
        """;

    public static string MqttSourceJson(string mark, long keyId) => $$$"""
        {"kind":"mqtt","enabled":false,"apiKeyId":{{{keyId}}},"settings":{"host":"127.0.0.1","port":1883,"clientId":"{{{mark}}}-client","username":"{{{mark}}}-user","password":"{{{mark}}}-password",
         "subscriptions":[{"topic":"plant/{meter}/energy","format":"number"}]}}
        """;

    public static string ModbusSourceJson(int port, long keyId) => $$$"""
        {"kind":"modbus","enabled":false,"apiKeyId":{{{keyId}}},"settings":{"host":"127.0.0.1","port":{{{port}}},"unitId":1,"pollSeconds":10,
         "points":[{"meter":"shared.main","function":3,"address":1,"addressBase":1,"type":"uint32"}]}}
        """;

    public static string ReadingsJson(params (string Meter, DateTimeOffset Ts, double Value)[] readings) =>
        JsonSerializer.Serialize(new { readings = readings.Select(r => new { meter = r.Meter, ts = Iso(r.Ts), value = r.Value }) });

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<JsonElement> ASendAsync(HttpMethod method, string url, string? json, params HttpStatusCode[] expected)
    {
        using var request = new HttpRequestMessage(method, url) { Content = json is null ? null : Json(json) };
        using var response = await A.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected.Contains(response.StatusCode), $"tenant A: {method} {url}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> AGetAsync(string url) => await ASendAsync(HttpMethod.Get, url, null, HttpStatusCode.OK);

    private async Task SetUpTenantAAsync()
    {
        TenantA = Factory.Services.GetRequiredService<Hosting.TenantContext>().DefaultTenantId;
        await ASendAsync(HttpMethod.Put, $"/api/v1/sites/{Shared}", SiteJson(Shared, "A-only", "甲方专用"), HttpStatusCode.OK);
        await ASendAsync(HttpMethod.Put, $"/api/v1/sites/{Alpha}", SiteJson(Alpha, "A-only", "甲方专用"), HttpStatusCode.OK);
        await ASendAsync(HttpMethod.Put, $"/api/v1/notification-channels/{ChannelKey}", ChannelJson(ChannelKey, "A-only"), HttpStatusCode.OK);
        await ASendAsync(HttpMethod.Put, $"/api/v1/sites/{Shared}/alarm-rules/{RuleKey}", RuleJson(RuleKey, "A-only", "甲方专用", 100), HttpStatusCode.OK);
        // Connectors write with an ingest key of their tenant.
        var gateway = await ASendAsync(HttpMethod.Post, "/api/v1/api-keys", """{"name":"A-only-gateway","site":"shared","permissions":["ingest"]}""", HttpStatusCode.Created);
        AGatewayKeyId = gateway.GetProperty("apiKey").GetProperty("id").GetInt64();
        await ASendAsync(HttpMethod.Put, $"/api/v1/data-sources/{SharedSource}", MqttSourceJson("A-only", AGatewayKeyId), HttpStatusCode.Created);
        await ASendAsync(HttpMethod.Put, $"/api/v1/data-sources/{AlphaSource}", ModbusSourceJson(15020, AGatewayKeyId), HttpStatusCode.Created);

        // 987,654.321 kWh in one quarter against a limit of 100: A's rule raises an alarm, notified to A's channel.
        // The unknown meter's row is rejected and quarantined under A.
        var ingest = await ASendAsync(HttpMethod.Post, "/api/v1/readings",
            ReadingsJson((SharedMain, Quarter, AValue), (SharedPress, Quarter, AValue), (AlphaGas, Quarter, AValue), ("A-only-ghost", Quarter, AValue)), HttpStatusCode.OK);
        Assert.Equal((4, 3), (ingest.GetProperty("received").GetInt32(), ingest.GetProperty("accepted").GetInt32()));

        var alarmId = (await WaitForAlarmAsync()).GetProperty("id").GetInt64();
        await ASendAsync(HttpMethod.Post, $"/api/v1/alarms/{alarmId}/comment", """{"text":"A-only comment"}""", HttpStatusCode.OK);
        await ASendAsync(HttpMethod.Post, $"/api/v1/alarms/{alarmId}/ack", """{"comment":"A-only acknowledgement"}""", HttpStatusCode.OK);
        await ASendAsync(HttpMethod.Post, $"/api/v1/notification-channels/{ChannelKey}/test", null, HttpStatusCode.OK);

        await ASendAsync(HttpMethod.Post, $"/api/v1/sites/{Shared}/factor-overrides",
            """{"factor":"cn_fuel_ncv/natural_gas","year":"2025","value":380,"unit":"GJ/10^4Nm3","reason":"A-only lab report"}""", HttpStatusCode.OK);
        await ASendAsync(HttpMethod.Post, $"/api/v1/sites/{Shared}/periods/{LockedPeriod}/lock", null, HttpStatusCode.OK);

        var entry = await ASendAsync(HttpMethod.Post, "/api/v1/manual-entries",
            $$"""{"meter":"{{SharedWater}}","ts":"{{Iso(EntryTs)}}","value":1200,"document":"A-only-DOC-4711","note":"A-only note"}""", HttpStatusCode.Created);
        var entryId = entry.GetProperty("entryId").GetInt64();
        await ASendAsync(HttpMethod.Post, $"/api/v1/manual-entries/{entryId}/corrections", """{"value":1250,"reason":"A-only correction"}""", HttpStatusCode.Created);

        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("time,A-only-column\n2025-05-01 00:15,1.5\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "A-only-upload.csv");
        using var upload = await A.PostAsync("/api/v1/imports", form);
        var uploaded = await Http.JsonAsync(upload);
        Assert.True(upload.StatusCode == HttpStatusCode.Created, uploaded.ToString());
        var importId = uploaded.GetProperty("id").GetString()!;

        await ASendAsync(HttpMethod.Post, "/api/v1/users",
            $$"""{"userName":"{{AUserName}}","displayName":"A-only Alice","password":"alice-password-1","roles":[{"role":"viewer"}]}""", HttpStatusCode.Created);

        // A KPI and a recorded quantity with its evidence file.
        await ASendAsync(HttpMethod.Put, $"/api/v1/sites/{Shared}/kpis/{KpiKey}",
            $$$"""{"key":"{{{KpiKey}}}","name":"A-only KPI","nameZh":"甲方专用指标","area":"Energy","unit":"kgce","direction":"Lower","formula":"energy()","owner":{"department":"A-only department"}}""", HttpStatusCode.OK);
        var quantity = await ASendAsync(HttpMethod.Post, $"/api/v1/sites/{Shared}/quantities",
            """{"key":"waste.solid","period":"2025-05","value":987654.321,"unit":"t","note":"A-only weighbridge"}""", HttpStatusCode.Created);
        using (var evidence = new MultipartFormDataContent())
        {
            var scan = new ByteArrayContent(Encoding.UTF8.GetBytes("A-only ticket"));
            scan.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            evidence.Add(scan, "file", "A-only-ticket.txt");
            using var attached = await A.PutAsync($"/api/v1/sites/{Shared}/quantities/{quantity.GetProperty("id").GetInt64()}/evidence", evidence);
            Assert.Equal(HttpStatusCode.NoContent, attached.StatusCode);
        }
        // A held review with an action, and an action opened from A's alarm.
        var review = await ASendAsync(HttpMethod.Post, $"/api/v1/sites/{Shared}/reviews",
            """{"title":"A-only review","meetingDate":"2025-06-16","period":"2025-06","cycle":"quarterly","attendees":["A-only-person"],"findings":[],"decisions":["A-only decision"]}""", HttpStatusCode.Created);
        var reviewId = review.GetProperty("id").GetInt64();
        await ASendAsync(HttpMethod.Post, $"/api/v1/sites/{Shared}/reviews/{reviewId}/hold", null, HttpStatusCode.OK);
        await ASendAsync(HttpMethod.Post, $"/api/v1/sites/{Shared}/actions",
            $$$"""{"reviewId":{{{reviewId}}},"action":{"title":"A-only action","owner":"A-only-person","dueDate":"2025-07-31"}}""", HttpStatusCode.Created);
        long projectDocumentId;
        var cpAudit = await ASendAsync(HttpMethod.Post, $"/api/v1/sites/{Shared}/cp-audits", """{"title":"A-only audit","period":"2025-05","team":["A-only-person"]}""", HttpStatusCode.Created);
        await ASendAsync(HttpMethod.Post, $"/api/v1/sites/{Shared}/cp-audits/{cpAudit.GetProperty("id").GetInt64()}/options", """{"title":"A-only option","area":"Water"}""", HttpStatusCode.Created);
        // A project with a document, and a baseline model linked to it.
        var project = await ASendAsync(HttpMethod.Post, $"/api/v1/sites/{Shared}/projects", """
            {"title":"A-only project","titleZh":"甲方专用项目","category":"energy-saving","owner":"A-only-person","node":"press",
             "investment":[{"category":"equipment","amount":987654.321,"description":"A-only offer"}],
             "benefits":[{"category":"energy","carrier":"electricity","annualEnergy":100000,"description":"A-only estimate"}],
             "prices":[{"carrier":"electricity","price":0.7,"unit":"kWh","source":"A-only tariff"}]}
            """, HttpStatusCode.Created);
        var projectId = project.GetProperty("id").GetInt64();
        using (var documentForm = new MultipartFormDataContent())
        {
            var offer = new ByteArrayContent(Encoding.UTF8.GetBytes("A-only offer"));
            offer.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            documentForm.Add(offer, "file", "A-only-offer.txt");
            using var attached = await A.PostAsync($"/api/v1/sites/{Shared}/projects/{projectId}/documents", documentForm);
            var document = await Http.JsonAsync(attached);
            Assert.True(attached.StatusCode == HttpStatusCode.Created, document.ToString());
            projectDocumentId = document.GetProperty("id").GetInt64();
        }
        var mvModel = await ASendAsync(HttpMethod.Post, $"/api/v1/sites/{Shared}/mv-models",
            $$$"""{"name":"A-only model","subject":"meter:{{{SharedMain}}}","grain":"day","baselineFrom":"2025-05-01","baselineTo":"2025-05-31","form":"Mean","reportingFrom":"2025-06-01","reportingTo":"2025-06-30","projectId":{{{projectId}}}}""",
            HttpStatusCode.Created);
        await ASendAsync(HttpMethod.Post, $"/api/v1/sites/{Shared}/mv-models/{mvModel.GetProperty("id").GetInt64()}/adjustments",
            """{"from":"2025-06-01","to":"2025-06-10","amount":5,"reason":"A-only new line"}""", HttpStatusCode.OK);
        await ASendAsync(HttpMethod.Put, $"/api/v1/sites/{Shared}/projects/{projectId}/state",
            $$$"""{"state":"Proposed","modelId":{{{mvModel.GetProperty("id").GetInt64()}}},"note":"A-only note"}""", HttpStatusCode.OK);

        // Field work: a checklist template, a round, an inspection with a photo whose failed number opened a work order,
        // a work order by hand and one opened from A's alarm (no recipients, not overdue: nothing is notified).
        await ASendAsync(HttpMethod.Post, $"/api/v1/sites/{Shared}/checklist-templates", $$$"""
            {"key":"{{{TemplateKey}}}","name":"A-only checklist","nameZh":"甲方专用点检","items":[
              {"key":"dp","text":"A-only filter pressure","type":"Number","unit":"Pa","min":800,"max":1500,"onFail":{"severity":"High","workOrder":true}},
              {"key":"stack","text":"A-only stack photo","type":"Photo","photos":1}]}
            """, HttpStatusCode.OK);
        await ASendAsync(HttpMethod.Post, $"/api/v1/sites/{Shared}/rounds", $$$"""
            {"round":{"name":"A-only round","template":"{{{TemplateKey}}}","node":"press","schedule":{"kind":"Daily","times":["09:00"],"windowMinutes":60},
             "assignee":{"person":"A-only-person"} } }
            """, HttpStatusCode.Created);
        using (var submission = new MultipartFormDataContent())
        {
            submission.Add(new StringContent($$$"""
                {"submissionId":"{{{SubmissionId}}}","template":"{{{TemplateKey}}}","answers":[{"item":"dp","number":987654.321,"note":"A-only reading"}]}
                """, Encoding.UTF8, "application/json"), "submission");
            var picture = new ByteArrayContent(FieldPhotos.Jpeg());
            picture.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            submission.Add(picture, "photo.stack", "A-only-stack.jpg");
            using var submitted = await A.PostAsync($"/api/v1/sites/{Shared}/inspections", submission);
            var inspection = await Http.JsonAsync(submitted);
            Assert.True(submitted.StatusCode == HttpStatusCode.Created, inspection.ToString());
            Assert.Single(inspection.GetProperty("workOrders").EnumerateArray());
        }
        await ASendAsync(HttpMethod.Post, $"/api/v1/sites/{Shared}/work-orders",
            """{"title":"A-only work order","node":"press","priority":"High","assignee":"A-only-person","dueDate":"2199-01-01"}""", HttpStatusCode.Created);
        await ASendAsync(HttpMethod.Post, $"/api/v1/alarms/{alarmId}/work-order", """{"title":"A-only alarm work order","priority":"Urgent","dueDate":"2199-01-01"}""", HttpStatusCode.Created);
        var inspections = await AGetAsync($"/api/v1/sites/{Shared}/inspections");

        // Cost: an A-only tariff and A's electricity account of the shared site naming it.
        await ASendAsync(HttpMethod.Put, $"/api/v1/tariffs/{TariffKey}", $$$"""
            {"name":"A-only tariff","versions":[{"validFrom":"2025-01-01","prices":[{"band":"Flat","price":0.123456}],"demandPrice":12.3456,"source":"A-only notice"}]}
            """, HttpStatusCode.OK);
        await ASendAsync(HttpMethod.Put, $"/api/v1/sites/{Shared}/electricity-account", $$$"""
            {"tariff":"{{{TariffKey}}}","basis":"Demand","contractDemandKw":987.654,"powerFactorStandard":null,"activeMeters":["{{{SharedMain}}}"]}
            """, HttpStatusCode.OK);

        // Raised, acknowledged and the test message: three deliveries to A's hook, each logged under A.
        var deliveries = await WaitForADeliveriesAsync(3);
        AObjects = new TenantAObjects(alarmId, entryId, importId,
            Ids(await AGetAsync("/api/v1/users"), "id"), Ids(await AGetAsync("/api/v1/api-keys"), "id"), Ids(deliveries, "id"),
            Ids((await AGetAsync("/api/v1/quarantine")).GetProperty("rows"), "id"), Ids(await AGetAsync("/api/v1/audit?limit=1000"), "seq"),
            Ids(await AGetAsync("/api/v1/manual-entries"), "entryId"), Ids(await AGetAsync("/api/v1/alarms"), "id"),
            Ids(await AGetAsync($"/api/v1/sites/{Shared}/quantities"), "id"),
            Ids(await AGetAsync($"/api/v1/sites/{Shared}/reviews"), "id"), Ids(await AGetAsync($"/api/v1/sites/{Shared}/actions"), "id"),
            Ids(await AGetAsync($"/api/v1/sites/{Shared}/cp-audits"), "id"),
            Ids(await AGetAsync($"/api/v1/sites/{Shared}/projects"), "id"), [projectDocumentId], Ids(await AGetAsync($"/api/v1/sites/{Shared}/mv-models"), "id"),
            Ids(await AGetAsync($"/api/v1/sites/{Shared}/checklist-templates"), "id"), Ids(await AGetAsync($"/api/v1/sites/{Shared}/rounds"), "id"), Ids(inspections, "id"),
            [.. inspections.EnumerateArray().SelectMany(i => i.GetProperty("photos").EnumerateArray()).Select(p => p.GetProperty("id").GetInt64())],
            Ids(await AGetAsync($"/api/v1/sites/{Shared}/work-orders"), "id"));
        Assert.Equal(2, AObjects.UserIds.Count);
        Assert.Equal(2, AObjects.KeyIds.Count);
        Assert.Single(AObjects.QuarantineIds);
        Assert.NotEmpty(AObjects.AuditSeqs);
        Assert.Single(AObjects.ProjectIds);
        Assert.Single(AObjects.MvModelIds);
        Assert.Equal((1, 1, 1, 1, 3), (AObjects.TemplateIds.Count, AObjects.RoundIds.Count, AObjects.InspectionIds.Count, AObjects.FieldPhotoIds.Count, AObjects.WorkOrderIds.Count));
    }

    private async Task SetUpTenantBAsync()
    {
        var services = Factory.Services;
        var store = services.GetRequiredService<GreenLoopStore>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        TenantB = await store.EnsureTenantAsync("tenant-b", "B-only tenant", CancellationToken.None);
        Assert.NotEqual(TenantA, TenantB);
        var user = await services.GetRequiredService<UserService>().CreateAsync(TenantB, BUserName, "B-only Bob", BPassword,
            [new StoredRole(Roles.Administrator, null)], CancellationToken.None);
        BUserId = Assert.IsType<StoredUser>(user).Id;
        var (key, prefix, hash) = ApiKeys.Generate();
        BKeyId = (await store.CreateApiKeyAsync(new StoredApiKey
        {
            TenantId = TenantB,
            Name = "B-only-integration",
            Prefix = prefix,
            SecretHash = hash,
            Permissions = [Permissions.Ingest, Permissions.Read, Permissions.ReadPark],
            CreatedBy = "operator",
            CreatedAt = now,
        }, CancellationToken.None)).Id;

        BUser = await TenantClient.SignInAsync(Factory, "tenant B user", BUserName, BPassword);
        BKey = TenantClient.WithKey(Factory, "tenant B key", key);
        await BExpectAsync(BUser.PutJsonAsync($"/api/v1/sites/{Shared}", SiteJson(Shared, "B-only", "乙方专用")), HttpStatusCode.OK);
        await BExpectAsync(BUser.PutJsonAsync($"/api/v1/notification-channels/{ChannelKey}", ChannelJson(ChannelKey, "B-only")), HttpStatusCode.OK);
        await BExpectAsync(BUser.PutJsonAsync($"/api/v1/sites/{Shared}/alarm-rules/{RuleKey}", RuleJson(RuleKey, "B-only", "乙方专用", 100)), HttpStatusCode.OK);
        await BExpectAsync(BUser.PutJsonAsync($"/api/v1/data-sources/{SharedSource}", MqttSourceJson("B-only", BKeyId)), HttpStatusCode.Created);
        // Half an hour before A's quarter and below the limit: B's own series, and B's rule watches from there on.
        await BExpectAsync(BKey.PostJsonAsync("/api/v1/readings",
            ReadingsJson((SharedMain, Quarter.AddMinutes(-30), BValue), (SharedPress, Quarter.AddMinutes(-30), BValue))), HttpStatusCode.OK);
    }

    private static async Task BExpectAsync(Task<HttpResponseMessage> send, HttpStatusCode expected)
    {
        using var response = await send;
        Assert.True(response.StatusCode == expected, $"tenant B set-up: {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static IReadOnlyList<long> Ids(JsonElement list, string property) =>
        [.. list.EnumerateArray().Select(e => e.GetProperty(property).GetInt64())];

    private async Task<JsonElement> WaitForAlarmAsync() =>
        (await Wait.ForAsync(() => AGetAsync($"/api/v1/alarms?site={Shared}"), list => list.GetArrayLength() > 0,
            _ => "tenant A's rule to raise an alarm", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50)))[0];

    /// <summary>Polls A's delivery log until it holds <paramref name="count"/> entries; fails after 30 s.</summary>
    public Task<JsonElement> WaitForADeliveriesAsync(int count) =>
        Wait.ForAsync(() => AGetAsync("/api/v1/notification-deliveries"), log => log.GetArrayLength() >= count,
            log => $"{count} entries in tenant A's delivery log; it holds {log.GetArrayLength()}: {log}", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));

    public async ValueTask DisposeAsync()
    {
        BUser?.Dispose();
        BKey?.Dispose();
        A.Dispose();
        await Factory.DisposeAsync();
        await Hooks.DisposeAsync();
    }
}
