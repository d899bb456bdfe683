using System.Text;
using System.Text.Json;
using GreenLoop.Pipeline.Monitor.Live;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;
using GreenLoop.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace GreenLoop.Server.Api;

/// <summary>
/// <c>GET /api/v1/sites/{site}/live</c>: server-sent events of one site, as they happen. <c>event: derived</c> when a
/// derivation pass saved new data of the site's meters, <c>event: alarm</c> when one of its alarms changed, a comment
/// line as heartbeat. The data lines are JSON (see docs/api.md).
/// </summary>
public static partial class LiveApi
{
    public static IEndpointRouteBuilder MapLiveApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/sites").WithTags("Live")
            .MapGet("/{site}/live", Stream)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .WithSummary("Server-sent events of a site: 'derived' (new data of its meters) and 'alarm' (an alarm changed)").RequirePermission(Permissions.Read);
        return app;
    }

    /// <summary>Data of <c>event: derived</c>: the site, the meters whose data changed, the span (site-local ISO 8601).</summary>
    public sealed record DerivedMessage(string Site, IReadOnlyList<string> Meters, string From, string To);

    /// <summary>Data of <c>event: alarm</c>.</summary>
    public sealed record AlarmMessage(string Id, string Site, string State, string Severity, string Title, string? TitleZh);

    internal static async Task<Results<EventStream, NotFound>> Stream(
        string site, ISiteCatalog store, TenantContext tenant, LiveUpdates live, IOptions<LiveOptions> options, TimeProvider clock,
        IHostApplicationLifetime lifetime, ILoggerFactory loggers, CancellationToken ct)
    {
        if (await store.GetSiteAsync(tenant.TenantId, site, ct) is null) return TypedResults.NotFound();
        return new EventStream(live, tenant.TenantId, site, options.Value, clock, lifetime.ApplicationStopping, loggers.CreateLogger(typeof(LiveApi)));
    }

    /// <summary>Writes the stream until the browser goes away or the server stops; every event is flushed on its own.</summary>
    internal sealed class EventStream(LiveUpdates live, long tenantId, string site, LiveOptions options, TimeProvider clock, CancellationToken stopping, ILogger logger)
        : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
    {
        private static readonly byte[] _opening = Encoding.UTF8.GetBytes("retry: 3000\n: connected\n\n");
        private static readonly byte[] _heartbeat = Encoding.UTF8.GetBytes(": heartbeat\n\n");

        public int? StatusCode => StatusCodes.Status200OK;

        public string ContentType => "text/event-stream";

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            // Subscribed before the headers go out: a client that sees the stream open will not miss what follows.
            using var subscription = live.Subscribe(tenantId, site, options.QueueCapacity);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, stopping);
            var ct = cts.Token;
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = ContentType;
            response.Headers.CacheControl = "no-cache";
            // Reverse proxies (nginx) would otherwise hold events back in their buffers.
            response.Headers["X-Accel-Buffering"] = "no";
            httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            var body = response.Body;
            using var heartbeat = new PeriodicTimer(TimeSpan.FromSeconds(options.HeartbeatSeconds), clock);
            try
            {
                await body.WriteAsync(_opening, ct);
                await body.FlushAsync(ct);
                Task<bool>? waiting = null;
                Task<bool>? tick = null;
                while (true)
                {
                    waiting ??= subscription.Reader.WaitToReadAsync(ct).AsTask();
                    tick ??= heartbeat.WaitForNextTickAsync(ct).AsTask();
                    if (await Task.WhenAny(waiting, tick) == tick)
                    {
                        await tick;
                        tick = null;
                        await body.WriteAsync(_heartbeat, ct);
                        await body.FlushAsync(ct);
                        continue;
                    }
                    if (!await waiting) return;
                    waiting = null;
                    while (subscription.Reader.TryRead(out var e))
                    {
                        await body.WriteAsync(Frame(e), ct);
                        await body.FlushAsync(ct);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The browser closed the page, or the server is stopping: the stream just ends.
            }
            catch (IOException) when (httpContext.RequestAborted.IsCancellationRequested)
            {
            }
            finally
            {
                // A page that missed events still shows correct data after its next refresh; worth knowing if frequent.
                if (subscription.Dropped > 0) LogEventsDropped(logger, site, subscription.Dropped);
            }
        }

        /// <summary>One event: <c>event: name</c>, <c>data: json</c> (one line: JSON without indentation has no line breaks), blank line.</summary>
        internal static byte[] Frame(LiveEvent e)
        {
            var (name, data) = e switch
            {
                DerivedEvent d => ("derived", JsonSerializer.Serialize(new DerivedMessage(d.Site, d.Meters, Iso(d.From), Iso(d.To)), JsonSerializerOptions.Web)),
                AlarmEvent a => ("alarm", JsonSerializer.Serialize(new AlarmMessage(a.Id, a.Site, a.State, a.Severity, a.Title, a.TitleZh), JsonSerializerOptions.Web)),
                _ => throw new ArgumentException($"Unknown live event {e.GetType().Name}.", nameof(e)),
            };
            return Encoding.UTF8.GetBytes($"event: {name}\ndata: {data}\n\n");
        }

        private static string Iso(DateTimeOffset instant) =>
            instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Live stream of site {Site} closed; {Dropped} events were dropped because the client read too slowly")]
    private static partial void LogEventsDropped(ILogger logger, string site, long dropped);
}
