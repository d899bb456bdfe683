using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GreenLoop.Notifications.Tests;

/// <summary>How the receiver answers one request.</summary>
public sealed record Reply(int Status, string Body, bool Hang = false)
{
    public static Reply Json(string body) => new(200, body);
    public static Reply Error(int status, string body = "") => new(status, body);
    /// <summary>Never answers; the request ends when the client gives up.</summary>
    public static readonly Reply Hanging = new(0, "", Hang: true);
}

public sealed record ReceivedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A real Kestrel server on 127.0.0.1 (free port) that records every request and answers from a script per route,
/// the way the robot platforms answer (errcode JSON, HTTP errors, or not at all).
/// </summary>
public sealed class HttpReceiver : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Reply>> _scripts = new();
    private readonly ConcurrentDictionary<string, Reply> _lastReply = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address);
    }

    public async Task DisposeAsync()
    {
        if (_app is null) return;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    /// <summary>A new route answering with the replies in order; the last one repeats.</summary>
    public string Route(params Reply[] replies)
    {
        var path = "/hook/" + Guid.NewGuid().ToString("N");
        _scripts[path] = new ConcurrentQueue<Reply>(replies);
        _lastReply[path] = replies[^1];
        return path;
    }

    public string Url(string path, string? query = null) => new Uri(BaseAddress, path) + query;

    public IReadOnlyList<ReceivedRequest> RequestsTo(string path) => [.. _requests.Where(r => r.Path == path)];

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var path = context.Request.Path.Value ?? "";
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new ReceivedRequest(context.Request.Method, path, context.Request.QueryString.Value ?? "", headers, buffer.ToArray()));

        if (!_scripts.TryGetValue(path, out var script))
        {
            context.Response.StatusCode = 404;
            return;
        }
        var reply = script.TryDequeue(out var next) ? next : _lastReply[path];
        if (reply.Hang)
        {
            try { await Task.Delay(Timeout.Infinite, context.RequestAborted); }
            catch (OperationCanceledException) { }
            return;
        }
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(reply.Body, context.RequestAborted);
    }
}
