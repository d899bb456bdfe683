using BenchmarkDotNet.Attributes;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;

namespace GreenLoop.Bench;

/// <summary>
/// The pure derivation step for one cumulative meter: a day of 1-minute readings into 96 fifteen-minute buckets.
/// Public and unsealed because BenchmarkDotNet derives from benchmark classes.
/// </summary>
[MemoryDiagnoser]
public class DeriverBenchmarks
{
    private const long Day = 86_400_000;
    private static readonly long _start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private readonly MeterConfig _meter = MeterConfig.From(new MeterDefinition { Key = "b", Name = "b", Carrier = "electricity", Unit = "kWh", Multiplier = 40 });
    private RawReading[] _readings = [];

    [GlobalSetup]
    public void Setup() =>
        // 1441 readings: the one at the start of the next day closes the last bucket, as the pipeline passes it.
        _readings = Enumerable.Range(0, 1441).Select(i => new RawReading(_start + i * 60_000L, 1000 + i * 0.25 + i % 7 * 0.001)).ToArray();

    [Benchmark]
    public int DeriveOneDayOfMinuteReadings() => Deriver.Derive(_meter, _readings, [], _start, _start + Day).Buckets.Count;
}
