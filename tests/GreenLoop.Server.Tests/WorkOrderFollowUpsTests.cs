using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace GreenLoop.Server.Tests;

/// <summary>
/// A work order that shows a lasting problem becomes a corrective action of a PDCA review or a project (issue 15,
/// item 5): made once however often it is asked (also twice at once), linked both ways, with the work order's node,
/// description and assignee carried over; a refused request leaves the work order free to try again; another site's
/// work order is not found.
/// </summary>
public sealed class WorkOrderFollowUpsTests : IAsyncLifetime
{
    private const string Site = "wof";
    private static readonly TimeZoneInfo _shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _client = null!;

    private static string SiteJson(string key) => $$"""
        {"key":"{{key}}","name":"Follow-up plant {{key}}","timeZone":"Asia/Shanghai","nodes":[{"key":"compressors","name":"Air compressors"}],
         "meters":[{"key":"{{key}}.main","name":"Main","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding"}]}
        """;

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        _client.DefaultRequestHeaders.Add("X-GreenLoop-User", "li.engineer");
        foreach (var key in new[] { Site, "wof2" })
        {
            using var put = await _client.PutAsync($"/api/v1/sites/{key}", new StringContent(SiteJson(key), Encoding.UTF8, "application/json"));
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string url, object? body)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<JsonElement> ExpectAsync(HttpMethod method, string url, object? body, HttpStatusCode expected)
    {
        var (status, json) = await SendAsync(method, url, body);
        Assert.True(status == expected, $"{method} {url}: {(int)status} {json}");
        return json;
    }

    private async Task<long> WorkOrderAsync(string title) =>
        (await ExpectAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/work-orders", new
        {
            title, node = "compressors", priority = "High", assignee = "zhao.fitter",
            description = "Compressor 2 unloads every 40 s: the receiver is too small and the pressure band too narrow.",
        }, HttpStatusCode.Created)).GetProperty("id").GetInt64();

    private static string Today() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, _shanghai).DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task ToActionOfAReview_MadeOnceLinkedBothWays_RefusedReviewLeavesItFree_OtherSite404()
    {
        var review = (await ExpectAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/reviews", new
        {
            title = "2026 Q4 management review", meetingDate = "2026-12-01", period = "2026-11", cycle = "quarterly", attendees = new[] { "王建国" },
        }, HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var id = await WorkOrderAsync("Compressor 2 short-cycling");
        var url = $"/api/v1/sites/{Site}/work-orders/{id}/action";
        var today = Today();

        var (noReview, noReviewProblem) = await SendAsync(HttpMethod.Post, url, new { reviewId = 999 });
        var afterRefusal = await ExpectAsync(HttpMethod.Get, $"/api/v1/sites/{Site}/work-orders/{id}", null, HttpStatusCode.OK);
        var (otherSite, _) = await SendAsync(HttpMethod.Post, $"/api/v1/sites/wof2/work-orders/{id}/action", new { reviewId = review });
        var action = await ExpectAsync(HttpMethod.Post, url, new { reviewId = review }, HttpStatusCode.Created);
        var again = await ExpectAsync(HttpMethod.Post, url, new { reviewId = review, title = "something else" }, HttpStatusCode.OK);
        var order = await ExpectAsync(HttpMethod.Get, $"/api/v1/sites/{Site}/work-orders/{id}", null, HttpStatusCode.OK);
        var ofReview = await ExpectAsync(HttpMethod.Get, $"/api/v1/sites/{Site}/reviews/{review}", null, HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.BadRequest, noReview);
        Assert.Contains("reviewId: no review 999", noReviewProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, afterRefusal.GetProperty("action").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, otherSite);
        var body = action.GetProperty("action");
        Assert.Equal(("Compressor 2 short-cycling", "zhao.fitter", id, review),
            (body.GetProperty("title").GetString(), body.GetProperty("owner").GetString(), body.GetProperty("workOrder").GetInt64(), action.GetProperty("reviewId").GetInt64()));
        // Due 30 days from the site's today (the test may cross midnight in Shanghai).
        Assert.Contains(body.GetProperty("dueDate").GetString(), new[] { DateOnly.ParseExact(today, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(30), DateOnly.ParseExact(Today(), "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(30) }
            .Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Assert.StartsWith("Compressor 2 unloads every 40 s", body.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains($"From work order #{id} (opened by hand; Assigned)", body.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(action.GetProperty("id").GetInt64(), again.GetProperty("id").GetInt64());
        Assert.Equal(action.GetProperty("id").GetInt64(), order.GetProperty("action").GetInt64());
        Assert.Contains(order.GetProperty("history").EnumerateArray(), h => h.GetProperty("what").GetString() ==
            $"became corrective action #{action.GetProperty("id").GetInt64()} of review #{review} (owner zhao.fitter, due {body.GetProperty("dueDate").GetString()})");
        Assert.Equal([action.GetProperty("id").GetInt64()], ofReview.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task ToProject_TwoRequestsAtOnce_OneProjectInStateIdea_WithTheNodeAndTheLink()
    {
        var id = await WorkOrderAsync("Compressed-air leaks on line 3");
        var url = $"/api/v1/sites/{Site}/work-orders/{id}/project";
        var both = await Task.WhenAll(SendAsync(HttpMethod.Post, url, new { titleZh = "3号线压缩空气泄漏治理" }), SendAsync(HttpMethod.Post, url, new { titleZh = "3号线压缩空气泄漏治理" }));
        var projects = await ExpectAsync(HttpMethod.Get, $"/api/v1/sites/{Site}/projects", null, HttpStatusCode.OK);
        var order = await ExpectAsync(HttpMethod.Get, $"/api/v1/sites/{Site}/work-orders/{id}", null, HttpStatusCode.OK);
        var again = await ExpectAsync(HttpMethod.Post, url, null, HttpStatusCode.OK);
        var (badCategory, badProblem) = await SendAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/work-orders/{await WorkOrderAsync("Another")}/project", new { category = "magic" });

        // One made it (201); the other answered it (200) or, arriving while it was being made, was told to ask again (400).
        Assert.Single(both, r => r.Status == HttpStatusCode.Created);
        Assert.All(both, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.OK
            || (r.Status == HttpStatusCode.BadRequest && r.Body.GetProperty("detail").GetString()!.Contains("ask again", StringComparison.Ordinal)), r.Body.ToString()));
        var project = Assert.Single(projects.EnumerateArray());
        var made = both.Single(r => r.Status == HttpStatusCode.Created).Body;
        Assert.Equal(made.GetProperty("id").GetInt64(), project.GetProperty("id").GetInt64());
        Assert.Equal(("Idea", "compressors", id, "energy-saving", "li.engineer", "3号线压缩空气泄漏治理"),
            (made.GetProperty("state").GetString(), made.GetProperty("project").GetProperty("node").GetString(), made.GetProperty("project").GetProperty("workOrder").GetInt64(),
             made.GetProperty("project").GetProperty("category").GetString(), made.GetProperty("project").GetProperty("owner").GetString(),
             made.GetProperty("project").GetProperty("titleZh").GetString()));
        Assert.Equal(made.GetProperty("id").GetInt64(), order.GetProperty("project").GetInt64());
        Assert.Equal(made.GetProperty("id").GetInt64(), again.GetProperty("id").GetInt64());
        Assert.Single(order.GetProperty("history").EnumerateArray(), h => h.GetProperty("what").GetString()!.StartsWith($"became project #{made.GetProperty("id").GetInt64()}", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, badCategory);
        Assert.StartsWith("category:", badProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
