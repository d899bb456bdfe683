namespace GreenLoop.Pipeline.Meter.Ingest;

/// <summary>One reading as a gateway, an importer or the demo plant sends it: meter key, instant, raw value.</summary>
/// <param name="Meter">The meter's key, unique within the tenant.</param>
/// <param name="Ts">The instant, with its offset (the ingest API requires one).</param>
/// <param name="Value">The raw value as the meter reports it, before the meter's multiplier.</param>
public readonly record struct ReadingInput(string Meter, DateTimeOffset Ts, double Value);

/// <summary>Why one row of a batch was not accepted: its index in the batch, the field at fault, a reason a person can act on.</summary>
public sealed record RowRejection(int Index, string Field, string Reason);

/// <summary>
/// The answer to a batch. <see cref="Accepted"/> readings are durable when this is returned; duplicates (same meter,
/// instant and value as stored) change nothing; every rejected row is listed and kept in quarantine.
/// </summary>
public sealed record IngestResult(int Received, int Accepted, int Duplicates, IReadOnlyList<RowRejection> Rejected);
