using GreenLoop.Domain.Optimise;

namespace GreenLoop.Domain.Tests.Optimise;

/// <summary>The KPI formula parser: what it accepts, the tree it builds, and where it says a mistake is.</summary>
public sealed class KpiFormulaTests
{
    [Fact]
    public void Parse_ReuseRate_CallsInOrderWithTheirArgumentsAndPositions()
    {
        const string text = "consumption('recycled_water') / (consumption('recycled_water') + consumption(\"fresh_water\", '_site')) * 100";

        Assert.True(KpiFormula.TryParse(text, out var formula, out var error), error?.ToString());

        var calls = formula!.Calls.ToList();
        Assert.Equal(["consumption", "consumption", "consumption"], calls.Select(c => c.Name));
        Assert.Equal(["recycled_water"], calls[0].Arguments);
        Assert.Equal(["fresh_water", "_site"], calls[2].Arguments);
        Assert.Equal([1, 34, text.IndexOf("consumption(\"", StringComparison.Ordinal) + 1], calls.Select(c => c.Position));
        // (a / (b + c)) * 100: multiplication and division bind left to right.
        var root = Assert.IsType<BinaryNode>(formula.Root);
        Assert.Equal('*', root.Operator);
        Assert.Equal(100, Assert.IsType<NumberNode>(root.Right).Value);
        Assert.Equal('/', Assert.IsType<BinaryNode>(root.Left).Operator);
    }

    [Fact]
    public void Parse_PrecedenceUnaryMinusAndScientificNumbers()
    {
        Assert.True(KpiFormula.TryParse("-1 + 2 * 3 - 4 / 2e0 × 1 ÷ 1", out var formula, out _));
        // ((-1) + (2 * 3)) - (((4 / 2) * 1) / 1)
        var root = Assert.IsType<BinaryNode>(formula!.Root);
        Assert.Equal('-', root.Operator);
        var left = Assert.IsType<BinaryNode>(root.Left);
        Assert.Equal('+', left.Operator);
        Assert.IsType<NegateNode>(left.Left);
        Assert.Equal('*', Assert.IsType<BinaryNode>(left.Right).Operator);
        Assert.Equal('/', Assert.IsType<BinaryNode>(root.Right).Operator);
    }

    [Theory]
    [InlineData("", 1, "the formula is empty")]
    [InlineData("1 +", 4, "the formula ends where")]
    [InlineData("(1 + 2", 1, "this '(' is not closed")]
    [InlineData("1 + 2)", 6, "unexpected ')' after a complete formula")]
    [InlineData("energy(", 8, "a function's argument is quoted text")]
    [InlineData("recorded('waste.solid'", 1, "the call of 'recorded' is not closed with ')'")]
    [InlineData("recorded(waste)", 10, "a function's argument is quoted text")]
    [InlineData("recorded('waste", 10, "this quoted text is not closed")]
    [InlineData("recorded('')", 10, "an argument cannot be empty")]
    [InlineData("system('rm -rf /')", 1, "'system' is not a function")]
    [InlineData("energy", 7, "'energy' needs its arguments in parentheses")]
    [InlineData("consumption()", 1, "'consumption' takes 1 to 2 argument(s), not 0")]
    [InlineData("1 + 1.2.3", 5, "'1.2.3' is not a number")]
    [InlineData("2 ^ 3", 3, "unexpected '^' after a complete formula")]
    [InlineData("days() $", 8, "unexpected '$'")]
    public void Parse_Mistake_SaysWhereAndWhy(string text, int position, string reason)
    {
        Assert.False(KpiFormula.TryParse(text, out var formula, out var error));

        Assert.Null(formula);
        Assert.Equal(position, error!.Position);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooLongOrTooDeep_IsRefused()
    {
        Assert.False(KpiFormula.TryParse(new string('1', KpiFormula.MaxLength + 1), out _, out var tooLong));
        Assert.Contains("longer than", tooLong!.Reason, StringComparison.Ordinal);
        Assert.False(KpiFormula.TryParse(new string('(', 60) + "1" + new string(')', 60), out _, out var tooDeep));
        Assert.Contains("nests too deeply", tooDeep!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryLibraryFormula_Parses()
    {
        foreach (var kpi in KpiLibrary.All)
            Assert.True(KpiFormula.TryParse(kpi.Definition.Formula, out _, out var error), $"{kpi.Definition.Key}: {error}");
    }
}
