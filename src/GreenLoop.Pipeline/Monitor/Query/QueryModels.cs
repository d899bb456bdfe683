namespace GreenLoop.Pipeline.Monitor.Query;

/// <summary>One period of a series. <see cref="Completeness"/> is measured coverage over the period's length, 0..1.</summary>
public sealed record SeriesPoint(string Start, double? Value, double? Min, double? Max, double Completeness, IReadOnlyList<string> Flags);

public sealed record MeterSeries(string Meter, string Name, string? NameZh, string Unit, string Kind, string Carrier, string Grain, IReadOnlyList<SeriesPoint> Points);

public sealed record NodeSeries(string Node, string Name, string? NameZh, string Carrier, string Unit, string Grain, IReadOnlyList<SeriesPoint> Points);

/// <summary>A node total in one period; <see cref="Flags"/> is the union of the quality flags of the meter periods it is made of.</summary>
public sealed record EnergyRow(string Node, string NodeName, string? NodeNameZh, string Carrier, string Unit, string Direction, string Start, double? Value, double Completeness,
    IReadOnlyList<string> Flags);

public sealed record EnergyReport(string Site, string Grain, IReadOnlyList<EnergyRow> Rows);

public sealed record CarrierTotal(string Carrier, string Unit, double? Value, double Completeness, IReadOnlyList<string> Flags);

public sealed record WorkshopTotal(string Node, string Name, string? NameZh, string Carrier, string Unit, double? Value);

public sealed record LoadCurve(string Carrier, string Unit, IReadOnlyList<SeriesPoint> Points);

public sealed record MeterStatus(string Key, string Name, string? NameZh, string Carrier, string Unit, string Kind, string? Node, string? LastReading, double CompletenessToday);

public sealed record Overview(
    string Site, string Name, string? NameZh, string TimeZone, string LocalDate, string Now,
    LoadCurve LoadCurve, IReadOnlyList<CarrierTotal> Today, IReadOnlyList<CarrierTotal> Month,
    IReadOnlyList<WorkshopTotal> WorkshopsToday, IReadOnlyList<WorkshopTotal> WorkshopsMonth,
    double CompletenessToday, IReadOnlyList<MeterStatus> Meters);

/// <summary>A derivation finding on a meter: what happened, in English (<c>detail</c>) and Chinese (<c>detailZh</c>).</summary>
public sealed record MeterEvent(string Ts, string Kind, string Detail, string DetailZh);

public sealed record BalancePoint(string Start, double? Parent, double? Children, double? Loss, double? LossPercent);

public sealed record Balance(string Meter, string Unit, IReadOnlyList<string> Children, string Grain, IReadOnlyList<BalancePoint> Points);

public sealed record SiteSummary(string Key, string Name, string? NameZh, string TimeZone, string? GridRegion, string? Industry, int NodeCount, int MeterCount);
