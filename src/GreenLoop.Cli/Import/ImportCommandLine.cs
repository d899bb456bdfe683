using System.Globalization;
using GreenLoop.Connectors.Import;
using GreenLoop.Domain.Model;

namespace GreenLoop.Cli.Import;

/// <summary>A parsed <c>greenloop import</c> command: the file, how to read it, and the site it belongs to (if given).</summary>
public sealed record ImportCommand(string File, ImportOptions Options, string? Site);

/// <summary>Either a command or an error message for the user (bad arguments are not exceptions).</summary>
public sealed record ImportCommandLineResult(ImportCommand? Command, string? Error)
{
    public bool Succeeded => Command is not null;
}

/// <summary>
/// Parses the arguments of <c>greenloop import FILE ...</c> (with or without the leading <c>import</c>) into
/// <see cref="ImportOptions"/>. Options take their value as the next argument or after <c>=</c>
/// (<c>--tz Asia/Seoul</c> or <c>--tz=Asia/Seoul</c>); <c>--map</c> and <c>--format</c> may be repeated.
/// </summary>
public static class ImportCommandLine
{
    private static readonly HashSet<string> _flags = ["--period-ending", "--period-beginning", "--repair-midnight", "--no-header"];

    private static readonly HashSet<string> _valued =
    [
        "--meter", "--map", "--meter-column", "--time-column", "--value-column", "--format", "--tz", "--interval",
        "--shift-to", "--delimiter", "--decimal", "--skip", "--site",
    ];

    /// <summary>Help text for the command.</summary>
    public const string Usage = """
        greenloop import FILE [options]      导入 CSV / Excel (.xlsx) 读数文件
          Which meter (one of):
            --meter KEY                      all values (column 2, or --value-column) go to one meter
            --map COLUMN=METER               wide file: a value column and its meter; repeat for more columns
            --meter-column NAME --value-column NAME
                                             long file: meter key, time and value on every row
          Columns (header name or 1-based number):
            --time-column NAME               timestamp column (default 1)
            --value-column NAME              value column for --meter (default 2) or a long file
          Time:
            --format "dd/MM/yyyy HH:mm"      .NET date format; repeat to allow several (default ISO 8601)
            --tz Asia/Seoul                  IANA zone of stamps without an offset
            --period-ending | --period-beginning
                                             which end of its interval a stamp marks
            --interval 15                    interval length in minutes
            --shift-to period-ending|period-beginning
                                             convert stamps to the meters' convention (needs the two above)
            --repair-midnight                move "day D 00:00 after day D 23:45" stamps one day forward
          Text:
            --delimiter ;                    , ; tab or another character (default: detected)
            --decimal ,                      decimal separator, . or , (default .)
            --skip N                         lines to skip before the header
            --no-header                      the file has no header (columns by number)
          --site KEY                         the site the meters belong to
        """;

    public static ImportCommandLineResult Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var parser = new Parser();
        var start = args.Count > 0 && args[0] == "import" ? 1 : 0;
        var optionsEnded = false;
        for (var i = start; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--" && !optionsEnded)
            {
                optionsEnded = true; // what follows is a file name, even if it starts with --
                continue;
            }

            if (optionsEnded || !arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (parser.File is not null) return Fail($"Unexpected argument '{arg}': only one file can be imported at a time.");
                parser.File = arg;
                continue;
            }

            var name = arg;
            string? value = null;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = arg[..equals];
                value = arg[(equals + 1)..];
            }

            if (_flags.Contains(name))
            {
                if (value is not null) return Fail($"{name} takes no value.");
                if (parser.ApplyFlag(name) is { } flagError) return Fail(flagError);
                continue;
            }

            if (!_valued.Contains(name)) return Fail($"Unknown option '{name}'.");
            if (value is null)
            {
                if (i + 1 >= args.Count) return Fail($"{name} needs a value.");
                value = args[++i];
            }

