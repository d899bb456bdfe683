using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;

namespace GreenLoop.Server.Tests;

/// <summary>
/// The inspector role (巡检员, issue 15): the permission <c>inspect</c> does the rounds and works on one's own work
/// orders; building templates, assigning others, moving due dates and cancelling stay with <c>operate</c> and
/// <c>improve</c>. Signed in through the cookie as a person on a phone is.
/// </summary>
public sealed class InspectorRoleTests : IAsyncLifetime
{
    private const string Site = "insp";
    private const string Inspector = "wang.inspector";
    private const string Password = "inspector-password-1";

    private const string SiteJson = """
        {"key":"insp","name":"Inspector plant","timeZone":"Asia/Shanghai","nodes":[{"key":"kiln","name":"Kiln 1"}],
         "meters":[{"key":"insp.main","name":"Main incomer","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding"}]}
        """;

    private static readonly object Template = new
    {
        key = "door-check", name = "Door check", nameZh = "检查门点检",
        items = new object[] { new { key = "door", text = "Inspection door closed", type = "PassFail", onFail = new { severity = "High", workOrder = true } } },
    };

    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _admin = null!;
    private HttpClient _inspector = null!;

    public async Task InitializeAsync()
    {
        _admin = _factory.CreateClient();
        _admin.DefaultRequestHeaders.Add("X-GreenLoop-User", "li.engineer");
        using var put = await _admin.PutAsync($"/api/v1/sites/{Site}", new StringContent(SiteJson, Encoding.UTF8, "application/json"));
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        await Clients.CreateUserAsync(_factory, Inspector, Password, ("inspector", Site));
        _inspector = await Clients.SignInAsync(_factory, Inspector, Password);
    }

