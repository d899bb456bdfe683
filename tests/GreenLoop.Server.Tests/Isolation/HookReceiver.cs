using System.Collections.Concurrent;
using GreenLoop.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace GreenLoop.Server.Tests.Isolation;

/// <summary>A real HTTP receiver on 127.0.0.1 for webhook channels: <c>POST /hook/{tag}</c> records the body under its tag.</summary>
internal sealed class HookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Tag, string Body)> _received = new();

    private HookReceiver(WebApplication app)
    {
        _app = app;
    }

    public static async Task<HookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new HookReceiver(app);
        app.MapPost("/hook/{tag}", async (string tag, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            receiver._received.Enqueue((tag, await reader.ReadToEndAsync()));
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>The URL of the hook with this tag.</summary>
    public string Url(string tag) => _app.Urls.First() + "/hook/" + tag;

    /// <summary>Bodies received so far under <paramref name="tag"/>, in order.</summary>
    public IReadOnlyList<string> Bodies(string tag) => [.. _received.Where(r => r.Tag == tag).Select(r => r.Body)];

    /// <summary>Every body received, with its tag.</summary>
    public IReadOnlyList<(string Tag, string Body)> All => [.. _received];

    /// <summary>Polls until a received body satisfies <paramref name="match"/>; fails after <paramref name="timeout"/>.</summary>
    public async Task<(string Tag, string Body)> WaitForAsync(Func<(string Tag, string Body), bool> match, TimeSpan timeout, string what)
    {
        var found = await Wait.ForAsync(() => Task.FromResult(_received.Where(match).Take(1).ToList()), hits => hits.Count > 0,
            _ => $"a webhook call {what}; received: [{string.Join(" | ", _received.Select(r => r.Tag + ": " + r.Body))}]", timeout, TimeSpan.FromMilliseconds(50));
        return found[0];
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
