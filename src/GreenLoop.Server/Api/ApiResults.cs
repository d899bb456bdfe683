using GreenLoop.Pipeline;

namespace GreenLoop.Server.Api;

/// <summary>The one mapping from query outcomes and bad input to HTTP answers, shared by the feature APIs.</summary>
internal static class ApiResults
{
    /// <summary>Null means 404. Bad input a service throws is answered by <see cref="AnswersBadInput"/>.</summary>
    public static async Task<IResult> Answer<T>(Func<Task<T?>> run) where T : class =>
        await run() is { } value ? TypedResults.Ok(value) : TypedResults.NotFound();

    /// <summary>The 400 for input the user can correct, with the reason: a <see cref="BadInputException"/> or a query string that cannot be read.</summary>
    public static IResult BadInput(string reason) =>
        TypedResults.Problem(title: "The request cannot be answered as asked", detail: reason, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>
    /// Answers a <see cref="BadInputException"/> thrown by any endpoint of the group with <see cref="BadInput"/>, so no
    /// handler catches it. Attached once, to the group of every API.
    /// </summary>
    public static TBuilder AnswersBadInput<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (BadInputException ex)
            {
                return BadInput(ex.Message);
            }
        });

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

    /// <summary>The person <see cref="Actor"/> names (for a key acting for someone: that person), for defaults such as an owner.</summary>
    public static string Person(HttpContext http)
    {
        var actor = Actor(http);
        var via = actor.IndexOf(" via ", StringComparison.Ordinal);
        return via > 0 ? actor[..via] : actor;
    }
}
