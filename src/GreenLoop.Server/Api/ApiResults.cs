using GreenLoop.Pipeline.Query;

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
    /// Who acts: the signed-in user once sign-in exists (issue 6); until then the name the client states in
    /// <c>X-GreenLoop-User</c> (percent-encoded, since headers are ASCII: a Chinese name arrives as %E7%8E%8B...), else "local".
    /// </summary>
    public static string Actor(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.User.Identity?.IsAuthenticated == true) return http.User.Identity.Name ?? "user";
        var raw = http.Request.Headers["X-GreenLoop-User"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(raw)) return "local";
        string name;
        try { name = Uri.UnescapeDataString(raw).Trim(); }
        catch (UriFormatException) { name = raw.Trim(); }
        return name.Length is > 0 and <= 64 ? name : "local";
    }
}
