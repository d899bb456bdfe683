namespace GreenLoop.Domain.Model;

/// <summary>What a meter measures.</summary>
public enum MeterQuantity
{
    /// <summary>An energy carrier or utility: electricity, natural gas, coal, steam, water, compressed air...</summary>
    EnergyCarrier,
    /// <summary>Product output (m² of tile, tonnes of clinker).</summary>
    ProductOutput,
    /// <summary>A material flow (raw material, recycled water, waste).</summary>
    Material,
    /// <summary>An emission measurement (CEMS: SO2, NOx, particulates, flue-gas flow).</summary>
    Emission,
    /// <summary>A process variable (kiln temperature, moisture, pressure).</summary>
    ProcessVariable,
}

/// <summary>How a meter's values relate to time.</summary>
public enum MeterKind
{
    /// <summary>A register that only grows; may roll over or be replaced. Consumption is the difference of readings.</summary>
    Cumulative,
    /// <summary>Each reading is the consumption of one fixed period, stamped at its end or its beginning.</summary>
    Interval,
    /// <summary>A gauge (kW, °C, mg/m³): samples of a level, aggregated as min, max and time-weighted mean.</summary>
    Instantaneous,
}

/// <summary>Energy flow direction seen from the site boundary.</summary>
public enum MeterDirection
{
    Import,
    Export,
}

/// <summary>Whether a meter counts toward its node's total or only serves balance checks.</summary>
public enum MeterRole
{
    /// <summary>Counted toward its node (and every ancestor node).</summary>
    Counted,
    /// <summary>A sub-meter of another meter: used for balance and loss, never added to node totals.</summary>
    SubMeter,
}

/// <summary>Which end of its period an interval reading's timestamp marks.</summary>
public enum IntervalStamp
{
    PeriodEnding,
    PeriodBeginning,
}

/// <summary>A level in the plant tree (能耗节点).</summary>
public enum NodeKind
{
    Workshop,
    Process,
    Line,
    Equipment,
    Utility,
    Area,
}

/// <summary>Recorded events that explain a change in a cumulative register.</summary>
public enum MeterEventKind
{
    /// <summary>The physical meter was exchanged: the old register ended at OldValue, the new one starts at NewValue.</summary>
    Replacement,
    /// <summary>The register was reset (e.g. after a firmware update) to NewValue; OldValue is its last value if known.</summary>
    Reset,
}
