using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace GreenLoop.Testing;

/// <summary>
/// A throwaway PostgreSQL server for the test run: a fresh cluster in a temporary folder, listening on 127.0.0.1 at a
/// free port with its socket in that folder, trust authentication, fsync off (the data dies with the run). Each test
/// gets its own database from <see cref="CreateDatabaseAsync"/>. When the tests run as root (CI containers), initdb and
/// postgres refuse to, so the cluster belongs to the <c>postgres</c> system user that Debian's package creates and the
/// programs run through <c>runuser</c>. If the server cannot be started the tests that need it fail with the reason;
/// they are never skipped. The binaries come from GREENLOOP_PG_BIN, else the newest /usr/lib/postgresql/N/bin, else PATH.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string OwnerFile = "greenloop-owner.pid";
    private static readonly TimeSpan _commandTimeout = TimeSpan.FromSeconds(120);
    private int _databases;

    public string Folder { get; private set; } = "";
    public int Port { get; private set; }
    public string BinDirectory { get; private set; } = "";

    private string DataFolder => Path.Combine(Folder, "data");

    /// <summary>Connection string of a database on this server (the <c>postgres</c> superuser, no password).</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        Pooling = true,
        Timeout = 30,
        CommandTimeout = 120,
    }.ToString();

    public async Task InitializeAsync()
    {
        BinDirectory = FindBinaries();
        RemoveStaleClusters();
        Folder = Path.Combine(Path.GetTempPath(), "greenloop-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Folder);
        await File.WriteAllTextAsync(Path.Combine(Folder, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (RunningAsRoot)
        {
            if (await RunAsync("id", ["-u", "postgres"], asPostgres: false) is { Code: not 0 })
                throw new InvalidOperationException("Tests run as root and there is no 'postgres' system user; install Debian's postgresql package (scripts/test.sh does).");
            await RunCheckedAsync("chown", ["postgres", Folder], asPostgres: false);
        }
        await RunCheckedAsync(Tool("initdb"), ["-D", DataFolder, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"], asPostgres: RunningAsRoot);
        // A port taken between choosing it and binding it: try again with another.
        for (var attempt = 1; ; attempt++)
        {
            Port = Ports.Free();
            var options = string.Create(CultureInfo.InvariantCulture,
                $"-c listen_addresses=127.0.0.1 -p {Port} -k {Folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200");
            var started = await RunAsync(Tool("pg_ctl"), ["-D", DataFolder, "-l", Path.Combine(Folder, "server.log"), "-o", options, "-w", "-t", "60", "start"], RunningAsRoot);
            if (started.Code == 0) break;
            if (attempt == 3)
                throw new InvalidOperationException($"PostgreSQL did not start: {started.Output}\n{ReadLog()}");
        }
        await WaitReadyAsync();
    }

    /// <summary>
    /// Creates a database, empty or as a copy of <paramref name="template"/> (a database nobody is connected to), and
    /// returns its connection string.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "t", string template = "template0")
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..8]}").ToLowerInvariant();
        await using var c = new NpgsqlConnection(ConnectionString("postgres"));
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\" STRATEGY FILE_COPY", c);
        await cmd.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>The database name of a connection string of this server.</summary>
    public static string DatabaseOf(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Database!;

    public async Task DisposeAsync()
    {
        if (Folder.Length == 0 || !Directory.Exists(Folder)) return;
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
            await RunAsync(Tool("pg_ctl"), ["-D", DataFolder, "-m", "immediate", "-w", "-t", "60", "stop"], RunningAsRoot);
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { /* a file still held open; the temp folder is cleaned by the next run */ }
    }

    private Task WaitReadyAsync() => Wait.UntilAsync(async () =>
    {
        try
        {
            await using var c = new NpgsqlConnection(ConnectionString("postgres"));
            await c.OpenAsync();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }, () => $"PostgreSQL to accept connections on port {Port}; server log:\n{ReadLog()}", TimeSpan.FromSeconds(60));

    private string ReadLog()
    {
        var log = Path.Combine(Folder, "server.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no server log)";
    }

    private string Tool(string name) => BinDirectory.Length == 0 ? name : Path.Combine(BinDirectory, name);

    private static bool RunningAsRoot => Environment.UserName == "root";

    private static string FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("GREENLOOP_PG_BIN") is { Length: > 0 } configured)
            return File.Exists(Path.Combine(configured, "initdb")) ? configured : throw new InvalidOperationException($"GREENLOOP_PG_BIN={configured} has no initdb.");
        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            var newest = Directory.GetDirectories(debian)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(x => File.Exists(Path.Combine(x.Dir, "bin", "initdb")))
                .OrderByDescending(x => x.Version)
                .FirstOrDefault();
            if (newest.Dir is not null) return Path.Combine(newest.Dir, "bin");
        }
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")));
        return onPath ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on PATH); install Debian's postgresql package (scripts/test.sh does) or set GREENLOOP_PG_BIN.");
    }

    /// <summary>Stops and removes clusters this fixture left behind in a test process that no longer runs (a killed run).</summary>
    private void RemoveStaleClusters()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), "greenloop-pg-*"))
        {
            var owner = Path.Combine(folder, OwnerFile);
            if (!File.Exists(owner) || !int.TryParse(File.ReadAllText(owner), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)) continue;
            if (pid == Environment.ProcessId || ProcessAlive(pid)) continue;
            if (File.Exists(Path.Combine(folder, "data", "postmaster.pid")))
                RunAsync(Tool("pg_ctl"), ["-D", Path.Combine(folder, "data"), "-m", "immediate", "-w", "-t", "30", "stop"], RunningAsRoot).GetAwaiter().GetResult();
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { /* try again next run */ }
            catch (UnauthorizedAccessException) { /* another user's leftovers */ }
        }
    }

    private static bool ProcessAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task RunCheckedAsync(string program, IReadOnlyList<string> args, bool asPostgres)
    {
        var (code, output) = await RunAsync(program, args, asPostgres);
        if (code != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({code}): {output}");
    }

    /// <summary>Runs a program (as the postgres user through runuser when asked) and returns its exit code and output.</summary>
    private static async Task<(int Code, string Output)> RunAsync(string program, IReadOnlyList<string> args, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", program }) start.ArgumentList.Add(a);
        }
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        using var timeout = new CancellationTokenSource(_commandTimeout);
        // pg_ctl start leaves the server running with our pipes inherited unless its output is redirected (-l does),
        // so reading to the end is safe.
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }
}
