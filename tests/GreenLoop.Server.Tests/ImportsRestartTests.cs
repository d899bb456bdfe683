using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Storage.Catalog;
using GreenLoop.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GreenLoop.Server.Tests;

/// <summary>
/// Uploads are catalogue records (docs/data-entry.md): a restart keeps an upload that waits to be imported, keeps the
/// outcome of a finished import, and marks an import that a restart broke off as failed with what to do.
/// </summary>
public sealed class ImportsRestartTests : IDisposable
{
    private const string SiteJson = """
        {"key":"rst","name":"Restart plant","timeZone":"Asia/Shanghai",
         "meters":[{"key":"rst.main","name":"Main incomer","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding"}]}
        """;

    private const string Csv = """
        time,kwh
        2026-06-01 00:15,2.5
        2026-06-01 00:30,3.0
        2026-06-01 00:45,oops

        """;

    private static readonly object _mapping = new
    {
        layout = "wide",
        timeColumn = "time",
        map = new[] { new { column = "kwh", meter = "rst.main" } },
        dateFormats = new[] { "yyyy-MM-dd HH:mm" },
        timeZone = "Asia/Shanghai",
    };

    private readonly TemporaryFolder _data = new("imports-restart");

    public void Dispose() => _data.Dispose();

    private static async Task<string> UploadAsync(HttpClient client)
    {
        using var put = await client.PutAsync("/api/v1/sites/rst", new StringContent(SiteJson, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(Csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var form = new MultipartFormDataContent { { file, "file", "june.csv" } };
        using var response = await client.PostAsync("/api/v1/imports", form);
        var body = await Http.JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    private static Task<JsonElement> WaitFinishedAsync(HttpClient client, string id) =>
        Wait.ForAsync(() => client.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}"), s => s.GetProperty("state").GetString() != "committing",
            s => $"import {id} to finish: {s}", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));

    [Fact]
    public async Task Upload_ServerRestarted_StillThereAndCommitsAfterwards()
    {
        string id;
        await using (var first = new GreenLoopAppFactory(_data.Path))
        {
            using var client = first.CreateClient();
            id = await UploadAsync(client);
            Assert.Empty(first.ErrorLogs.Errors);
        }

        await using var second = new GreenLoopAppFactory(_data.Path);
        using var again = second.CreateClient();
        var status = await again.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}");
        Assert.Equal(("june.csv", "uploaded"), (status.GetProperty("fileName").GetString(), status.GetProperty("state").GetString()));

        using var commit = await again.PostAsJsonAsync($"/api/v1/imports/{id}/commit", _mapping);
        Assert.Equal(HttpStatusCode.Accepted, commit.StatusCode);
        var done = await WaitFinishedAsync(again, id);
        Assert.Equal("committed", done.GetProperty("state").GetString());
        // Two readable rows accepted, the third row's value is not a number: rejected with its row.
        var summary = done.GetProperty("result").GetProperty("summary");
        Assert.Equal((2L, 1L), (summary.GetProperty("accepted").GetInt64(), summary.GetProperty("rejected").GetInt64()));
        Assert.Empty(second.ErrorLogs.Errors);
    }

    [Fact]
    public async Task CommittedImport_ServerRestarted_OutcomeStillShown()
    {
        string id;
        JsonElement before;
        await using (var first = new GreenLoopAppFactory(_data.Path))
        {
            using var client = first.CreateClient();
            id = await UploadAsync(client);
            using var commit = await client.PostAsJsonAsync($"/api/v1/imports/{id}/commit", _mapping);
            before = await WaitFinishedAsync(client, id);
            Assert.Equal("committed", before.GetProperty("state").GetString());
        }

        await using var second = new GreenLoopAppFactory(_data.Path);
        using var again = second.CreateClient();
        var after = await again.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}");

        Assert.Equal("committed", after.GetProperty("state").GetString());
        Assert.Equal(before.GetProperty("result").GetProperty("summary").ToString(), after.GetProperty("result").GetProperty("summary").ToString());
        Assert.Equal(before.GetProperty("result").GetProperty("issues").ToString(), after.GetProperty("result").GetProperty("issues").ToString());
        Assert.Equal(before.GetProperty("committedBy").GetString(), after.GetProperty("committedBy").GetString());
        // A committed upload cannot be committed twice, after a restart too.
        using var twice = await again.PostAsJsonAsync($"/api/v1/imports/{id}/commit", _mapping);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
    }

    [Fact]
    public async Task ImportBrokenOffByRestart_MarkedFailedWithWhatToDo()
    {
        string id;
        await using (var first = new GreenLoopAppFactory(_data.Path))
        {
            using var client = first.CreateClient();
            id = await UploadAsync(client);
            // As a server killed during the import would leave it: the record says the import runs.
            var catalog = first.Services.GetRequiredService<ICatalogDb>();
            await catalog.WriteAsync(0, db => db.ImportSessions.IgnoreQueryFilters().Where(r => r.Id == id)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.State, "Committing"), CancellationToken.None), CancellationToken.None);
        }

        await using var second = new GreenLoopAppFactory(_data.Path);
        using var again = second.CreateClient();
        var status = await again.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}");

        Assert.Equal("failed", status.GetProperty("state").GetString());
        Assert.StartsWith("The server shut down during the import", status.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiscardedUpload_ServerRestarted_Gone()
    {
        string id;
        await using (var first = new GreenLoopAppFactory(_data.Path))
        {
            using var client = first.CreateClient();
            id = await UploadAsync(client);
            using var delete = await client.DeleteAsync($"/api/v1/imports/{id}");
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        await using var second = new GreenLoopAppFactory(_data.Path);
        using var again = second.CreateClient();
        using var response = await again.GetAsync($"/api/v1/imports/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(_data.Path, "imports", id)));
    }
}
