using System.Text.Json.Serialization;

namespace GreenLoop.Domain.Model;

/// <summary>
/// A whole site described in one document: identity, time zone, node tree, meters and recorded meter events.
/// This is the format of <c>greenloop site apply|export</c> and of <c>PUT /api/v1/sites/{key}</c>; applying it
/// twice changes nothing the second time.
/// </summary>
public sealed record SiteDefinition
{
    /// <summary>Stable key used in URLs and file names, e.g. <c>demo</c>.</summary>
    public required string Key { get; init; }
    public required string Name { get; init; }
    public string? NameZh { get; init; }
    /// <summary>IANA time zone id (e.g. <c>Asia/Shanghai</c>); local hours, days and months follow it.</summary>
    public required string TimeZone { get; init; }
    /// <summary>Grid region for Scope 2 factors (e.g. <c>CN-South</c>, <c>CN-Guangdong</c>).</summary>
    public string? GridRegion { get; init; }
    /// <summary>Industry key (e.g. <c>ceramics</c>, <c>steel</c>).</summary>
    public string? Industry { get; init; }
    public IReadOnlyList<NodeDefinition> Nodes { get; init; } = [];
    public IReadOnlyList<MeterDefinition> Meters { get; init; } = [];
    public IReadOnlyList<MeterEventDefinition> Events { get; init; } = [];
    /// <summary>How the site is accounted (factor sets, grid factor, GWP set, limit class, carriers, green power); defaults when absent.</summary>
    public GreenLoop.Accounting.AccountingProfile? Accounting { get; init; }
}

/// <summary>A node of the plant tree; <see cref="Parent"/> null means directly under the site.</summary>
public sealed record NodeDefinition
{
    public required string Key { get; init; }
    public required string Name { get; init; }
    public string? NameZh { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter<NodeKind>))]
    public NodeKind Kind { get; init; } = NodeKind.Workshop;
    public string? Parent { get; init; }
}

/// <summary>A meter at a node. Values are stored as received; <see cref="Multiplier"/> converts them to <see cref="Unit"/>.</summary>
public sealed record MeterDefinition
{
    /// <summary>Key unique within the tenant: the <c>meter</c> field of every reading.</summary>
    public required string Key { get; init; }
    public required string Name { get; init; }
    public string? NameZh { get; init; }
    /// <summary>Node key the meter belongs to; null means the site itself (e.g. a main incomer).</summary>
    public string? Node { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter<MeterQuantity>))]
    public MeterQuantity Quantity { get; init; } = MeterQuantity.EnergyCarrier;
    /// <summary>What flows: <c>electricity</c>, <c>natural_gas</c>, <c>fresh_water</c>, <c>tile_output</c>, <c>kiln_temperature</c>...</summary>
    public required string Carrier { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter<MeterKind>))]
    public MeterKind Kind { get; init; } = MeterKind.Cumulative;
    /// <summary>Engineering unit after the multiplier (kWh, m3, m2, t, degC, mg/m3, kW).</summary>
    public required string Unit { get; init; }
    /// <summary>CT/PT ratio or pulse weight applied to every raw value. Default 1.</summary>
    public double Multiplier { get; init; } = 1;
    /// <summary>Cumulative only: the register wraps to zero when it reaches this raw value (e.g. 100000000).</summary>
    public double? RolloverAt { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter<MeterDirection>))]
    public MeterDirection Direction { get; init; } = MeterDirection.Import;
    [JsonConverter(typeof(JsonStringEnumConverter<MeterRole>))]
    public MeterRole Role { get; init; } = MeterRole.Counted;
    /// <summary>Key of the meter this one is a sub-meter of (for balance and loss).</summary>
    public string? Parent { get; init; }
    /// <summary>Interval only: the period one reading covers, in minutes. Default 15.</summary>
    public int IntervalMinutes { get; init; } = 15;
    [JsonConverter(typeof(JsonStringEnumConverter<IntervalStamp>))]
    public IntervalStamp Stamp { get; init; } = IntervalStamp.PeriodEnding;
    /// <summary>Readings further apart than this are a gap: flagged, not counted as measured coverage. Default 60.</summary>
    public int MaxGapMinutes { get; init; } = 60;
    /// <summary>Optional plausibility limit in unit per hour; faster consumption is flagged as a spike.</summary>
    public double? MaxRatePerHour { get; init; }
    /// <summary>
    /// Optional: the largest raw value in magnitude this meter can show (e.g. 99999999 for an 8-digit register); a reading
    /// beyond it is rejected on its value and quarantined. At most the global bound, 1e15, which applies without it.
    /// </summary>
    public double? MaxAbsValue { get; init; }
}

/// <summary>A recorded replacement or reset of a cumulative meter.</summary>
public sealed record MeterEventDefinition
{
    public required string Meter { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter<MeterEventKind>))]
    public MeterEventKind Kind { get; init; }
    /// <summary>When it happened (ISO 8601 with offset; without one it is refused, as a reading's instant is).</summary>
    [JsonConverter(typeof(InstantWithOffsetConverter))]
    public required DateTimeOffset Ts { get; init; }
    /// <summary>The old register's last raw value, if known.</summary>
    public double? OldValue { get; init; }
    /// <summary>The raw value the register starts from after the event. Default 0.</summary>
    public double NewValue { get; init; }
    public string? Note { get; init; }
}
