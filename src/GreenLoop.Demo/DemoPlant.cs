using GreenLoop.Domain.Model;
using GreenLoop.Pipeline.Meter.Ingest;

namespace GreenLoop.Demo;

/// <summary>
/// A simulated ceramic floor-tile plant in Foshan (site <c>demo</c>, about 30,000 m² of tile a day): its site
/// definition, its readings at any instant and a set of planted data problems, all relative to an anchor date.
/// <para>
/// Every reading is a pure function of its instant and the anchor date: cumulative registers are a prefix sum of
/// per-day energies counted from a fixed origin (<see cref="HistoryDays"/> before the anchor), so the register at
/// an instant is bit-for-bit the same whether generation started a day or ten days earlier, and a back-fill, a
/// restart and the live stream all send identical values. Keep the anchor fixed for the life of a database (see
/// <see cref="AnchorDateOf"/>): a different anchor moves the planted events and changes the registers, and the
/// server would reject the new values as conflicts.
/// </para>
/// </summary>
public sealed partial class DemoPlant
{
    /// <summary>The site key.</summary>
    public const string SiteKey = "demo";

    /// <summary>How far before the anchor date readings can be generated.</summary>
    public const int HistoryDays = 730;

    internal const long HourMs = 3_600_000;
    internal const long DayMs = 24 * HourMs;
    internal const long SlotMs = 15 * 60_000;
    internal const long UtcOffsetMs = 8 * HourMs;

    // DateOnly.DayNumber of 1970-01-01.
    private const int UnixEpochDayNumber = 719162;

    private readonly long _originDay;
    private readonly long _airSavingDay;
    private readonly Lock _gate = new();
    private readonly List<double[]> _prefix;
    private readonly Lazy<SiteDefinition> _definition;
    private readonly Lazy<double> _replacementEnergy;
    private readonly Lazy<double> _wrapEnergy;

    /// <summary>A plant whose planted events lie before the given local date (Asia/Shanghai).</summary>
    public DemoPlant(DateOnly anchorDate)
    {
        AnchorDate = anchorDate;
        _originDay = anchorDate.DayNumber - UnixEpochDayNumber - HistoryDays;
        _airSavingDay = anchorDate.DayNumber - UnixEpochDayNumber - AirSavingDaysBefore;
        _prefix = [new double[DemoModel.Counters.Length]];
        _replacementEnergy = new Lazy<double>(() => EnergyAt(DemoModel.DryerGasIndex, _events.Replacement));
        _wrapEnergy = new Lazy<double>(() => EnergyAt(DemoModel.FreshWaterIndex, _events.Wrap));
        _definition = new Lazy<SiteDefinition>(BuildDefinition);
        (_events, PlantedEvents) = PlantEvents(anchorDate);
    }

    /// <summary>A plant anchored at the local date (Asia/Shanghai) of an instant, e.g. the time of the first start.</summary>
    public DemoPlant(DateTimeOffset anchor) : this(LocalDate(anchor))
    {
    }

    /// <summary>The plant's time zone offset: Asia/Shanghai has kept UTC+8 without daylight saving since 1991.</summary>
    public static TimeSpan UtcOffset { get; } = TimeSpan.FromHours(8);

    /// <summary>Planted events lie on days before this local date.</summary>
    public DateOnly AnchorDate { get; }

    /// <summary>The earliest instant <see cref="Readings"/> accepts: local midnight <see cref="HistoryDays"/> before the anchor.</summary>
    public DateTimeOffset Earliest => ToOffset((_originDay * DayMs) - UtcOffsetMs);

    /// <summary>The site document: nodes, meters and the recorded meter replacement.</summary>
    public SiteDefinition Definition => _definition.Value;

