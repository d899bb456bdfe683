using System.Globalization;

namespace GreenLoop.Domain.Optimise;

/// <summary>A formula error: the 1-based character position and what is wrong there.</summary>
public sealed record FormulaError(int Position, string Reason)
{
    public override string ToString() => $"position {Position}: {Reason}";
}

/// <summary>A node of a parsed KPI formula.</summary>
public abstract record FormulaNode(int Position);

public sealed record NumberNode(int Position, double Value) : FormulaNode(Position);

public sealed record NegateNode(int Position, FormulaNode Operand) : FormulaNode(Position);

public sealed record BinaryNode(int Position, char Operator, FormulaNode Left, FormulaNode Right) : FormulaNode(Position);

/// <summary>A call of one of the <see cref="KpiFunctions"/> with text arguments.</summary>
public sealed record CallNode(int Position, string Name, IReadOnlyList<string> Arguments) : FormulaNode(Position);

/// <summary>What a formula function takes: its name, the number of text arguments (required, at most) and what it gives.</summary>
public sealed record KpiFunction(string Name, int MinArguments, int MaxArguments, string Signature, string En, string Zh);

/// <summary>The functions a KPI formula may call: each reads a figure GreenLoop knows for the KPI's site and period.</summary>
public static class KpiFunctions
{
    public static readonly IReadOnlyList<KpiFunction> All =
    [
        new("consumption", 1, 2, "consumption('carrier'[, 'node'])",
            "consumption of a carrier at the site (or a node) over the period, in the carrier's unit, as GET /energy sums it",
            "站点（或节点）在该期间某能源/介质的用量，单位同该介质，与 /energy 的合计一致"),
        new("meter", 1, 1, "meter('meter key')", "a meter's consumption over the period, in its unit", "某计量表在该期间的用量（其单位）"),
        new("output", 0, 0, "output()", "qualified product output of the period (the energy report's output)", "该期间合格产品产量（同能源报告）"),
        new("energy", 0, 0, "energy()", "comprehensive energy consumption of the period, kgce (GB/T 2589-2020, the energy report's total)", "该期间综合能耗，kgce（GB/T 2589-2020，同能源报告）"),
        new("unit_energy", 0, 0, "unit_energy()", "unit-product comprehensive energy consumption, kgce per unit of output (the energy report's figure)", "单位产品综合能耗，kgce/产品单位（同能源报告）"),
        new("emissions", 0, 1, "emissions(['location'|'market'])", "GHG emissions of the period, tCO2e, Scope 1 + Scope 2 (location-based unless 'market')", "该期间温室气体排放，tCO2e，范围一+范围二（默认基于位置）"),
        new("recorded", 1, 1, "recorded('quantity key')", "sum of the recorded quantities of that key in the period (waste shipped, purchases, …)", "该期间某记录量之和（固废外运量、采购量等）"),
        new("recorded_mean", 1, 1, "recorded_mean('quantity key')", "mean of the recorded values of that key in the period, weighted by the days each covers (lab results such as COD)", "该期间某记录值按覆盖天数加权的平均（如 COD 化验结果）"),
        new("days", 0, 0, "days()", "number of days in the period", "该期间的天数"),
        new("baseline_expected", 1, 1, "baseline_expected('model id')",
            "the energy baseline (ISO 50006) of the period: what the baseline model predicts for the period's actual drivers, plus non-routine adjustments, in the model's unit",
            "该期间的能源基准（ISO 50006）：基准模型按该期间实际驱动变量预测的用量加非常规调整，单位同模型"),
        new("savings", 1, 1, "savings('model id')", "avoided energy of the period: adjusted baseline minus actual use (IPMVP), in the model's unit",
            "该期间节能量：调整后基准减实际用量（IPMVP），单位同模型"),
        new("enpi_improvement", 1, 1, "enpi_improvement('model id')",
            "EnPI improvement of the period against the model's energy baseline, % (ISO 50006: (baseline - actual) / baseline x 100)",
            "该期间相对基准模型的能源绩效改进，%（ISO 50006：(基准 - 实际) / 基准 x 100）"),
    ];

    public static KpiFunction? Find(string name) => All.FirstOrDefault(f => f.Name == name);
}

/// <summary>
/// A KPI formula: arithmetic (<c>+ - * /</c>, parentheses, numbers) over calls of <see cref="KpiFunctions"/> with quoted
/// text arguments, e.g. <c>recorded('water.recycled') / (recorded('water.recycled') + consumption('fresh_water')) * 100</c>.
/// Parsed into a tree when the KPI is saved: nothing is executed, no name outside the function list is accepted, and
/// every mistake comes back with its character position. (NCalc was tried first; its parse errors often carry no
/// position, which people need to find the mistake.)
/// </summary>
public sealed class KpiFormula
{
    public const int MaxLength = 1000;

    private KpiFormula(string text, FormulaNode root)
    {
        Text = text;
        Root = root;
    }

    public string Text { get; }

    public FormulaNode Root { get; }

    /// <summary>Every call in the formula, left to right.</summary>
    public IEnumerable<CallNode> Calls => Walk(Root).OfType<CallNode>();

