using System.IO.Compression;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GreenLoop.Server.Tests;

/// <summary>
/// Field work through the real server (issue 15): checklist templates versioned (a finished inspection keeps its
/// version), exported and imported; validation by field; submissions stored once however often a phone retries;
/// failed numbers opening work orders with the priority and due date of their severity; photos checked by their
/// bytes with the location metadata removed; occurrence states against a hand table on a fixed clock; the work-order
/// lifecycle with roles; work orders from alarms linked both ways; the audit trail. The plant ("field", Shanghai
/// time): a kiln node and a 15-minute electricity meter.
/// </summary>
public sealed class FieldApiTests : IAsyncLifetime
{
    private const string Site = "field";
    private const string Other = "field2";
    private const string Person = "li.engineer";
    private const string Actor = Person + " via key:bootstrap";

    private static string SiteJson(string key) => $$"""
        {"key":"{{key}}","name":"Field plant {{key}}","timeZone":"Asia/Shanghai",
         "nodes":[{"key":"kiln","name":"Kiln 1"}],
         "meters":[{"key":"{{key}}.main","name":"Main incomer","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding"}]}
        """;

    private static readonly TimeZoneInfo _shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        _client.DefaultRequestHeaders.Add("X-GreenLoop-User", Person);
        await PutSitesAsync(_client);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Helpers

