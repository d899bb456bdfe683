using System.Text.RegularExpressions;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using static GreenLoop.Domain.Tests.Utc;

namespace GreenLoop.Domain.Tests;

/// <summary>
/// Every finding the deriver writes reads in Chinese on the Chinese meter page (issue 12, item 21): the counter drop,
/// rollover, replacement, reset, bad reading, gap and spike, each produced by the real deriver here.
/// </summary>
public sealed partial class FindingTextTests
{
    private static readonly MeterConfig _meter = new() { Kind = MeterKind.Cumulative };

    public static TheoryData<string> Findings()
    {
        var data = new TheoryData<string>();
        foreach (var detail in Details()) data.Add(detail);
        return data;
    }

    private static List<string> Details()
    {
        var found = new List<MeterFinding>();
        void Run(MeterConfig meter, RawReading[] readings, long to, params CounterEvent[] events) =>
            found.AddRange(Deriver.Derive(meter, readings, events, At(10, 0), to).Findings);
        Run(_meter with { RolloverAt = 1_000_000 }, [new(At(10, 0), 999_990), new(At(10, 15), 15)], At(10, 30));
        Run(_meter, [new(At(10, 0), 5000), new(At(10, 30), 20)], At(11, 0), new CounterEvent(At(10, 10), MeterEventKind.Replacement, OldValue: 5012, NewValue: 0));
        Run(_meter, [new(At(10, 0), 5000), new(At(10, 30), 20)], At(11, 0), new CounterEvent(At(10, 10), MeterEventKind.Reset, OldValue: null, NewValue: 0));
        Run(_meter, [new(At(10, 0), 100), new(At(10, 15), 50), new(At(10, 30), 60)], At(11, 0));
        Run(_meter, [new(At(10, 0), 100), new(At(10, 15), 110), new(At(10, 30), 105), new(At(10, 45), 120)], At(11, 0));
        Run(_meter, [new(At(10, 0), 100), new(At(10, 15), 110), new(At(12, 15), 150), new(At(12, 30), 155)], At(13, 0));
        Run(_meter with { MaxRatePerHour = 10 }, [new(At(10, 0), 100), new(At(10, 15), 200)], At(10, 30));
        return found.Select(f => f.Detail).Distinct().ToList();
    }

    [Fact]
    public void TheScenarios_ProduceEveryKindOfCumulativeFinding()
    {
        var kinds = Details();
        Assert.True(kinds.Count >= 6, string.Join("\n", kinds));
    }

    [Theory]
    [MemberData(nameof(Findings))]
    public void EveryFinding_ReadsInChinese_WithItsNumbers(string detail)
    {
        var zh = FindingText.Zh(detail);

        Assert.NotEqual(detail, zh);
        var words = Words().Matches(zh).Select(m => m.Value).Where(w => w is not ("h" or "min")).ToList();
        Assert.True(words.Count == 0, $"'{zh}' keeps English words: {string.Join(", ", words)}");
        // The numbers of the English text are all in the Chinese one.
        foreach (Match number in Numbers().Matches(detail)) Assert.Contains(number.Value, zh, StringComparison.Ordinal);
    }

    [Fact]
    public void Zh_UnknownText_StaysAsItIs() => Assert.Equal("something new", FindingText.Zh("something new"));

    [GeneratedRegex(@"[A-Za-z]+")]
    private static partial Regex Words();

    [GeneratedRegex(@"\d+(?:\.\d+)?")]
    private static partial Regex Numbers();
}
