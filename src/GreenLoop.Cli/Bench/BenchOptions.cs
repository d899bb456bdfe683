using System.Globalization;

namespace GreenLoop.Cli.Bench;

/// <summary>Settings of <c>greenloop bench</c>; every count and duration is bounded so a run always ends.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        greenloop bench [ingest|query|all] [options]

          ingest (default)  end-to-end HTTP ingest into SQLite, with a raw SQLite insert baseline in the same run
          query             1 year of hourly data for 1000 meters, then series and energy queries through HTTP
          all               both
          report            energy and carbon report generation (greenloop bench report --help)
          alarms            alarm evaluation latency (greenloop bench alarms --help)
          modbus            Modbus TCP points/s against the pymodbus simulator (greenloop bench modbus --help)
          mqtt              MQTT readings/s through mosquitto into the store (greenloop bench mqtt --help)

          --shape NAME        ingest: a preset of --meters, --days and --step-seconds (later options override it):
                                minute  200 meters x 2 days at 60 s (576,000 readings; the default)
                                hourly  1000 meters x 30 days at 3600 s (720,000; a back-fill)
                                year    1000 meters x 365 days at 3600 s (8,760,000; a year of history)
                                wide    10000 meters x 1 day at 900 s (960,000)
          --meters N          ingest: cumulative electricity meters (default 200, 1..10000)
          --days D            ingest: days of readings per meter (default 2, 1..366)
          --step-seconds S    ingest: seconds between readings (default 60, 1..86400)
          --clients C         ingest: concurrent HTTP clients (default 4, 1..64)
          --batch B           ingest: readings per POST and per raw-insert transaction (default 5000, 1..100000)
          --sync FULL|NORMAL  SQLite synchronous mode for the server and the baseline (default FULL)
          --store sqlite|postgres  the store under test (default sqlite); postgres needs --pg
          --pg CS             postgres: an Npgsql connection string to a server whose role may CREATE DATABASE
                              (scripts/postgres.sh start prints one); each stage uses a fresh database, dropped after
          --query-meters N    query: meters (default 1000, 1..10000)
          --query-days D      query: days of hourly readings (default 365, 1..400)
          --query-runs R      query: measured runs of each query (default 50, 5..1000)
          --time-limit MIN    hard limit per benchmark in minutes (default 15, 1..120); partial results are reported
          --keep              keep the generated databases (their folder is printed)
        """;

    private static readonly HashSet<string> _valueOptions =
    [
        "--meters", "--days", "--step-seconds", "--clients", "--batch", "--sync", "--query-meters", "--query-days", "--query-runs", "--time-limit",
        "--store", "--pg", "--shape",
    ];

    public string Mode { get; init; } = "ingest";
    public int Meters { get; init; } = 200;
    public int Days { get; init; } = 2;
    public int StepSeconds { get; init; } = 60;
    public int Clients { get; init; } = 4;
    public int Batch { get; init; } = 5000;
    public string Synchronous { get; init; } = "FULL";
    public int QueryMeters { get; init; } = 1000;
    public int QueryDays { get; init; } = 365;
    public int QueryRuns { get; init; } = 50;
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromMinutes(15);
    public bool Keep { get; init; }
    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public string Store { get; init; } = "sqlite";
    /// <summary>With <c>--store postgres</c>: where to create the benchmark databases.</summary>
    public string? Pg { get; init; }
    public bool Postgres => Store == "postgres";

    /// <summary>Readings per meter in the ingest benchmark (the first instant included).</summary>
    public int StepsPerMeter => (int)Math.Min(int.MaxValue, (long)Days * 86_400 / StepSeconds);

    /// <summary>Parses the arguments after <c>bench</c>; returns null and an error for anything unreadable or out of range.</summary>
    public static (BenchOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string name = a, value = "";
            var eq = a.IndexOf('=', StringComparison.Ordinal);
            if (a.StartsWith("--", StringComparison.Ordinal) && eq > 0) (name, value) = (a[..eq], a[(eq + 1)..]);
            else if (_valueOptions.Contains(a))
            {
                if (i + 1 >= args.Count) return (null, $"{a} needs a value");
                value = args[++i];
            }
            string? error = null;
            BenchOptions? Fail(string why)
            {
                error = why;
                return null;
            }
            int Int(int min, int max)
            {
                if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
                error = $"{name} must be a whole number from {min} to {max}, not '{value}'";
                return 0;
            }
            BenchOptions? next = name switch
            {
                "ingest" or "query" or "all" when i == 0 => o with { Mode = name },
                "--shape" => value switch
                {
                    "minute" => o with { Meters = 200, Days = 2, StepSeconds = 60 },
                    "hourly" => o with { Meters = 1000, Days = 30, StepSeconds = 3600 },
                    "year" => o with { Meters = 1000, Days = 365, StepSeconds = 3600 },
                    "wide" => o with { Meters = 10_000, Days = 1, StepSeconds = 900 },
                    _ => Fail("--shape must be minute, hourly, year or wide"),
                },
                "--meters" => o with { Meters = Int(1, 10_000) },
                "--days" => o with { Days = Int(1, 366) },
                "--step-seconds" => o with { StepSeconds = Int(1, 86_400) },
                "--clients" => o with { Clients = Int(1, 64) },
                "--batch" => o with { Batch = Int(1, 100_000) },
                "--sync" => value.ToUpperInvariant() is "FULL" or "NORMAL" ? o with { Synchronous = value.ToUpperInvariant() } : Fail("--sync must be FULL or NORMAL"),
                "--query-meters" => o with { QueryMeters = Int(1, 10_000) },
                "--query-days" => o with { QueryDays = Int(1, 400) },
                "--query-runs" => o with { QueryRuns = Int(5, 1000) },
                "--time-limit" => o with { TimeLimit = TimeSpan.FromMinutes(Int(1, 120)) },
                "--keep" => o with { Keep = true },
                "--store" => value.ToLowerInvariant() is "sqlite" or "postgres" ? o with { Store = value.ToLowerInvariant() } : Fail("--store must be sqlite or postgres"),
                "--pg" => o with { Pg = value },
                _ => Fail($"unknown option '{a}'"),
            };
            if (error is not null || next is null) return (null, error);
            o = next;
        }
        if ((long)o.Meters * o.StepsPerMeter > 50_000_000) return (null, "--meters x readings per meter must stay at or below 50 million");
        if (o.StepsPerMeter < 2) return (null, "--days and --step-seconds must give at least 2 readings per meter");
        if (o.Postgres && string.IsNullOrWhiteSpace(o.Pg)) return (null, "--store postgres needs --pg CONNECTION-STRING (scripts/postgres.sh start prints one)");
        return (o, null);
    }
}