    private static async Task PutSitesAsync(HttpClient client)
    {
        foreach (var key in new[] { Site, Other })
        {
            using var put = await client.PutAsync($"/api/v1/sites/{key}", new StringContent(SiteJson(key), Encoding.UTF8, "application/json"));
            Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string url, object? body)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static async Task<JsonElement> ExpectAsync(HttpClient client, HttpMethod method, string url, object? body, HttpStatusCode expected)
    {
        var (status, json) = await SendAsync(client, method, url, body);
        Assert.True(status == expected, $"{method} {url}: {(int)status} {json}");
        return json;
    }

    private Task<JsonElement> ExpectAsync(HttpMethod method, string url, object? body, HttpStatusCode expected) => ExpectAsync(_client, method, url, body, expected);

    private Task<JsonElement> GetAsync(string url) => ExpectAsync(HttpMethod.Get, url, null, HttpStatusCode.OK);

    /// <summary>A problem's reason: the field-keyed errors of a validation problem, or the detail of a bad-input problem.</summary>
    private static string Reason(JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors) ? string.Join("; ", errors.EnumerateObject().Select(e => e.Name + ": " + e.Value))
        : problem.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : problem.ToString();

    private static DateOnly TodayInShanghai() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, _shanghai).DateTime);

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static object Number(string key, double min, double max, string severity, bool workOrder) => new
    {
        key, text = "Bag-filter differential pressure", textZh = "布袋除尘器压差", type = "Number", unit = "Pa", min, max,
        instructions = "Read the differential pressure gauge on the bag-filter housing", instructionsZh = "读取布袋除尘器压差表",
        onFail = new { severity, workOrder },
    };

    private static object PassFail(string key, string text, string severity, bool workOrder, bool required = true) => new
    {
        key, text, type = "PassFail", required, onFail = new { severity, workOrder },
    };

    /// <summary>The bag-filter check: ΔP 800-1500 Pa (High, opens a work order), the fan (Critical, opens one), the door (Low, does not).</summary>
    private static object BagFilter(double max = 1500, bool withNote = false) => new
    {
        key = "bag-filter", name = "Bag-filter and stack check", nameZh = "布袋除尘与烟囱点检",
        items = new List<object>
        {
            Number("dp", 800, max, "High", true),
            PassFail("fan", "Induced-draft fan runs without vibration", "Critical", true),
            PassFail("door", "Inspection door closed", "Low", false),
        }.Concat(withNote ? [new { key = "note", text = "Remarks", type = "Text", required = false }] : Array.Empty<object>()).ToList(),
    };

    private Task<JsonElement> SaveTemplateAsync(object template, string site = Site) =>
        ExpectAsync(HttpMethod.Post, $"/api/v1/sites/{site}/checklist-templates", template, HttpStatusCode.OK);

    private static object Answers(double dp, bool fan = true, bool door = true) => new object[]
    {
        new { item = "dp", number = dp }, new { item = "fan", pass = fan }, new { item = "door", pass = door },
    };

    private static object Submission(string id, object answers, string template = "bag-filter", long? roundId = null, string? due = null) =>
        roundId is null ? new { submissionId = id, template, answers } : new { submissionId = id, roundId, due, answers };

    private Task<(HttpStatusCode Status, JsonElement Body)> SubmitAsync(object submission, string site = Site) =>
        SendAsync(_client, HttpMethod.Post, $"/api/v1/sites/{site}/inspections", submission);

    private async Task<int> InspectionCountAsync(string site = Site) => (await GetAsync($"/api/v1/sites/{site}/inspections")).GetArrayLength();

    private static MultipartFormDataContent Form(object submission, params (string Item, string FileName, string ContentType, byte[] Content)[] photos)
    {
        var form = new MultipartFormDataContent { { new StringContent(JsonSerializer.Serialize(submission), Encoding.UTF8, "application/json"), "submission" } };
        foreach (var (item, fileName, contentType, content) in photos)
        {
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            form.Add(file, "photo." + item, fileName);
        }
        return form;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostFormAsync(string url, MultipartFormDataContent form)
    {
        using (form)
        {
            using var response = await _client.PostAsync(url, form);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
        }
    }

    private static IEnumerable<string?> Whats(JsonElement order) => order.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("what").GetString());

    // ----------------------------------------------------------------------------------------------------------------
    // 1. Template versions: a finished inspection keeps its version; export and import.

    [Fact]
    public async Task Template_EditedAfterAnInspection_InspectionKeepsVersion1_IdenticalSaveAddsNothing_ExportImportsElsewhere()
    {
        var v1 = await SaveTemplateAsync(BagFilter());
        var (created, inspection) = await SubmitAsync(Submission("versioning-0001", Answers(1450)));
        Assert.True(created == HttpStatusCode.Created, inspection.ToString());
        var v2 = await SaveTemplateAsync(BagFilter(max: 1400, withNote: true));
        var again = await SaveTemplateAsync(BagFilter(max: 1400, withNote: true));

        var after = await GetAsync($"/api/v1/sites/{Site}/inspections/{inspection.GetProperty("id").GetInt64()}");
        var old = await GetAsync($"/api/v1/sites/{Site}/checklist-templates/bag-filter?version=1");
        var latest = await GetAsync($"/api/v1/sites/{Site}/checklist-templates/bag-filter");
        var list = await GetAsync($"/api/v1/sites/{Site}/checklist-templates");
        var (missing, _) = await SendAsync(_client, HttpMethod.Get, $"/api/v1/sites/{Site}/checklist-templates/bag-filter?version=3", null);

        Assert.Equal((1, 2, 2), (v1.GetProperty("version").GetInt32(), v2.GetProperty("version").GetInt32(), again.GetProperty("version").GetInt32()));
        Assert.Equal(v2.GetProperty("id").GetInt64(), again.GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, missing);
        // 1450 Pa is inside 800-1500 (version 1) though above version 2's 1400: the inspection is judged, and stays, by version 1.
        Assert.Equal((1, v1.GetProperty("id").GetInt64()), (after.GetProperty("version").GetInt32(), after.GetProperty("templateId").GetInt64()));
        Assert.Equal(inspection.GetProperty("answers").GetRawText(), after.GetProperty("answers").GetRawText());
        Assert.Equal(inspection.GetProperty("outcomes").GetRawText(), after.GetProperty("outcomes").GetRawText());
        Assert.Equal(0, after.GetProperty("failed").GetInt32());
        Assert.All(after.GetProperty("outcomes").EnumerateArray(), o => Assert.False(o.GetProperty("failed").GetBoolean()));
        Assert.Equal(1450, after.GetProperty("answers")[0].GetProperty("number").GetDouble());
        var oldItems = old.GetProperty("template").GetProperty("items");
        Assert.Equal(["dp", "fan", "door"], oldItems.EnumerateArray().Select(i => i.GetProperty("key").GetString()));
        Assert.Equal(1500, oldItems[0].GetProperty("max").GetDouble());
        Assert.Equal(["dp", "fan", "door", "note"], latest.GetProperty("template").GetProperty("items").EnumerateArray().Select(i => i.GetProperty("key").GetString()));
        Assert.Equal(1400, latest.GetProperty("template").GetProperty("items")[0].GetProperty("max").GetDouble());
        Assert.Equal(2, Assert.Single(list.EnumerateArray()).GetProperty("version").GetInt32());

        // Export version 1 as a file; import it at the other site: version 1 there, the same items.
        using var export = await _client.GetAsync($"/api/v1/sites/{Site}/checklist-templates/bag-filter/export?version=1");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/json", export.Content.Headers.ContentType?.MediaType);
        Assert.Equal("checklist-bag-filter-v1.json", export.Content.Headers.ContentDisposition?.FileNameStar ?? export.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var file = await export.Content.ReadAsByteArrayAsync();
        using var import = await _client.PostAsync($"/api/v1/sites/{Other}/checklist-templates", new ByteArrayContent(file) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });
        var imported = await Http.JsonAsync(import);
        Assert.True(import.StatusCode == HttpStatusCode.OK, imported.ToString());
        Assert.Equal((Other, "bag-filter", 1), (imported.GetProperty("site").GetString(), imported.GetProperty("key").GetString(), imported.GetProperty("version").GetInt32()));
        Assert.Equal(old.GetProperty("template").GetRawText(), imported.GetProperty("template").GetRawText());
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 2. Validation by field.

    [Fact]
    public async Task BadTemplateAndRounds_Answer400NamingTheField_NothingSaved()
    {
        var bad = new
        {
            key = "bad", name = "Bad template",
            items = new object[]
            {
                new { key = "ok", text = "Fine", type = "PassFail" },
                new { key = "ok", text = "Used twice", type = "PassFail" },
                new { key = "dp", text = "No unit", type = "Number", min = 800, max = 1500 },
                new { key = "temp", text = "Max below min", type = "Number", unit = "°C", min = 200, max = 100 },
                new { key = "colour", text = "One choice", type = "Choice", choices = new[] { "grey" } },
            },
        };
        var (status, problem) = await SendAsync(_client, HttpMethod.Post, $"/api/v1/sites/{Site}/checklist-templates", bad);
        var templates = await GetAsync($"/api/v1/sites/{Site}/checklist-templates");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["items[1]", "items[2]", "items[3]", "items[4]"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Contains("'ok' is used twice", errors.GetProperty("items[1]")[0].GetString(), StringComparison.Ordinal);
        Assert.StartsWith("unit:", errors.GetProperty("items[2]")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("max: below min", errors.GetProperty("items[3]")[0].GetString());
        Assert.StartsWith("choices: 2 to 20", errors.GetProperty("items[4]")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, templates.GetArrayLength());

        await SaveTemplateAsync(BagFilter());
        var schedule = new { kind = "Daily", times = new[] { "09:00" }, windowMinutes = 60 };
        var (noAssignee, assigneeProblem) = await SendAsync(_client, HttpMethod.Post, $"/api/v1/sites/{Site}/rounds",
            new { round = new { name = "Morning round", template = "bag-filter", schedule, assignee = new { } } });
        var (unknown, unknownProblem) = await SendAsync(_client, HttpMethod.Post, $"/api/v1/sites/{Site}/rounds",
            new { round = new { name = "Morning round", template = "no-such-template", schedule, assignee = new { role = "operator" } } });
        var (badTimes, timesProblem) = await SendAsync(_client, HttpMethod.Post, $"/api/v1/sites/{Site}/rounds",
            new { round = new { name = "Morning round", template = "bag-filter", schedule = new { kind = "Daily", times = new[] { "25:00" } }, assignee = new { role = "operator" } } });
        var rounds = await GetAsync($"/api/v1/sites/{Site}/rounds");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (noAssignee, unknown, badTimes));
        Assert.Equal(["assignee"], assigneeProblem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Contains("no template 'no-such-template'", Reason(unknownProblem), StringComparison.Ordinal);
        Assert.Equal(["schedule.times"], timesProblem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(0, rounds.GetArrayLength());
    }

    [Fact]
    public async Task Rounds_NullScheduleAssigneeOrLists_Answer400NotAServerError()
    {
        await SaveTemplateAsync(BagFilter());
        var bodies = new object[]
        {
            new { round = new { name = "Null schedule", template = "bag-filter", schedule = (object?)null, assignee = new { role = "operator" } } },
            new { round = new { name = "Null assignee", template = "bag-filter", assignee = (object?)null } },
            new { round = new { name = "Null times", template = "bag-filter", schedule = new { kind = "Daily", times = (string[]?)null }, assignee = new { role = "operator" } } },
            new { round = new { name = "Null recipients", template = "bag-filter", assignee = new { role = "operator" }, recipients = (string[]?)null } },
        };
        foreach (var body in bodies)
        {
            var (status, problem) = await SendAsync(_client, HttpMethod.Post, $"/api/v1/sites/{Site}/rounds", body);
            Assert.True(status == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(body)}: {(int)status} {problem}");
        }
        Assert.Equal(0, (await GetAsync($"/api/v1/sites/{Site}/rounds")).GetArrayLength());
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 3. A submission is stored once, however often (and however concurrently) it arrives.

    [Fact]
    public async Task Submission_RetriedAndConcurrent_StoredOnce_MissingRequiredItemStoresNothing_ThenARetryLands()
    {
        await SaveTemplateAsync(BagFilter());

        var first = await SubmitAsync(Submission("retry-00000001", Answers(1200)));
        var second = await SubmitAsync(Submission("retry-00000001", Answers(1200)));
        var racing = await Task.WhenAll(SubmitAsync(Submission("race-000000001", Answers(1100))), SubmitAsync(Submission("race-000000001", Answers(1100))));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.Status, second.Status));
        Assert.Equal(first.Body.GetProperty("id").GetInt64(), second.Body.GetProperty("id").GetInt64());
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Created], racing.Select(r => r.Status).Order());
        Assert.Equal(racing[0].Body.GetProperty("id").GetInt64(), racing[1].Body.GetProperty("id").GetInt64());
        Assert.Equal(2, await InspectionCountAsync());

        // The fan not answered: refused with the item named, nothing stored; the phone's retry with the answer lands.
        var incomplete = await SubmitAsync(Submission("retry-00000002", new object[] { new { item = "dp", number = 1000 }, new { item = "door", pass = true } }));
        var countAfterRefusal = await InspectionCountAsync();
        var completed = await SubmitAsync(Submission("retry-00000002", Answers(1000)));

        Assert.Equal(HttpStatusCode.BadRequest, incomplete.Status);
        Assert.Contains("fan: no answer", Reason(incomplete.Body), StringComparison.Ordinal);
        Assert.Equal(2, countAfterRefusal);
        Assert.Equal(HttpStatusCode.Created, completed.Status);
        Assert.Equal("retry-00000002", completed.Body.GetProperty("submissionId").GetString());
        Assert.Equal(3, await InspectionCountAsync());
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 4. A failed number opens one work order, priority and due date from the item's severity.

    [Fact]
    public async Task FailedNumber_OpensOneWorkOrderLinkedToTheItem_PriorityAndDueFromSeverity_PassingItemOpensNone()
    {
        await SaveTemplateAsync(BagFilter());
        var round = await ExpectAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/rounds", new
        {
            round = new { name = "Stack round", nameZh = "烟囱巡检", template = "bag-filter", node = "kiln", schedule = new { kind = "Daily", times = new[] { "09:00" }, windowMinutes = 60 }, assignee = new { role = "operator" } },
        }, HttpStatusCode.Created);
        var roundId = round.GetProperty("id").GetInt64();
        var before = TodayInShanghai();

        // 1720 Pa > 1500 Pa: the ΔP item fails (High -> a High work order); the door fails too but opens none (its rule says so).
        var (status, inspection) = await SubmitAsync(Submission("failed-dp-0001", Answers(1720, door: false), roundId: roundId, due: Date(before) + "T09:00"));
        // Everything passes: no work order.
        var (passedStatus, passed) = await SubmitAsync(Submission("passed-00000001", Answers(1000)));
        // The fan fails (Critical -> Urgent).
        var (fanStatus, fan) = await SubmitAsync(Submission("failed-fan-0001", Answers(1000, fan: false)));
        var after = TodayInShanghai();
        var orders = await GetAsync($"/api/v1/sites/{Site}/work-orders");

        Assert.True(status == HttpStatusCode.Created, inspection.ToString());
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (passedStatus, fanStatus));
        Assert.Equal(2, inspection.GetProperty("failed").GetInt32());
        var dp = inspection.GetProperty("outcomes").EnumerateArray().Single(o => o.GetProperty("item").GetString() == "dp");
        Assert.Equal("1720 Pa is above the maximum 1500 Pa", dp.GetProperty("reason").GetString());
        Assert.Equal("1720 Pa 高于上限 1500 Pa", dp.GetProperty("reasonZh").GetString());
        Assert.Empty(passed.GetProperty("workOrders").EnumerateArray());
        Assert.Equal(2, orders.GetArrayLength());

        var order = orders.EnumerateArray().Single(o => o.GetProperty("inspection").GetInt64() == inspection.GetProperty("id").GetInt64());
        Assert.Equal([order.GetProperty("id").GetInt64()], inspection.GetProperty("workOrders").EnumerateArray().Select(w => w.GetInt64()));
        Assert.Equal(("inspection", "dp", "Open"), (order.GetProperty("source").GetString(), order.GetProperty("item").GetString(), order.GetProperty("state").GetString()));
        Assert.Equal(JsonValueKind.Null, order.GetProperty("alarm").ValueKind);
        Assert.Equal(("High", "kiln"), (order.GetProperty("order").GetProperty("priority").GetString(), order.GetProperty("order").GetProperty("node").GetString()));
        // High: 3 service days from today (Shanghai), 3 days after the day it was opened.
        Assert.Contains(order.GetProperty("order").GetProperty("dueDate").GetString(), new[] { Date(before.AddDays(3)), Date(after.AddDays(3)) });
        Assert.Contains("1720 Pa", order.GetProperty("order").GetProperty("description").GetString(), StringComparison.Ordinal);

        var urgent = orders.EnumerateArray().Single(o => o.GetProperty("inspection").GetInt64() == fan.GetProperty("id").GetInt64());
        Assert.Equal(("fan", "Urgent"), (urgent.GetProperty("item").GetString(), urgent.GetProperty("order").GetProperty("priority").GetString()));
        // Urgent: 1 service day.
        Assert.Contains(urgent.GetProperty("order").GetProperty("dueDate").GetString(), new[] { Date(before.AddDays(1)), Date(after.AddDays(1)) });
        Assert.Equal(JsonValueKind.Null, urgent.GetProperty("order").GetProperty("node").ValueKind);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 5. Photos: checked by their bytes, location metadata removed, refused with a reason.

    private static object PhotoTemplate() => new
    {
        key = "photo-check", name = "Hazardous-waste store", nameZh = "危废库检查",
        items = new object[]
        {
            new { key = "store", text = "Photo of the store", type = "Photo", photos = 1 },
            new { key = "label", text = "Photo of the labels", type = "Photo", photos = 1, required = false },
        },
    };

    private static object PhotoSubmission(string id) => new { submissionId = id, template = "photo-check", answers = Array.Empty<object>() };

    [Fact]
    public async Task Photos_CleanedOfExifAndTextChunks_WrongTypeMalformedOversizedRefused_NothingStored_OtherSiteCannotFetch()
    {
        await SaveTemplateAsync(PhotoTemplate());

        var (status, inspection) = await PostFormAsync($"/api/v1/sites/{Site}/inspections", Form(PhotoSubmission("photos-00000001"),
            ("store", "store.jpg", "image/jpeg", FieldPhotos.Jpeg()), ("label", "label.png", "image/png", FieldPhotos.Png())));
        var (fake, fakeProblem) = await PostFormAsync($"/api/v1/sites/{Site}/inspections", Form(PhotoSubmission("photos-00000002"),
            ("store", "fake.jpg", "image/jpeg", Encoding.UTF8.GetBytes("this is a text file, not a picture"))));
        var (cut, cutProblem) = await PostFormAsync($"/api/v1/sites/{Site}/inspections", Form(PhotoSubmission("photos-00000003"),
            ("store", "cut.jpg", "image/jpeg", FieldPhotos.Jpeg()[..^2])));
        var big = new byte[(8 * 1024 * 1024) + 1];
        FieldPhotos.Jpeg().CopyTo(big, 0);
        var (large, largeProblem) = await PostFormAsync($"/api/v1/sites/{Site}/inspections", Form(PhotoSubmission("photos-00000004"),
            ("store", "large.jpg", "image/jpeg", big)));
        // A good photo beside a bad one: the whole submission is refused.
        var (mixed, _) = await PostFormAsync($"/api/v1/sites/{Site}/inspections", Form(PhotoSubmission("photos-00000005"),
            ("store", "store.jpg", "image/jpeg", FieldPhotos.Jpeg()), ("label", "label.png", "image/png", Encoding.UTF8.GetBytes("PNG? no"))));
        var inspections = await GetAsync($"/api/v1/sites/{Site}/inspections");

        Assert.True(status == HttpStatusCode.Created, inspection.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, fake);
        Assert.Contains("fake.jpg", Reason(fakeProblem), StringComparison.Ordinal);
        Assert.Contains("not a JPEG or PNG", Reason(fakeProblem), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, cut);
        Assert.Contains("cut.jpg", Reason(cutProblem), StringComparison.Ordinal);
        Assert.Contains("malformed", Reason(cutProblem), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large);
        Assert.Contains("large.jpg", Reason(largeProblem), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, mixed);
        Assert.Equal([inspection.GetProperty("id").GetInt64()], inspections.EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));

        var photos = inspection.GetProperty("photos");
        Assert.Equal(["store", "label"], photos.EnumerateArray().Select(p => p.GetProperty("item").GetString()));
        var jpegId = photos[0].GetProperty("id").GetInt64();
        var pngId = photos[1].GetProperty("id").GetInt64();
        Assert.Equal((FieldPhotos.JpegCleaned().Length, "image/jpeg", Actor), (photos[0].GetProperty("bytes").GetInt32(), photos[0].GetProperty("contentType").GetString(), photos[0].GetProperty("takenBy").GetString()));
        using var jpeg = await _client.GetAsync($"/api/v1/sites/{Site}/field-photos/{jpegId}");
        using var png = await _client.GetAsync($"/api/v1/sites/{Site}/field-photos/{pngId}");
        using var elsewhere = await _client.GetAsync($"/api/v1/sites/{Other}/field-photos/{jpegId}");
        var jpegBytes = await jpeg.Content.ReadAsByteArrayAsync();
        var pngBytes = await png.Content.ReadAsByteArrayAsync();

        Assert.Equal((HttpStatusCode.OK, "image/jpeg"), (jpeg.StatusCode, jpeg.Content.Headers.ContentType?.MediaType));
        Assert.Equal((HttpStatusCode.OK, "image/png"), (png.StatusCode, png.Content.Headers.ContentType?.MediaType));
        // The uploads carried the GPS text (EXIF APP1, PNG tEXt); what is stored does not, and keeps every other byte.
        Assert.True(FieldPhotos.Contains(FieldPhotos.Jpeg(), "Exif") && FieldPhotos.Contains(FieldPhotos.Png(), "tEXt"));
        Assert.False(FieldPhotos.Contains(jpegBytes, "Exif"));
        Assert.False(FieldPhotos.Contains(jpegBytes, FieldPhotos.Gps));
        Assert.Equal(FieldPhotos.JpegCleaned(), jpegBytes);
        Assert.False(FieldPhotos.Contains(pngBytes, "tEXt"));
        Assert.False(FieldPhotos.Contains(pngBytes, FieldPhotos.Gps));
        Assert.Equal(FieldPhotos.PngCleaned(), pngBytes);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 6. Occurrence states on a fixed clock, against a hand table.

    [Fact]
    public async Task Occurrences_DailyAt0900And1500_ThreeDays_StatesEqualTheHandTable()
    {
        // Shanghai is UTC+8 all year. The server's clock is fixed and moved by the test.
        static DateTimeOffset Local(int day, int hour, int minute = 0) => new(2025, 3, day, hour, minute, 0, TimeSpan.FromHours(8));
        var clock = new FakeTimeProvider(Local(1, 8));
        await using var app = new GreenLoopAppFactory();
        await using (var timed = app.WithWebHostBuilder(b => b.ConfigureServices(services => services.AddSingleton<TimeProvider>(clock))))
        {
            using var client = timed.CreateClient();
            await PutSitesAsync(client);
            await ExpectAsync(client, HttpMethod.Post, $"/api/v1/sites/{Site}/checklist-templates", BagFilter(), HttpStatusCode.OK);
            var round = await ExpectAsync(client, HttpMethod.Post, $"/api/v1/sites/{Site}/rounds", new
            {
                round = new { name = "Kiln round", template = "bag-filter", node = "kiln", schedule = new { kind = "Daily", times = new[] { "15:00", "09:00" }, windowMinutes = 60 }, assignee = new { person = "wang.inspector" } },
            }, HttpStatusCode.Created);
            var roundId = round.GetProperty("id").GetInt64();

            async Task DoAsync(string due, DateTimeOffset at)
            {
                clock.SetUtcNow(at);
                var (status, body) = await SendAsync(client, HttpMethod.Post, $"/api/v1/sites/{Site}/inspections",
                    Submission("occ-" + due.Replace(":", "", StringComparison.Ordinal), Answers(1000), roundId: roundId, due: due));
                Assert.True(status == HttpStatusCode.Created, $"{due}: {body}");
            }

            // Window 60 minutes: 09:00-10:00 and 15:00-16:00.
            await DoAsync("2025-03-01T09:00", Local(1, 9, 30));   // inside the window
            await DoAsync("2025-03-01T15:00", Local(1, 16, 30));  // 30 minutes after it
            await DoAsync("2025-03-02T15:00", Local(2, 16, 0));   // at the window's end: still on time
            // 2 March 09:00 is never done; 3 March 09:00 not yet.
            clock.SetUtcNow(Local(3, 14));
            var at1400 = await ExpectAsync(client, HttpMethod.Get, $"/api/v1/sites/{Site}/rounds/occurrences?from=2025-03-01&to=2025-03-03", null, HttpStatusCode.OK);
            clock.SetUtcNow(Local(3, 15, 30));
            var at1530 = await ExpectAsync(client, HttpMethod.Get, $"/api/v1/sites/{Site}/rounds/occurrences?from=2025-03-03&to=2025-03-03", null, HttpStatusCode.OK);
            var (wrongTime, wrongTimeProblem) = await SendAsync(client, HttpMethod.Post, $"/api/v1/sites/{Site}/inspections",
                Submission("occ-wrong-time", Answers(1000), roundId: roundId, due: "2025-03-03T10:00"));

            // The hand table, now = 3 March 14:00.
            (string Due, string State)[] expected =
            [
                ("2025-03-01T09:00", "DoneOnTime"),
                ("2025-03-01T15:00", "DoneLate"),
                ("2025-03-02T09:00", "Missed"),    // the 15:00 occurrence came
                ("2025-03-02T15:00", "DoneOnTime"),
                ("2025-03-03T09:00", "Overdue"),   // past 10:00, before 15:00
                ("2025-03-03T15:00", "Upcoming"),
            ];
            Assert.Equal(expected, at1400.EnumerateArray().Select(o => (o.GetProperty("due").GetString()!, o.GetProperty("state").GetString()!)));
            Assert.All(at1400.EnumerateArray(), o => Assert.Equal(roundId, o.GetProperty("round").GetInt64()));
            Assert.Equal("2025-03-01T10:00", at1400[0].GetProperty("windowEnd").GetString());
            // Done on time: 2 of 6; done at all: 3 of 6.
            Assert.Equal((2, 3), (at1400.EnumerateArray().Count(o => o.GetProperty("state").GetString() == "DoneOnTime"),
                at1400.EnumerateArray().Count(o => o.GetProperty("inspection").ValueKind == JsonValueKind.Number)));
            // Now = 3 March 15:30: the morning one is missed (15:00 came), the afternoon one is due.
            Assert.Equal([("2025-03-03T09:00", "Missed"), ("2025-03-03T15:00", "Due")],
                at1530.EnumerateArray().Select(o => (o.GetProperty("due").GetString()!, o.GetProperty("state").GetString()!)));
            Assert.Equal(HttpStatusCode.BadRequest, wrongTime);
            Assert.Contains("is not due at 2025-03-03T10:00", Reason(wrongTimeProblem), StringComparison.Ordinal);
        }
        Assert.Empty(app.ErrorLogs.Errors);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 7. The work-order lifecycle and who may verify.

    [Fact]
    public async Task WorkOrder_Lifecycle_IllegalTransitionNamed_DoneNeedsHours_VerifyNeedsImprove_HistoryWithWhoAndWhen()
    {
        await Clients.CreateUserAsync(_factory, "chen.fitter", "fitter-password-1", ("carbon-accountant", null));
        using var fitter = await Clients.SignInAsync(_factory, "chen.fitter", "fitter-password-1");
        var today = TodayInShanghai();
        var created = await ExpectAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/work-orders",
            new { title = "Replace torn filter bags, chamber 3", node = "kiln", priority = "Medium" }, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        var url = $"/api/v1/sites/{Site}/work-orders/{id}";

        var (verifyOpen, verifyOpenProblem) = await SendAsync(_client, HttpMethod.Put, url, new { state = "Verified" });
        var assigned = await ExpectAsync(HttpMethod.Put, url, new { assignee = "chen.fitter" }, HttpStatusCode.OK);
        var (doneBare, doneBareProblem) = await SendAsync(fitter, HttpMethod.Put, url, new { state = "Done" });
        var done = await ExpectAsync(fitter, HttpMethod.Put, url, new { state = "Done", hours = 2.5, parts = new[] { new { part = "filter bag", quantity = 12.0, unit = "pcs", cost = 1800.0 } } }, HttpStatusCode.OK);
        var (fitterVerifies, fitterProblem) = await SendAsync(fitter, HttpMethod.Put, url, new { state = "Verified" });
        using var photo = new MultipartFormDataContent
        {
            { new ByteArrayContent(FieldPhotos.Jpeg()) { Headers = { ContentType = new MediaTypeHeaderValue("image/jpeg") } }, "file", "after.jpg" },
            { new StringContent("after"), "item" },
        };
        var (attached, attachedPhoto) = await PostFormAsync($"{url}/photos", photo);
        var verified = await ExpectAsync(HttpMethod.Put, url, new { state = "Verified", comment = "ΔP back to 1100 Pa" }, HttpStatusCode.OK);
        var (reopen, _) = await SendAsync(_client, HttpMethod.Put, url, new { state = "InProgress" });
        var mine = await ExpectAsync(fitter, HttpMethod.Get, $"/api/v1/sites/{Site}/work-orders?mine=true", null, HttpStatusCode.OK);
        var open = await GetAsync($"/api/v1/sites/{Site}/work-orders?open=true");

        Assert.Equal(("Open", "manual"), (created.GetProperty("state").GetString(), created.GetProperty("source").GetString()));
        // Medium: 7 service days.
        Assert.Contains(created.GetProperty("order").GetProperty("dueDate").GetString(), new[] { Date(today.AddDays(7)), Date(TodayInShanghai().AddDays(7)) });
        Assert.Equal(HttpStatusCode.BadRequest, verifyOpen);
        Assert.Contains("a work order that is Open can become Assigned, InProgress, OnHold, Done, Cancelled, not Verified", Reason(verifyOpenProblem), StringComparison.Ordinal);
        Assert.Equal(("Assigned", "chen.fitter"), (assigned.GetProperty("state").GetString(), assigned.GetProperty("order").GetProperty("assignee").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, doneBare);
        Assert.StartsWith("hours:", Reason(doneBareProblem), StringComparison.Ordinal);
        Assert.Equal(("Done", 2.5), (done.GetProperty("state").GetString(), done.GetProperty("order").GetProperty("hours").GetDouble()));
        Assert.Equal(HttpStatusCode.Forbidden, fitterVerifies);
        Assert.Contains("'improve'", Reason(fitterProblem), StringComparison.Ordinal);
        Assert.True(attached == HttpStatusCode.Created, attachedPhoto.ToString());
        Assert.Equal("after", attachedPhoto.GetProperty("item").GetString());
        Assert.Equal("Verified", verified.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, reopen);
        Assert.Equal([id], mine.EnumerateArray().Select(o => o.GetProperty("id").GetInt64()));
        Assert.Equal(0, open.GetArrayLength());
        Assert.Equal(attachedPhoto.GetProperty("id").GetInt64(), Assert.Single(verified.GetProperty("photos").EnumerateArray()).GetProperty("id").GetInt64());

        // The history: what, who (the key acting for li.engineer, or the signed-in fitter) and when.
        Assert.Equal(
            [
                ("opened", Actor, null),
                ("state Open -> Assigned; assignee - -> chen.fitter", Actor, null),
                ("state Assigned -> Done; parts recorded; hours 2.5", "chen.fitter", null),
                ("state Done -> Verified", Actor, "ΔP back to 1100 Pa"),
            ],
            verified.GetProperty("history").EnumerateArray().Select(h => (h.GetProperty("what").GetString(), h.GetProperty("by").GetString(), h.GetProperty("note").GetString())));
        Assert.All(verified.GetProperty("history").EnumerateArray(), h =>
            Assert.InRange(DateTimeOffset.Parse(h.GetProperty("at").GetString()!, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1)));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 8. From an alarm: one work order however many clicks, linked both ways.

    [Fact]
    public async Task AlarmWorkOrder_TwoClicksAtOnce_OneWorkOrder_AlarmHistoryNamesItAndItsVerification()
    {
        using var rule = await _client.PutAsync($"/api/v1/sites/{Site}/alarm-rules/quarter-limit", new StringContent("""
            {"key":"quarter-limit","name":"Above 100 kWh in 15 minutes","severity":"critical","subject":{"kind":"meter","key":"field.main"},
             "condition":{"per":"15m","limit":100,"type":"consumption"},"recipients":[]}
            """, Encoding.UTF8, "application/json"));
        Assert.True(rule.StatusCode == HttpStatusCode.OK, await rule.Content.ReadAsStringAsync());
        // The quarter that ended last: 500 kWh against a limit of 100.
        var quarterEnd = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 900_000 * 900_000);
        using var readings = await _client.PostAsync("/api/v1/readings", new StringContent(
            $$"""{"readings":[{"meter":"field.main","ts":"{{quarterEnd.ToString("O", CultureInfo.InvariantCulture)}}","value":500}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, readings.StatusCode);
        var alarm = (await Wait.ForAsync(() => _client.GetFromJsonAsync<JsonElement>($"/api/v1/alarms?site={Site}"), list => list.GetArrayLength() > 0,
            _ => "an alarm to be raised", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50)))[0];
        var alarmId = alarm.GetProperty("id").GetInt64();

        var clicks = await Task.WhenAll(
            SendAsync(_client, HttpMethod.Post, $"/api/v1/alarms/{alarmId}/work-order", null),
            SendAsync(_client, HttpMethod.Post, $"/api/v1/alarms/{alarmId}/work-order", null));
        var third = await SendAsync(_client, HttpMethod.Post, $"/api/v1/alarms/{alarmId}/work-order", null);
        var (unknown, _) = await SendAsync(_client, HttpMethod.Post, $"/api/v1/alarms/{alarmId + 1000}/work-order", null);
        var orders = await GetAsync($"/api/v1/sites/{Site}/work-orders");

        Assert.True(clicks.Select(c => c.Status).Order().SequenceEqual([HttpStatusCode.OK, HttpStatusCode.Created]), string.Join(" | ", clicks.Select(c => $"{c.Status} {c.Body}")));
        var id = clicks[0].Body.GetProperty("id").GetInt64();
        Assert.Equal((id, id), (clicks[1].Body.GetProperty("id").GetInt64(), third.Body.GetProperty("id").GetInt64()));
        Assert.Equal(HttpStatusCode.OK, third.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        var order = Assert.Single(orders.EnumerateArray());
        Assert.Equal((id, alarmId, "alarm"), (order.GetProperty("id").GetInt64(), order.GetProperty("alarm").GetInt64(), order.GetProperty("source").GetString()));
        // A critical alarm: an Urgent work order.
        Assert.Equal("Urgent", order.GetProperty("order").GetProperty("priority").GetString());
        var history = await GetAsync($"/api/v1/alarms/{alarmId}/history");
        Assert.Single(history.EnumerateArray(), h => h.GetProperty("text").GetString()?.StartsWith($"work order #{id} opened", StringComparison.Ordinal) == true);

        await ExpectAsync(HttpMethod.Put, $"/api/v1/sites/{Site}/work-orders/{id}", new { state = "Done", comment = "Compressor 2 schedule corrected" }, HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Put, $"/api/v1/sites/{Site}/work-orders/{id}", new { state = "Verified" }, HttpStatusCode.OK);
        var texts = (await GetAsync($"/api/v1/alarms/{alarmId}/history")).EnumerateArray().Select(h => h.GetProperty("text").GetString()).ToList();

        Assert.Contains($"work order #{id} done", texts);
        Assert.Contains($"work order #{id} verified", texts);
        Assert.True(texts.IndexOf($"work order #{id} done") < texts.IndexOf($"work order #{id} verified"));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 9. The audit trail.

    [Fact]
    public async Task SubmissionId_UsedAtAnotherSite_400NamingIt_NothingStored()
    {
        await SaveTemplateAsync(BagFilter());
        await SaveTemplateAsync(BagFilter(), Other);
        var first = await SubmitAsync(Submission("cross-site-0001", Answers(1000)));
        Assert.Equal(HttpStatusCode.Created, first.Status);

        var again = await SubmitAsync(Submission("cross-site-0001", Answers(1000)), Other);

        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.StartsWith("submissionId:", Reason(again.Body), StringComparison.Ordinal);
        Assert.Equal(0, await InspectionCountAsync(Other));
    }

    [Fact]
    public async Task TemplateSaveAndSubmission_InTheAuditTrail_WithWho()
    {
        await SaveTemplateAsync(BagFilter());
        var (status, inspection) = await SubmitAsync(Submission("audited-000001", Answers(1000)));
        Assert.Equal(HttpStatusCode.Created, status);

        var entries = (await GetAsync("/api/v1/audit")).EnumerateArray()
            .Where(e => e.GetProperty("subject").GetString()!.StartsWith($"/api/v1/sites/{Site}/", StringComparison.Ordinal)).ToList();

        Assert.Equal(
            [
                (Actor, $"/api/v1/sites/{Site}/inspections"),
                (Actor, $"/api/v1/sites/{Site}/checklist-templates"),
            ],
            entries.Select(e => (e.GetProperty("actor").GetString(), e.GetProperty("subject").GetString())));
        Assert.StartsWith("POST /api/v1/sites/{site}/inspections", entries[0].GetProperty("action").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("POST /api/v1/sites/{site}/checklist-templates", entries[1].GetProperty("action").GetString(), StringComparison.Ordinal);
        Assert.Equal(201, entries[0].GetProperty("detail").GetProperty("status").GetInt32());
        Assert.Equal("bag-filter", entries[1].GetProperty("detail").GetProperty("body").GetProperty("key").GetString());
        Assert.True(inspection.GetProperty("id").GetInt64() > 0);
    }
}

/// <summary>
/// Small pictures built byte by byte for the field-work tests: a JPEG with a JFIF APP0, an EXIF APP1 carrying a GPS
/// text, a quantisation table, a start of scan with a few bytes of data and the end-of-image marker; a PNG with IHDR,
/// a tEXt chunk carrying a GPS text, IDAT and IEND (real CRCs). The cleaned forms are the same bytes without the APP1
/// segment or the tEXt chunk.
/// </summary>
internal static class FieldPhotos
{
    public const string Gps = "GPS 22.5430N 113.9340E";

    private static byte[] Segment(byte marker, byte[] data) =>
        [0xFF, marker, (byte)((data.Length + 2) >> 8), (byte)((data.Length + 2) & 0xFF), .. data];

    private static readonly byte[] _soi = [0xFF, 0xD8];
    private static readonly byte[] _eoi = [0xFF, 0xD9];
    private static byte[] App0 => Segment(0xE0, [.. "JFIF"u8, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
    private static byte[] App1 => Segment(0xE1, [.. "Exif"u8, 0, 0, .. Encoding.ASCII.GetBytes(Gps)]);
    private static byte[] Dqt => Segment(0xDB, [0, .. Enumerable.Range(1, 64).Select(i => (byte)i)]);
    private static byte[] Sos => [.. Segment(0xDA, [1, 1, 0, 0, 0x3F, 0]), 0x12, 0x34, 0x56, 0x78];

    /// <summary>SOI, APP0, APP1 (EXIF with the GPS text), DQT, SOS + data, EOI.</summary>
    public static byte[] Jpeg() => [.. _soi, .. App0, .. App1, .. Dqt, .. Sos, .. _eoi];

    /// <summary>The JPEG as stored: the same without its APP1 segment.</summary>
    public static byte[] JpegCleaned() => [.. _soi, .. App0, .. Dqt, .. Sos, .. _eoi];

    private static byte[] Chunk(string type, byte[] data)
    {
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        var crc = Crc32(typed);
        return [(byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length, .. typed,
            (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc];
    }

    private static readonly byte[] _signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    // 1 x 1, 8-bit grey.
    private static byte[] Ihdr => Chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
    private static byte[] Text => Chunk("tEXt", [.. "Comment"u8, 0, .. Encoding.ASCII.GetBytes(Gps)]);
    private static byte[] Iend => Chunk("IEND", []);

    private static byte[] Idat()
    {
        using var buffer = new MemoryStream();
        using (var z = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) z.Write([0, 0x80]);
        return Chunk("IDAT", buffer.ToArray());
    }

    /// <summary>Signature, IHDR, tEXt (the GPS text), IDAT, IEND.</summary>
    public static byte[] Png() => [.. _signature, .. Ihdr, .. Text, .. Idat(), .. Iend];

    /// <summary>The PNG as stored: the same without its tEXt chunk.</summary>
    public static byte[] PngCleaned() => [.. _signature, .. Ihdr, .. Idat(), .. Iend];

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    public static bool Contains(byte[] haystack, string text) => haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(text)) >= 0;
}
