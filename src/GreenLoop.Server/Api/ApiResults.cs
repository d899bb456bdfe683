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
}
