using GreenLoop.Pipeline.Meter.Ingest;

namespace GreenLoop.Connectors.Mqtt;

/// <summary>A problem found while reading a message: its kind (counted per source), the field at fault and a reason a person can act on.</summary>
internal readonly record struct PayloadProblem(string Kind, string Field, string Reason);

/// <summary>
/// What one message yielded: readings, rows that could not be read (kept in quarantine with their raw text) and the
/// problems to count. Reused by the receiving loop, one message at a time.
/// </summary>
internal sealed class ParsedMessage
{
    public List<ReadingInput> Readings { get; } = [];
    public List<RejectedRow> Rejected { get; } = [];
    public List<PayloadProblem> Problems { get; } = [];

    public void Clear()
    {
        Readings.Clear();
        Rejected.Clear();
        Problems.Clear();
    }

    /// <summary>Records an unreadable row: the problem is counted, the row is quarantined with what is known of it.</summary>
    public void Reject(int index, PayloadProblem problem, string? meter, string? ts, string? raw)
    {
        Problems.Add(problem);
        Rejected.Add(new RejectedRow(new RowRejection(index, problem.Field, problem.Reason), meter, ts, raw));
    }
}
