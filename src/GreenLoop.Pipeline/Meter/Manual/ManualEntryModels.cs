using GreenLoop.Domain.Model;

namespace GreenLoop.Pipeline.Meter.Manual;

/// <summary>
/// A register reading typed in for an offline meter: the meter, the instant it was read, the value as read (before the
/// meter's multiplier), and the document it comes from. A monthly bill that shows the previous and the current
/// register reading (上次读数 / 本次读数) is two entries, one at each reading's instant.
/// </summary>
public sealed record ManualEntryInput
{
    /// <summary>Meter key, e.g. <c>demo.water</c>.</summary>
    public string? Meter { get; init; }

    /// <summary>ISO 8601: with an offset (<c>2026-10-31T08:00:00+08:00</c>), or a local time with <see cref="TimeZone"/>.</summary>
    public string? Ts { get; init; }

    /// <summary>IANA zone of a local <see cref="Ts"/> (the pages send the meter's site zone).</summary>
    public string? TimeZone { get; init; }

    public double? Value { get; init; }

    /// <summary>Bill number, delivery note, photo reference.</summary>
    public string? Document { get; init; }

    public string? Note { get; init; }
}

/// <summary>A correction of an entry: the right value and why. A document or note left out keeps the previous version's.</summary>
public sealed record ManualCorrectionInput
{
    public double? Value { get; init; }

    /// <summary>Required: why the earlier value was wrong.</summary>
    public string? Reason { get; init; }

    public string? Document { get; init; }

    public string? Note { get; init; }
}

/// <summary>One version of a manual entry as people read it: instants in the meter's site time zone, with the meter's unit.</summary>
public sealed record ManualEntryView
{
    public long EntryId { get; init; }
    public int Version { get; init; }
    public required string Meter { get; init; }
    public required string Site { get; init; }
    public required string Unit { get; init; }
    public MeterKind Kind { get; init; }
    /// <summary>The reading's instant, in the site's time zone.</summary>
    public DateTimeOffset Ts { get; init; }
    /// <summary>The value as read, before the meter's multiplier.</summary>
    public double Value { get; init; }
    public required string EnteredBy { get; init; }
    /// <summary>When this version was entered, in the site's time zone.</summary>
    public DateTimeOffset EnteredAt { get; init; }
    public string? Document { get; init; }
    public string? Note { get; init; }
    /// <summary>Why this version corrects the previous one (null for version 1).</summary>
    public string? Reason { get; init; }
}

/// <summary>The outcome of saving an entry or a correction.</summary>
public enum ManualSaveStatus
{
    /// <summary>Written: <see cref="ManualSaveResult.Entry"/> is the new version.</summary>
    Saved,
    /// <summary>Bad input: see <see cref="ManualSaveResult.Errors"/>. Nothing written.</summary>
    Invalid,
    /// <summary>A reading from a device or an import is stored at that instant. Nothing written.</summary>
    ReadingExists,
    /// <summary>Another manual entry holds that instant (<see cref="ManualSaveResult.ExistingEntryId"/>): correct it instead.</summary>
    EntryExists,
    /// <summary>The entry to correct does not exist for this tenant.</summary>
    NotFound,
}

/// <summary>What saving did: the version written, or the reasons (by field) nothing was.</summary>
public sealed record ManualSaveResult(ManualSaveStatus Status, ManualEntryView? Entry, IReadOnlyDictionary<string, string[]> Errors, long? ExistingEntryId = null)
{
    internal static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();
}
