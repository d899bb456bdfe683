using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using GreenLoop.Pipeline.Meter.Ingest;

namespace GreenLoop.Bench;

/// <summary>
/// Reading a 5000-reading JSON batch as POST /api/v1/readings does: JsonDocument, then ReadingParsers.ParseJson.
/// Public and unsealed because BenchmarkDotNet derives from benchmark classes.
/// </summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private byte[] _body = [];

    [GlobalSetup]
    public void Setup()
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var sb = new StringBuilder("{\"readings\":[");
        for (var i = 0; i < 5000; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(CultureInfo.InvariantCulture,
                $"{{\"meter\":\"bench.m{i % 50:D5}\",\"ts\":\"{start.AddMinutes(i / 50):yyyy-MM-dd'T'HH:mm:ss'Z'}\",\"value\":{1000 + i * 0.125}}}");
        }
        _body = Encoding.UTF8.GetBytes(sb.Append("]}").ToString());
    }

    [Benchmark]
    public int ParseJson5000()
    {
        using var doc = JsonDocument.Parse(_body);
        return ReadingParsers.ParseJson(doc, "bench").Request.Readings.Count;
    }
}