            if (parser.Apply(name, value) is { } error) return Fail(error);
        }

        if (parser.File is null) return Fail("Which file? Usage: greenloop import FILE [options].");
        var options = parser.Build();
        var problems = options.Validate();
        return problems.Count > 0
            ? Fail(string.Join(Environment.NewLine, problems))
            : new ImportCommandLineResult(new ImportCommand(parser.File, options, parser.Site), null);
    }

    private static ImportCommandLineResult Fail(string error) => new(null, error);

    private sealed class Parser
    {
        private readonly Dictionary<string, string> _single = new(StringComparer.Ordinal);
        private readonly List<ColumnMapping> _map = [];
        private readonly List<string> _formats = [];
        private IntervalStamp? _stamp;
        private bool _repairMidnight;
        private bool _noHeader;
        private int? _interval;
        private int _skip;
        private char? _delimiter;
        private char _decimal = '.';
        private IntervalStamp? _shiftTo;

        public string? File { get; set; }

        public string? Site => _single.GetValueOrDefault("--site");

        public string? ApplyFlag(string name)
        {
            switch (name)
            {
                case "--period-ending" or "--period-beginning":
                    var stamp = name == "--period-ending" ? IntervalStamp.PeriodEnding : IntervalStamp.PeriodBeginning;
                    if (_stamp is not null && _stamp != stamp) return "Use either --period-ending or --period-beginning, not both.";
                    _stamp = stamp;
                    return null;
                case "--repair-midnight":
                    _repairMidnight = true;
                    return null;
                default:
                    _noHeader = true;
                    return null;
            }
        }

        public string? Apply(string name, string value)
        {
            switch (name)
            {
                case "--map":
                    var equals = value.LastIndexOf('=');
                    if (equals <= 0 || equals == value.Length - 1)
                        return $"--map needs COLUMN=METER (e.g. --map Usage_kWh=steel.main.kwh), not '{value}'.";
                    _map.Add(new ColumnMapping(value[..equals].Trim(), value[(equals + 1)..].Trim()));
                    return null;
                case "--format":
                    _formats.Add(value);
                    return null;
            }

            if (!_single.TryAdd(name, value)) return $"{name} is given twice.";
            switch (name)
            {
                case "--interval":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes <= 0)
                        return $"--interval needs a whole number of minutes, not '{value}'.";
                    _interval = minutes;
                    return null;
                case "--skip":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var skip))
                        return $"--skip needs a number of lines, not '{value}'.";
                    _skip = skip;
                    return null;
                case "--delimiter":
                    return ParseDelimiter(value);
                case "--decimal":
                    if (value is not ("." or ",")) return $"--decimal must be . or , not '{value}'.";
                    _decimal = value[0];
                    return null;
                case "--shift-to":
                    _shiftTo = value switch
                    {
                        "period-ending" => IntervalStamp.PeriodEnding,
                        "period-beginning" => IntervalStamp.PeriodBeginning,
                        _ => null,
                    };
                    return _shiftTo is null ? $"--shift-to must be period-ending or period-beginning, not '{value}'." : null;
                default:
                    if (string.IsNullOrWhiteSpace(value)) return $"{name} needs a value.";
                    return null;
            }
        }

        public ImportOptions Build() => new()
        {
            Meter = _single.GetValueOrDefault("--meter"),
            Map = _map,
            MeterColumn = _single.GetValueOrDefault("--meter-column"),
            TimeColumn = _single.GetValueOrDefault("--time-column"),
            ValueColumn = _single.GetValueOrDefault("--value-column"),
            DateFormats = _formats,
            TimeZone = _single.GetValueOrDefault("--tz"),
            Stamp = _stamp,
            IntervalMinutes = _interval,
            ShiftToMeterConvention = _shiftTo,
            Delimiter = _delimiter,
            DecimalSeparator = _decimal,
            SkipRows = _skip,
            HasHeader = !_noHeader,
            RepairMidnightStamps = _repairMidnight,
        };

        private string? ParseDelimiter(string value)
        {
            switch (value)
            {
                case "auto":
                    _delimiter = null;
                    return null;
                case "tab" or "\\t" or "\t":
                    _delimiter = '\t';
                    return null;
                case { Length: 1 }:
                    _delimiter = value[0];
                    return null;
                default:
                    return $"--delimiter must be one character, tab or auto, not '{value}'.";
            }
        }
    }
}
