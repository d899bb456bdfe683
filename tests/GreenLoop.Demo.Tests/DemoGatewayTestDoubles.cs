using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace GreenLoop.Demo.Tests;

/// <summary>A request the gateway sent.</summary>
internal sealed record SentRequest(HttpMethod Method, Uri Uri, string? ContentType, string Body)
{
    public List<(string Meter, string Ts, double Value)> Readings()
    {
        using var doc = JsonDocument.Parse(Body);
        return [.. doc.RootElement.GetProperty("readings").EnumerateArray().Select(r =>
        {
            Assert.Equal(["meter", "ts", "value"], r.EnumerateObject().Select(p => p.Name));
            return (r.GetProperty("meter").GetString()!, r.GetProperty("ts").GetString()!, r.GetProperty("value").GetDouble());
        })];
    }
}

/// <summary>
/// Stands in for the server's ingest endpoint: records every request and answers from a script (a function per request,
/// which may throw), then with 200 and the ingest answer for the whole batch.
/// </summary>
internal sealed class RecordingIngestHandler : HttpMessageHandler
{
    private readonly Lock _gate = new();
    private readonly Queue<Func<string, HttpResponseMessage>> _script = new();
    private readonly List<SentRequest> _requests = [];

    public SemaphoreSlim Received { get; } = new(0);

    public IReadOnlyList<SentRequest> Requests
    {
        get { lock (_gate) return [.. _requests]; }
    }

    public void Then(Func<string, HttpResponseMessage> answer)
    {
        lock (_gate) _script.Enqueue(answer);
    }

    public static HttpResponseMessage Accepted(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var n = doc.RootElement.GetProperty("readings").GetArrayLength();
        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent($$"""{"received":{{n}},"accepted":{{n}},"duplicates":0,"rejected":[]}""", Encoding.UTF8, "application/json"),
        };
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        Func<string, HttpResponseMessage> answer;
        lock (_gate)
        {
            _requests.Add(new SentRequest(request.Method, request.RequestUri!, request.Content.Headers.ContentType?.MediaType, body));
            answer = _script.TryDequeue(out var next) ? next : Accepted;
        }
        try
        {
            return answer(body);
        }
        finally
        {
            Received.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Received.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>A fake clock that signals each timer created on it, so a test can wait until the gateway waits.</summary>
internal sealed class SignallingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    public SemaphoreSlim TimerCreated { get; } = new(0);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        TimerCreated.Release();
        return timer;
    }
}
