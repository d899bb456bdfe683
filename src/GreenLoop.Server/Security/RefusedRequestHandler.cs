using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace GreenLoop.Server.Security;

/// <summary>
/// Answers a request that the server refused while a handler was reading it (a body over the size limit sent without a
/// declared length, a body cut short) with the refusal's own status (413, 400...) and its reason, not with a 500 and an
/// error in the log: Kestrel throws <see cref="BadHttpRequestException"/> from the body stream, where only the handler
/// reading it sees it. It is the client's mistake, so it is logged as a warning, once per status code.
/// </summary>
internal sealed partial class RefusedRequestHandler(IProblemDetailsService problems, ILogger<RefusedRequestHandler> logger) : IExceptionHandler
{
    private readonly ConcurrentDictionary<int, bool> _logged = new();

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException refused || httpContext.Response.HasStarted) return false;
        if (_logged.TryAdd(refused.StatusCode, true)) LogRefused(refused.StatusCode, refused.Message);
        httpContext.Response.StatusCode = refused.StatusCode;
        // A JSON body that does not fit its type ("unit": 5, invalid UTF-8, an instant without offset): the field path
        // and the reason, as a ValidationProblem like the validators' own.
        if (refused.InnerException is JsonException json)
        {
            var errors = new Dictionary<string, string[]> { [JsonErrors.PathOf(json.Path)] = [JsonErrors.Reason(json)] };
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = new HttpValidationProblemDetails(errors) { Status = refused.StatusCode, Title = "The body does not fit the expected document", Detail = $"{JsonErrors.PathOf(json.Path)}: {JsonErrors.Reason(json)}" },
            });
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = refused.StatusCode, Title = "The request was refused", Detail = refused.Message },
        });
    }

    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning, Message = "A request was refused with {Status}: {Reason} (logged once per status)")]
    private partial void LogRefused(int status, string reason);
}