    /// <summary>The local date of an instant in the plant's time zone.</summary>
    public static DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(UtcOffset).DateTime);

    /// <summary>
    /// Recovers the anchor date from a demo site definition applied earlier (from its recorded replacement),
    /// so that a restarted server keeps generating the same readings. Null when the document is not the demo's.
    /// </summary>
    public static DateOnly? AnchorDateOf(SiteDefinition site)
    {
        ArgumentNullException.ThrowIfNull(site);
        var replacement = site.Events.FirstOrDefault(e => e.Meter == DemoMeterKeys.DryerGas && e.Kind == MeterEventKind.Replacement);
        return replacement is null ? null : LocalDate(replacement.Ts).AddDays(ReplacementDaysBefore);
    }

    /// <summary>
    /// The readings at every instant of the grid <paramref name="step"/> (aligned to the Unix epoch) in
    /// (<paramref name="from"/>, <paramref name="to"/>], in time order and, at one instant, in site-definition order:
    /// raw registers of the cumulative meters, the hourly tile output at whole hours (value for the hour ending then)
    /// and samples of the instantaneous meters. Includes the late batch (see <see cref="IsLate"/>); leaves out the gap.
    /// </summary>
    /// <param name="from">Exclusive start.</param>
    /// <param name="to">Inclusive end.</param>
    /// <param name="step">A whole number of seconds that divides 15 minutes (e.g. 10 s, 1 min, 15 min).</param>
    public IEnumerable<ReadingInput> Readings(DateTimeOffset from, DateTimeOffset to, TimeSpan step)
    {
        var stepMs = (long)step.TotalMilliseconds;
        if (stepMs < 1000 || stepMs % 1000 != 0 || SlotMs % stepMs != 0)
            throw new ArgumentOutOfRangeException(nameof(step), step, "The step must be whole seconds dividing 15 minutes.");
        if (from < Earliest)
            throw new ArgumentOutOfRangeException(nameof(from), from, $"The demo plant has no history before {Earliest:O}.");
        return Generate(from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), stepMs);
    }

    /// <summary>True for the readings a gateway withholds from the back-fill and posts after it (the planted late batch).</summary>
    public bool IsLate(ReadingInput reading) =>
        reading.Meter == DemoMeterKeys.Kiln2Gas && reading.Ts.ToUnixTimeMilliseconds() is var t && t >= _events.LateStart && t < _events.LateEnd;

    private IEnumerable<ReadingInput> Generate(long fromMs, long toMs, long stepMs)
    {
        var counters = DemoModel.Counters;
        var gauges = DemoModel.Gauges;
        var currentDay = long.MinValue;
        DayData? day = null;
        double[]? prefix = null;
        for (var t = (FloorDiv(fromMs, stepMs) * stepMs) + stepMs; t <= toMs; t += stepMs)
        {
            var localMs = t + UtcOffsetMs;
            var d = FloorDiv(localMs, DayMs);
            if (d != currentDay)
            {
                day = ComputeDay(d);
                prefix = PrefixAt(d);
                currentDay = d;
            }
            var intoDay = localMs - (d * DayMs);
            var slot = (int)(intoDay / SlotMs);
            var frac = (double)(intoDay - (slot * SlotMs)) / SlotMs;
            var ts = ToOffset(t);

            for (var c = 0; c < counters.Length; c++)
            {
                if (c == DemoModel.GlazingIndex && t > _events.GapStart && t < _events.GapEnd) continue;
                var energy = EnergyIn(prefix!, day!, c, slot, frac);
                yield return new ReadingInput(counters[c].Key, ts, Register(c, energy, t));
            }
            if (t % HourMs == 0)
            {
                var hourStartLocal = localMs - HourMs;
                var hourDay = FloorDiv(hourStartLocal, DayMs);
                var hour = (int)((hourStartLocal - (hourDay * DayMs)) / HourMs);
                var output = DemoProfiles.TileOutput(hourDay, hour);
                yield return new ReadingInput(DemoMeterKeys.TileOutput, ts, Math.Round(output, 1));
                yield return new ReadingInput(DemoMeterKeys.BodyRawMaterial, ts, Math.Round(output * DemoModel.BodyPerSquareMetre, 3));
            }
            for (var g = 0; g < gauges.Length; g++)
                yield return new ReadingInput(gauges[g].Key, ts, GaugeValue(g, t));
        }
    }

    private double GaugeValue(int g, long utcMs)
    {
        var model = DemoModel.Gauges[g];
        var value = g == DemoModel.NoxIndex && utcMs >= _events.NoxStart && utcMs <= _events.NoxEnd
            ? NoxSpikeLevel + (4 * DemoProfiles.FastNoise(model, utcMs))
            : DemoProfiles.Gauge(model, utcMs);
        return Math.Max(0, Math.Round(value, 1));
    }

    private double Register(int c, double energy, long utcMs)
    {
        var model = DemoModel.Counters[c];
        if (c == DemoModel.PackingIndex && utcMs == _events.Drop) return DropValue;
        if (c == DemoModel.FreshWaterIndex)
        {
            // Placed so that the register passes 1,000,000 exactly at the planted wrap instant.
            var unwrapped = (energy - _wrapEnergy.Value) / model.Multiplier;
            var raw = Math.Round(unwrapped - (Math.Floor(unwrapped / DemoModel.FreshWaterRollover) * DemoModel.FreshWaterRollover), 2);
            return raw >= DemoModel.FreshWaterRollover ? raw - DemoModel.FreshWaterRollover : raw;
        }
        if (c == DemoModel.DryerGasIndex && utcMs >= _events.Replacement)
            return Math.Round(ReplacementNewValue + ((energy - _replacementEnergy.Value) / model.Multiplier), 2);
        return Math.Round(model.StartRegister + (energy / model.Multiplier), 2);
    }

    /// <summary>Energy (engineering units) counted by a meter from the origin to an instant.</summary>
    private double EnergyAt(int c, long utcMs)
    {
        var localMs = utcMs + UtcOffsetMs;
        var d = FloorDiv(localMs, DayMs);
        var intoDay = localMs - (d * DayMs);
        var slot = (int)(intoDay / SlotMs);
        var frac = (double)(intoDay - (slot * SlotMs)) / SlotMs;
        return EnergyIn(PrefixAt(d), ComputeDay(d), c, slot, frac);
    }

    // The one formula for a register's energy; every path goes through it so that results agree to the last bit.
    private static double EnergyIn(double[] prefix, DayData day, int c, int slot, double frac) =>
        prefix[c] + (day.Cumulative[c][slot] + (frac * day.Slots[c][slot]));

    /// <summary>Energy per meter from the origin to local midnight starting <paramref name="day"/>, summed day by day upward.</summary>
    private double[] PrefixAt(long day)
    {
        var k = day - _originDay;
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(day), day, "Before the demo plant's history.");
        lock (_gate)
        {
            while (_prefix.Count <= k)
            {
                var last = _prefix[^1];
                var data = ComputeDay(_originDay + _prefix.Count - 1);
                var next = new double[last.Length];
                for (var c = 0; c < next.Length; c++) next[c] = last[c] + data.Cumulative[c][DemoProfiles.SlotsPerDay];
                _prefix.Add(next);
            }
            return _prefix[(int)k];
        }
    }

    internal static DateTimeOffset ToOffset(long utcMs) => DateTimeOffset.FromUnixTimeMilliseconds(utcMs).ToOffset(UtcOffset);

    internal static long FloorDiv(long a, long b) => a >= 0 ? a / b : ((a + 1) / b) - 1;
}
