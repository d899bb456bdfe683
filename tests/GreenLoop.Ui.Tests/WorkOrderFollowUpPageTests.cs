using GreenLoop.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GreenLoop.Ui.Tests;

/// <summary>
/// A work order made a project and a corrective action from its page on a phone (issue 15): the links appear on the work
/// order, the API has them both ways, and the reviews page marks the action the link points to.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class WorkOrderFollowUpPageTests(Chromium chromium, FieldPagesTests.FieldPlant plant, ITestOutputHelper output) : IClassFixture<FieldPagesTests.FieldPlant>
{
    private UiServer Server => plant.Server;

    [Fact]
    public async Task WorkOrderPage_MakeProjectThenAction_LinksBothWays_ReviewsPageMarksTheAction()
    {
        var order = await plant.SendAsync(HttpMethod.Post, $"api/v1/sites/{FieldPagesTests.FieldPlant.Site}/work-orders",
            """{"title":"Fan bearing keeps overheating","node":"kiln","priority":"High","description":"Third time this month."}""");
        var id = order.GetProperty("id").GetInt64();

        await using var watched = await chromium.NewPageAsync(Server, "zh-CN");
        var page = watched.Page;
        await page.SetViewportSizeAsync(390, 844);
        await watched.GotoAsync($"/work-orders?site={FieldPagesTests.FieldPlant.Site}&id={id}", "work-orders");
        var detail = page.Locator("#detail-card");
        await Assertions.Expect(detail.Locator(".wo-follow-up")).ToContainTextAsync("后续改进");

        await detail.Locator("#make-project").ClickAsync();
        await Assertions.Expect(detail.Locator("a.project-link")).ToBeVisibleAsync();
        await detail.Locator("#make-action").ClickAsync();
        await Assertions.Expect(detail.Locator("a.action-link")).ToBeVisibleAsync();
        // Nothing printed as "null" where a part of the detail is absent.
        Assert.DoesNotContain("null", await detail.InnerTextAsync(), StringComparison.Ordinal);
        output.WriteLine(await watched.ScreenshotAsync("work-order-follow-up"));

        var linked = await Server.GetJsonAsync($"api/v1/sites/{FieldPagesTests.FieldPlant.Site}/work-orders/{id}");
        var projectId = linked.GetProperty("project").GetInt64();
        var actionId = linked.GetProperty("action").GetInt64();
        var project = await Server.GetJsonAsync($"api/v1/sites/{FieldPagesTests.FieldPlant.Site}/projects/{projectId}");
        var action = await Server.GetJsonAsync($"api/v1/sites/{FieldPagesTests.FieldPlant.Site}/actions/{actionId}");
        Assert.Equal((id, "Idea", "kiln"), (project.GetProperty("project").GetProperty("workOrder").GetInt64(), project.GetProperty("state").GetString(),
            project.GetProperty("project").GetProperty("node").GetString()));
        Assert.Equal(id, action.GetProperty("action").GetProperty("workOrder").GetInt64());
        await Assertions.Expect(detail.Locator("a.project-link")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex($"^/projects\\?id={projectId}&site={FieldPagesTests.FieldPlant.Site}$"));

        await detail.Locator("a.action-link").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex($"/reviews\\?.*action={actionId}"));
        var row = page.Locator($"#action-rows tr.focus-row[data-id='{actionId}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator("a.work-order-link")).ToHaveTextAsync($"来自工单 #{id}");
        watched.AssertNoErrors();
    }
}