    private static IEnumerable<FormulaNode> Walk(FormulaNode node) => node switch
    {
        NegateNode n => new[] { node }.Concat(Walk(n.Operand)),
        BinaryNode b => new[] { node }.Concat(Walk(b.Left)).Concat(Walk(b.Right)),
        _ => [node],
    };

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says where and why.</summary>
    public static bool TryParse(string? text, out KpiFormula? formula, out FormulaError? error)
    {
        formula = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = new FormulaError(1, "the formula is empty");
            return false;
        }
        if (text.Length > MaxLength)
        {
            error = new FormulaError(MaxLength + 1, $"the formula is longer than {MaxLength} characters");
            return false;
        }
        var parser = new Parser(text);
        try
        {
            var root = parser.Expression();
            parser.SkipSpace();
            if (!parser.AtEnd) throw parser.Fail($"unexpected '{parser.Current}' after a complete formula");
            formula = new KpiFormula(text, root);
            return true;
        }
        catch (FormulaException ex)
        {
            error = ex.Error;
            return false;
        }
    }

    private sealed class FormulaException(FormulaError error) : Exception(error.ToString())
    {
        public FormulaError Error { get; } = error;
    }

    /// <summary>Recursive descent: expression = term {(+|-) term}; term = unary {(*|/) unary}; unary = -unary | primary.</summary>
    private sealed class Parser(string text)
    {
        private int _at;
        private int _depth;

        public bool AtEnd => _at >= text.Length;

        public char Current => text[_at];

        public FormulaException Fail(string reason) => new(new FormulaError(_at + 1, reason));

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(Current)) _at++;
        }

        public FormulaNode Expression()
        {
            if (++_depth > 50) throw Fail("the formula nests too deeply");
            var left = Term();
            while (true)
            {
                SkipSpace();
                if (AtEnd || Current is not ('+' or '-')) break;
                var (op, at) = (Current, _at + 1);
                _at++;
                left = new BinaryNode(at, op, left, Term());
            }
            _depth--;
            return left;
        }

        private FormulaNode Term()
        {
            var left = Unary();
            while (true)
            {
                SkipSpace();
                if (AtEnd || Current is not ('*' or '/' or '×' or '÷')) break;
                var (op, at) = (Current switch { '×' => '*', '÷' => '/', var c => c }, _at + 1);
                _at++;
                left = new BinaryNode(at, op, left, Unary());
            }
            return left;
        }

        private FormulaNode Unary()
        {
            SkipSpace();
            if (!AtEnd && Current == '-')
            {
                var at = _at + 1;
                _at++;
                return new NegateNode(at, Unary());
            }
            return Primary();
        }

        private FormulaNode Primary()
        {
            SkipSpace();
            if (AtEnd) throw Fail("the formula ends where a number, a function or '(' is expected");
            var start = _at;
            if (Current == '(')
            {
                _at++;
                var inner = Expression();
                SkipSpace();
                if (AtEnd || Current != ')') throw new FormulaException(new FormulaError(start + 1, "this '(' is not closed"));
                _at++;
                return inner;
            }
            if (char.IsAsciiDigit(Current) || Current == '.')
            {
                while (!AtEnd && (char.IsAsciiDigit(Current) || Current == '.')) _at++;
                if (!AtEnd && Current is 'e' or 'E')
                {
                    _at++;
                    if (!AtEnd && Current is '+' or '-') _at++;
                    while (!AtEnd && char.IsAsciiDigit(Current)) _at++;
                }
                var literal = text[start.._at];
                if (!double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                    throw new FormulaException(new FormulaError(start + 1, $"'{literal}' is not a number"));
                return new NumberNode(start + 1, value);
            }
            if (char.IsAsciiLetter(Current) || Current == '_')
            {
                while (!AtEnd && (char.IsAsciiLetterOrDigit(Current) || Current == '_')) _at++;
                var name = text[start.._at];
                var function = KpiFunctions.Find(name)
                    ?? throw new FormulaException(new FormulaError(start + 1,
                        $"'{name}' is not a function; use one of {string.Join(", ", KpiFunctions.All.Select(f => f.Name))}"));
                SkipSpace();
                if (AtEnd || Current != '(') throw Fail($"'{name}' needs its arguments in parentheses: {function.Signature}");
                _at++;
                var arguments = new List<string>();
                SkipSpace();
                if (!AtEnd && Current == ')') _at++;
                else
                {
                    while (true)
                    {
                        SkipSpace();
                        arguments.Add(Text());
                        SkipSpace();
                        if (AtEnd) throw new FormulaException(new FormulaError(start + 1, $"the call of '{name}' is not closed with ')'"));
                        if (Current == ')') { _at++; break; }
                        if (Current != ',') throw Fail($"expected ',' or ')' in the call of '{name}'");
                        _at++;
                    }
                }
                if (arguments.Count < function.MinArguments || arguments.Count > function.MaxArguments)
                    throw new FormulaException(new FormulaError(start + 1,
                        $"'{name}' takes {(function.MinArguments == function.MaxArguments ? $"{function.MinArguments}" : $"{function.MinArguments} to {function.MaxArguments}")} argument(s), not {arguments.Count}: {function.Signature}"));
                return new CallNode(start + 1, name, arguments);
            }
            throw Fail($"unexpected '{Current}': a number, a function or '(' is expected here");
        }

        private string Text()
        {
            if (AtEnd || Current is not ('\'' or '"')) throw Fail("a function's argument is quoted text, e.g. 'electricity'");
            var quote = Current;
            var start = _at;
            _at++;
            while (!AtEnd && Current != quote) _at++;
            if (AtEnd) throw new FormulaException(new FormulaError(start + 1, "this quoted text is not closed"));
            var value = text[(start + 1).._at];
            _at++;
            if (value.Length == 0) throw new FormulaException(new FormulaError(start + 1, "an argument cannot be empty"));
            return value;
        }
    }
}