    public async Task DisposeAsync()
    {
        _inspector.Dispose();
        _admin.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
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

    private static string Detail(JsonElement problem) => problem.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : problem.ToString();

    [Fact]
    public async Task Inspector_SubmitsTheRoundAndWorksOnOwnOrders_CannotBuildTemplatesAssignOthersMoveDueDatesOrCancel()
    {
        var me = await ExpectAsync(_inspector, HttpMethod.Get, "/api/v1/auth/me", null, HttpStatusCode.OK);
        var (templateStatus, templateProblem) = await SendAsync(_inspector, HttpMethod.Post, $"/api/v1/sites/{Site}/checklist-templates", Template);
        await ExpectAsync(_admin, HttpMethod.Post, $"/api/v1/sites/{Site}/checklist-templates", Template, HttpStatusCode.OK);
        var (roundStatus, _) = await SendAsync(_inspector, HttpMethod.Post, $"/api/v1/sites/{Site}/rounds",
            new { round = new { name = "Door round", template = "door-check", node = "kiln", schedule = new { kind = "Daily", times = new[] { "09:00" } }, assignee = new { role = "inspector" } } });

        // The inspector submits a failed check: the work order it opens is nobody's yet.
        var inspection = await ExpectAsync(_inspector, HttpMethod.Post, $"/api/v1/sites/{Site}/inspections",
            new { submissionId = "inspector-0001", template = "door-check", answers = new[] { new { item = "door", pass = false } } }, HttpStatusCode.Created);
        var orderId = Assert.Single(inspection.GetProperty("workOrders").EnumerateArray()).GetInt64();
        var url = $"/api/v1/sites/{Site}/work-orders/{orderId}";
        var (startUnassigned, startUnassignedProblem) = await SendAsync(_inspector, HttpMethod.Put, url, new { state = "InProgress" });
        var (giveAway, giveAwayProblem) = await SendAsync(_inspector, HttpMethod.Put, url, new { assignee = "zhao.fitter" });
        var taken = await ExpectAsync(_inspector, HttpMethod.Put, url, new { assignee = Inspector }, HttpStatusCode.OK);
        var (moveDue, moveDueProblem) = await SendAsync(_inspector, HttpMethod.Put, url, new { dueDate = "2030-01-01" });
        var (cancel, cancelProblem) = await SendAsync(_inspector, HttpMethod.Put, url, new { state = "Cancelled" });
        using var photo = new MultipartFormDataContent
        {
            { new ByteArrayContent(FieldPhotos.Jpeg()) { Headers = { ContentType = new MediaTypeHeaderValue("image/jpeg") } }, "file", "after.jpg" },
            { new StringContent("after"), "item" },
        };
        using var photoResponse = await _inspector.PostAsync($"{url}/photos", photo);
        var done = await ExpectAsync(_inspector, HttpMethod.Put, url, new { state = "Done", hours = 0.5, comment = "door latch replaced" }, HttpStatusCode.OK);
        var (verify, _) = await SendAsync(_inspector, HttpMethod.Put, url, new { state = "Verified" });

        // Another person's work order: hands off; a new one by hand: unassigned or the inspector's own.
        var others = await ExpectAsync(_admin, HttpMethod.Post, $"/api/v1/sites/{Site}/work-orders",
            new { title = "Grease the kiln roller bearings", node = "kiln", priority = "Low", assignee = "zhao.fitter" }, HttpStatusCode.Created);
        var othersUrl = $"/api/v1/sites/{Site}/work-orders/{others.GetProperty("id").GetInt64()}";
        var (workOthers, workOthersProblem) = await SendAsync(_inspector, HttpMethod.Put, othersUrl, new { state = "InProgress" });
        var (takeOthers, _) = await SendAsync(_inspector, HttpMethod.Put, othersUrl, new { assignee = Inspector });
        using var othersPhoto = new MultipartFormDataContent
        {
            { new ByteArrayContent(FieldPhotos.Jpeg()) { Headers = { ContentType = new MediaTypeHeaderValue("image/jpeg") } }, "file", "before.jpg" },
            { new StringContent("before"), "item" },
        };
        using var othersPhotoResponse = await _inspector.PostAsync($"{othersUrl}/photos", othersPhoto);
        var (assignOnCreate, assignOnCreateProblem) = await SendAsync(_inspector, HttpMethod.Post, $"/api/v1/sites/{Site}/work-orders",
            new { title = "Oil drip under the fan", node = "kiln", priority = "Medium", assignee = "zhao.fitter" });
        var ownNew = await ExpectAsync(_inspector, HttpMethod.Post, $"/api/v1/sites/{Site}/work-orders",
            new { title = "Oil drip under the fan", node = "kiln", priority = "Medium", assignee = Inspector }, HttpStatusCode.Created);
        var othersAfter = await ExpectAsync(_admin, HttpMethod.Get, othersUrl, null, HttpStatusCode.OK);

        Assert.Equal(["inspect@insp", "read-park@insp", "read@insp"],
            me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, templateStatus);
        Assert.Equal(HttpStatusCode.Forbidden, roundStatus);
        Assert.Equal(Inspector, inspection.GetProperty("doneBy").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, startUnassigned);
        Assert.Contains("take it by assigning it to yourself", Detail(startUnassignedProblem), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, giveAway);
        Assert.StartsWith("assignee:", Detail(giveAwayProblem), StringComparison.Ordinal);
        Assert.Equal(("Assigned", Inspector), (taken.GetProperty("state").GetString(), taken.GetProperty("order").GetProperty("assignee").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, moveDue);
        Assert.StartsWith("dueDate:", Detail(moveDueProblem), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, cancel);
        Assert.StartsWith("state: cancelling", Detail(cancelProblem), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, photoResponse.StatusCode);
        Assert.Equal("Done", done.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, verify);
        Assert.Equal(HttpStatusCode.Forbidden, workOthers);
        Assert.Contains("assigned to zhao.fitter", Detail(workOthersProblem), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, takeOthers);
        Assert.Equal(HttpStatusCode.Forbidden, othersPhotoResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, assignOnCreate);
        Assert.StartsWith("assignee:", Detail(assignOnCreateProblem), StringComparison.Ordinal);
        Assert.Equal(Inspector, ownNew.GetProperty("order").GetProperty("assignee").GetString());
        // Nothing the refused requests asked for happened to the other person's work order.
        Assert.Equal(("Assigned", "zhao.fitter"), (othersAfter.GetProperty("state").GetString(), othersAfter.GetProperty("order").GetProperty("assignee").GetString()));
        Assert.Empty(othersAfter.GetProperty("photos").EnumerateArray());
        Assert.Single(othersAfter.GetProperty("history").EnumerateArray());
    }
}
