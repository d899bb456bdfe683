namespace GreenLoop.Demo;

/// <summary>
/// Pure functions of local time behind the simulation: load shapes, production, PV and gauges.
/// Days and slots are local (Asia/Shanghai, UTC+8, no daylight saving since 1991): day 0 is 1970-01-01 local,
/// slot j of a day is the local quarter hour j (0..95).
/// </summary>
internal static class DemoProfiles
{
    public const int SlotsPerDay = 96;

    // Foshan, Guangdong.
    private const double LatitudeDeg = 23.02;
    private const double LongitudeDeg = 113.12;

    // [shape][day of week][slot], normalised: the load of every slot of a week, computed once.
    private static readonly double[][][] _shapes = ComputeShapes();

    public static DayOfWeek DayOfWeekOf(long day) => (DayOfWeek)(int)(((day + 4) % 7 + 7) % 7);

    /// <summary>The load shape in slot j of a day of the week, normalised so that its mean over a week is 1.</summary>
    public static double Shape(LoadShape shape, int slot, DayOfWeek dayOfWeek) => _shapes[(int)shape][(int)dayOfWeek][slot];

    /// <summary>Production of the day relative to plan (0.96..1.04): every meter and the tile output follow it.</summary>
    public static double ProductionFactor(long day) => 1 + (0.04 * DemoRandom.Signed(DemoModel.ProductionSeed, day));

    /// <summary>Tile output in m² in the local hour that starts at hour <paramref name="hour"/> of the day.</summary>
    public static double TileOutput(long day, int hour) =>
        DemoModel.OutputPerHour * ProductionFactor(day) * (1 + (0.03 * DemoRandom.Signed(DemoModel.OutputSeed, (day * 24) + hour)));

    /// <summary>Weather of the day: the share of clear-sky PV yield that reaches the panels (0.25..1).</summary>
    public static double Clearness(long day) => 0.25 + (0.75 * Math.Pow(DemoRandom.Unit(DemoModel.PvDaySeed, day), 0.6));

    /// <summary>
    /// Mean PV output in kW over each slot of a day: solar geometry at the slot's midpoint (declination and equation of
    /// time by day of year), x the performance ratio, the day's clearness and a passing-cloud factor. Zero at night.
    /// </summary>
    public static void PvDayKw(long day, double[] kw)
    {
        var dayOfYear = DateOnly.FromDayNumber((int)(day + 719162)).DayOfYear;
        var declination = DegToRad(23.45) * Math.Sin(2 * Math.PI * (284 + dayOfYear) / 365.0);
        var b = 2 * Math.PI * (dayOfYear - 81) / 364.0;
        var equationOfTimeMin = (9.87 * Math.Sin(2 * b)) - (7.53 * Math.Cos(b)) - (1.5 * Math.Sin(b));
        var latitude = DegToRad(LatitudeDeg);
        var sinPart = Math.Sin(latitude) * Math.Sin(declination);
        var cosPart = Math.Cos(latitude) * Math.Cos(declination);
        var peak = DemoModel.PvPeakKw * DemoModel.PvPerformanceRatio * Clearness(day);
        for (var slot = 0; slot < kw.Length; slot++)
        {
            var utcHours = ((slot + 0.5) / 4.0) - 8;
            var solarHours = utcHours + (LongitudeDeg / 15) + (equationOfTimeMin / 60);
            var cosZenith = sinPart + (cosPart * Math.Cos(DegToRad(15 * (solarHours - 12))));
            if (cosZenith <= 0.02)
            {
                kw[slot] = 0;
                continue;
            }
            var cloud = 0.7 + (0.3 * DemoRandom.Unit(DemoModel.PvCloudSeed, (day * SlotsPerDay) + slot));
            kw[slot] = peak * Math.Pow(cosZenith, 1.15) * cloud;
        }
    }

    /// <summary>A gauge's value at an instant (Unix ms); a pure function of the instant.</summary>
    public static double Gauge(GaugeModel g, long utcMs)
    {
        var localMs = utcMs + DemoPlant.UtcOffsetMs;
        var localHours = (double)PositiveMod(localMs, DemoPlant.DayMs) / DemoPlant.HourMs;
        var daily = Math.Cos(2 * Math.PI * (localHours - g.PeakHour) / 24);
        var slot = Math.DivRem(utcMs, DemoPlant.SlotMs, out var intoSlot);
        if (intoSlot < 0) { slot--; intoSlot += DemoPlant.SlotMs; }
        var f = (double)intoSlot / DemoPlant.SlotMs;
        var slow = (DemoRandom.Signed(g.SlowSeed, slot) * (1 - f)) + (DemoRandom.Signed(g.SlowSeed, slot + 1) * f);
        var fast = DemoRandom.Signed(g.FastSeed, Math.DivRem(utcMs, 1000, out _));
        return g.Mean + (g.DailyAmplitude * daily) + (g.SlowAmplitude * slow) + (g.FastAmplitude * fast);
    }

    /// <summary>Fast noise only, for the NOx spike plateau.</summary>
    public static double FastNoise(GaugeModel g, long utcMs) => DemoRandom.Signed(g.FastSeed, Math.DivRem(utcMs, 1000, out _));

    public static long PositiveMod(long a, long m) => ((a % m) + m) % m;

    private static double RawShape(LoadShape shape, int slot, DayOfWeek dayOfWeek)
    {
        var hour = slot / 4;
        var sunday = dayOfWeek == DayOfWeek.Sunday;
        var dayShift = hour is >= 8 and < 20;
        return shape switch
        {
            LoadShape.Flat => 1,
            LoadShape.BallMill => hour < 8 ? 1.45 : hour is (>= 10 and < 12) or (>= 14 and < 19) ? 0.55 : 0.9,
            LoadShape.Press => PressShape(slot, sunday),
            LoadShape.Polish => sunday ? (dayShift ? 0.8 : 0.6) : (dayShift ? 1.15 : 0.85),
            LoadShape.Packing => dayShift ? 1.25 : 0.75,
            LoadShape.Air => 0.85 + (0.15 * PressShape(slot, sunday)),
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };
    }

    // Shifts change at 00:00, 08:00 and 16:00; the first half hour of each shift runs at 60 %.
    private static double PressShape(int slot, bool sunday)
    {
        var changeover = slot % 32 < 2;
        var level = changeover ? 0.6 : slot < 32 ? 0.85 : 1.05;
        return sunday ? level * 0.9 : level;
    }

    private static double[][][] ComputeShapes()
    {
        var shapes = Enum.GetValues<LoadShape>();
        var table = new double[shapes.Length][][];
        foreach (var shape in shapes)
        {
            double sum = 0;
            for (var d = 0; d < 7; d++)
                for (var j = 0; j < SlotsPerDay; j++)
                    sum += RawShape(shape, j, (DayOfWeek)d);
            var mean = sum / (7 * SlotsPerDay);
            table[(int)shape] = [.. Enumerable.Range(0, 7).Select(d => Enumerable.Range(0, SlotsPerDay).Select(j => RawShape(shape, j, (DayOfWeek)d) / mean).ToArray())];
        }
        return table;
    }

    private static double DegToRad(double deg) => deg * Math.PI / 180;
}
