using System.Buffers;
using System.Globalization;
using System.Text.Json;
using GreenLoop.Domain.Model;

namespace GreenLoop.Cli.Bench;

/// <summary>
/// A synthetic plant: cumulative meters whose registers follow a closed-form curve, so any reading can be computed
/// on its own (no state, nothing to keep in memory) and the expected consumption is known exactly.
/// </summary>
internal sealed class BenchWorkload
{
    /// <summary>Meters a simulated gateway reports together in one batch.</summary>
    public const int MetersPerGateway = 50;

    private static readonly string[] _carriers = ["electricity", "natural_gas", "fresh_water"];
    private static readonly string[] _units = ["kWh", "m3", "m3"];
    private static readonly double[] _multipliers = [1, 20, 80, 0.5];

    private readonly string[] _tsText;

    public BenchWorkload(string siteKey, int meters, int workshops, bool mixedCarriers, long startMs, int steps, int stepSeconds)
    {
        SiteKey = siteKey;
        Meters = meters;
        Workshops = workshops;
        MixedCarriers = mixedCarriers;
        StartMs = startMs;
        Steps = steps;
        StepMs = stepSeconds * 1000L;
        _tsText = steps <= 1_000_000 ? new string[steps] : [];
    }

    public string SiteKey { get; }
    public int Meters { get; }
    public int Workshops { get; }
    public bool MixedCarriers { get; }
    public long StartMs { get; }
    public int Steps { get; }
    public long StepMs { get; }
    public long LastMs => StartMs + (Steps - 1) * StepMs;

    public string MeterKey(int meter) => string.Create(CultureInfo.InvariantCulture, $"{SiteKey}.m{meter:D5}");

    public string Carrier(int meter) => MixedCarriers ? _carriers[meter % 10 < 7 ? 0 : meter % 10 < 9 ? 1 : 2] : _carriers[0];

    public double Multiplier(int meter) => _multipliers[meter % _multipliers.Length];

    public long Ts(int step) => StartMs + step * StepMs;

    /// <summary>
    /// The raw register at a step: a base load plus a daily wave, integrated in closed form. Its derivative
    /// base x (1 + 0.6 sin) is never negative, so the register never drops; rounding to 3 decimals keeps the JSON short.
    /// </summary>
    public double Register(int meter, int step)
    {
        var hours = (Ts(step) - StartMs) / 3_600_000d;
        var rate = 5 + meter % 17;
        var phase = meter % 24 * Math.PI / 12;
        var wave = 0.6 * 24 / (2 * Math.PI) * (Math.Cos(phase) - Math.Cos(2 * Math.PI * hours / 24 + phase));
        return Math.Round(1000 + 37.5 * meter + rate * (hours + wave), 3);
    }

    /// <summary>Sum over all meters of (last register - first register) x multiplier, per carrier.</summary>
    public IReadOnlyDictionary<string, double> ExpectedTotals()
    {
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var m = 0; m < Meters; m++)
            totals[Carrier(m)] = totals.GetValueOrDefault(Carrier(m)) + (Register(m, Steps - 1) - Register(m, 0)) * Multiplier(m);
        return totals;
    }

    public SiteDefinition Site()
    {
        var nodes = new List<NodeDefinition>();
        for (var w = 0; w < Workshops; w++)
        {
            nodes.Add(new NodeDefinition { Key = $"ws{w}", Name = $"Workshop {w}", NameZh = $"车间 {w}" });
            nodes.Add(new NodeDefinition { Key = $"ws{w}.line", Name = $"Line {w}", NameZh = $"产线 {w}", Kind = NodeKind.Line, Parent = $"ws{w}" });
        }
        var meters = Enumerable.Range(0, Meters).Select(m => new MeterDefinition
        {
            Key = MeterKey(m),
            Name = $"Meter {m}",
            NameZh = $"计量表 {m}",
            Node = m % 2 == 0 ? $"ws{m % Workshops}" : $"ws{m % Workshops}.line",
            Carrier = Carrier(m),
            Unit = _units[Array.IndexOf(_carriers, Carrier(m))],
            Multiplier = Multiplier(m),
            MaxGapMinutes = (int)Math.Max(60, StepMs / 60_000 * 2),
        }).ToList();
        return new SiteDefinition
        {
            Key = SiteKey,
            Name = "Benchmark plant",
            NameZh = "基准测试工厂",
            TimeZone = "Asia/Shanghai",
            Nodes = nodes,
            Meters = meters,
        };
    }

    /// <summary>
    /// The batches in the order they are sent: time windows in order, and within a window one batch per gateway
    /// (up to <see cref="MetersPerGateway"/> meters), each holding that window for its meters, ordered by time then meter.
    /// </summary>
    public IReadOnlyList<BatchSpec> Batches(int batchSize)
    {
        var gatewayMeters = Math.Min(Meters, Math.Min(MetersPerGateway, batchSize));
        var window = Math.Max(1, batchSize / gatewayMeters);
        var list = new List<BatchSpec>();
        for (var step = 0; step < Steps; step += window)
        {
            for (var first = 0; first < Meters; first += gatewayMeters)
                list.Add(new BatchSpec(first, Math.Min(gatewayMeters, Meters - first), step, Math.Min(window, Steps - step)));
        }
        return list;
    }

    public string TsText(int step)
    {
        if (_tsText.Length == 0) return Format(Ts(step));
        return _tsText[step] ??= Format(Ts(step));
    }

    private static string Format(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The JSON body of one batch, as a gateway would post it.</summary>
    public byte[] Body(BatchSpec b)
    {
        var buffer = new ArrayBufferWriter<byte>(b.Count * 64 + 32);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("readings");
            for (var s = b.FirstStep; s < b.FirstStep + b.Steps; s++)
            {
                for (var m = b.FirstMeter; m < b.FirstMeter + b.Meters; m++)
                {
                    w.WriteStartObject();
                    w.WriteString("meter", MeterKey(m));
                    w.WriteString("ts", TsText(s));
                    w.WriteNumber("value", Register(m, s));
                    w.WriteEndObject();
                }
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>One batch: meters [FirstMeter, FirstMeter + Meters) over steps [FirstStep, FirstStep + Steps).</summary>
internal readonly record struct BatchSpec(int FirstMeter, int Meters, int FirstStep, int Steps)
{
    public int Count => Meters * Steps;
}
