using GreenLoop.Pipeline.Monitor.Query;

namespace GreenLoop.Server.Api;

/// <summary>The one mapping from query outcomes to HTTP answers, shared by the feature APIs.</summary>
internal static class ApiResults
{
    /// <summary>Null means 404; a <see cref="QueryException"/> is the user's to fix (400 ProblemDetails with the reason).</summary>
    public static async Task<IResult> Answer<T>(Func<Task<T?>> run) where T : class
    {
        try
        {
            return await run() is { } value ? TypedResults.Ok(value) : TypedResults.NotFound();
        }
        catch (QueryException ex)
        {
            return BadRequest(ex);
        }
    }

    public static IResult BadRequest(QueryException ex) =>
        TypedResults.Problem(title: "The request cannot be answered as asked", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>
    /// Who acts: the signed-in user, or the API key that authenticated the request. An integration acting with a key on
    /// behalf of a person may name that person in <c>X-GreenLoop-User</c> (percent-encoded, since headers are ASCII: a
    /// Chinese name arrives as %E7%8E%8B...); the record then says both, e.g. <c>li.chemist via key:erp</c>, so the name
    /// is never taken on trust alone. A signed-in user's own name cannot be overridden.
    /// </summary>
    public static string Actor(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var identity = http.User.Identity;
        if (identity?.IsAuthenticated != true) return "anonymous";
        var name = identity.Name ?? "unknown";
        if (http.User.FindFirst(Security.Permissions.KindClaim)?.Value != "key") return name;
        var raw = http.Request.Headers["X-GreenLoop-User"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(raw)) return name;
        string onBehalf;
        try { onBehalf = Uri.UnescapeDataString(raw).Trim(); }
        catch (UriFormatException) { onBehalf = raw.Trim(); }
        return onBehalf.Length is > 0 and <= 64 ? $"{onBehalf} via {name}" : name;
    }
}
