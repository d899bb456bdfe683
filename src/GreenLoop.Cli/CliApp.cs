using System.Text.Json;
using GreenLoop.Cli.Import;
using GreenLoop.Connectors.Import;
using GreenLoop.Domain.Model;
using GreenLoop.Server;
using Microsoft.Extensions.Hosting;

namespace GreenLoop.Cli;

/// <summary>The <c>greenloop</c> command line: serve, import, site apply|export, report, bench.</summary>
public static class CliApp
{
    public const string Usage = """
        greenloop — energy, carbon and cleaner-production platform / 能源·碳·清洁生产管理平台

          greenloop serve [--urls http://127.0.0.1:5080] [--GreenLoop:Demo:Enabled=false]
          greenloop import FILE [options] [--data DIR]      (greenloop import --help)
          greenloop site apply FILE.json [--data DIR]
          greenloop site export KEY [--out FILE.json] [--data DIR]
          greenloop report energy|carbon --site KEY --period 2025|2025-06 [--format table|json] [--xlsx FILE] [--data DIR]
          greenloop audit verify|list [--data DIR]             (exit 4 if the hash chain is broken)
          greenloop tenant list|create|rename|disable|enable [--data DIR]   (greenloop tenant --help)
          greenloop platform key create NAME|list|revoke NAME [--data DIR]  (keys for /api/v1/platform/...)
          greenloop store copy --from sqlite:PATH --to postgres:CONNECTION-STRING [--rederive]
          greenloop bench [--meters N] [--days D] [--clients C] [--query-meters N]

        --data DIR  the data directory (default: GreenLoop:DataDirectory, i.e. ./data)
        """;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await output.WriteLineAsync(Usage);
            return args.Length == 0 ? 1 : 0;
        }
        var rest = args.Skip(1).ToList();
        var data = TakeOption(rest, "--data");
        try
        {
            return args[0] switch
            {
                "serve" => await ServeAsync(rest, data, output, ct),
                "import" => await ImportAsync(rest, data, output, error, ct),
                "site" => await SiteAsync(rest, data, output, error, ct),
                "bench" => await BenchCommand.RunAsync(rest, output, error, ct),
                "report" => await ReportCommand.RunAsync(rest, data, output, error, ct),
                "audit" => await AuditCommand.RunAsync(rest, data, output, error, ct),
                "tenant" => await TenantCommand.RunAsync(rest, data, output, error, ct),
                "platform" => await PlatformCommand.RunAsync(rest, data, output, error, TimeProvider.System),
                "store" => await StoreCommand.RunAsync(rest, data, output, error, ct),
                _ => await UnknownAsync(args[0], error),
            };
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return 2;
        }
    }

    private static async Task<int> UnknownAsync(string command, TextWriter error)
    {
        await error.WriteLineAsync($"unknown command '{command}'\n\n{Usage}");
        return 1;
    }

    /// <summary>Removes <c>--name VALUE</c> or <c>--name=VALUE</c> from the list and returns the value.</summary>
    internal static string? TakeOption(List<string> args, string name)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == name && i + 1 < args.Count)
            {
                var v = args[i + 1];
                args.RemoveRange(i, 2);
                return v;
            }
            if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                var v = args[i][(name.Length + 1)..];
                args.RemoveAt(i);
                return v;
            }
        }
        return null;
    }

    private static async Task<int> ServeAsync(List<string> args, string? data, TextWriter output, CancellationToken ct)
    {
        if (data is not null) args.Add($"--GreenLoop:DataDirectory={data}");
        var app = GreenLoopServer.Build(args.ToArray());
        await app.StartAsync(ct);
        foreach (var url in app.Urls) await output.WriteLineAsync($"GreenLoop is running at {url}  (Ctrl+C to stop)");
        await output.WriteLineAsync($"Data: {GreenLoopServer.DataLocation(app)}");
        await app.WaitForShutdownAsync(ct);
        return 0;
    }

    private static async Task<int> ImportAsync(List<string> args, string? data, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (args.Count == 0 || args[0] is "--help" or "-h")
        {
            await output.WriteLineAsync(ImportCommandLine.Usage);
            return args.Count == 0 ? 1 : 0;
        }
        var parsed = ImportCommandLine.Parse(args);
        if (!parsed.Succeeded)
        {
            await error.WriteLineAsync($"error: {parsed.Error}\n\n{ImportCommandLine.Usage}");
            return 1;
        }
        var command = parsed.Command!;
        await using var platform = await LocalPlatform.OpenAsync(data, ct);
        var runner = new ImportRunner((batch, token) => platform.Ingest.IngestAsync(platform.TenantId, new GreenLoop.Pipeline.Meter.Ingest.IngestRequest(batch, "import:" + Path.GetFileName(command.File)), token));
        var result = await runner.RunFileAsync(command.File, command.Options, new ConsoleProgress(), ct);
        ImportSummaryPrinter.Print(output, result);
        await platform.RecordAsync("CLI import", "import:" + Path.GetFileName(command.File), new
        {
            file = Path.GetFullPath(command.File),
            accepted = result.Summary.Accepted,
            rejected = result.Summary.Rejected,
            error = result.Error,
        }, ct);
        await output.WriteLineAsync("Deriving 15-minute, hourly, daily and monthly figures ...");
        await platform.Derivation.RunUntilIdleAsync(ct);
        await output.WriteLineAsync("Done.");
        return result.Error is not null ? 2 : result.Summary.Rejected > 0 ? 3 : 0;
    }

    private static async Task<int> SiteAsync(List<string> args, string? data, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var outFile = TakeOption(args, "--out");
        if (args.Count < 2 || args[0] is not ("apply" or "export"))
        {
            await error.WriteLineAsync("usage: greenloop site apply FILE.json | greenloop site export KEY [--out FILE.json]");
            return 1;
        }
        await using var platform = await LocalPlatform.OpenAsync(data, ct, readOnly: args[0] == "export");
        if (args[0] == "export")
        {
            var def = await platform.Sites.ExportAsync(platform.TenantId, args[1], ct);
            if (def is null)
            {
                await error.WriteLineAsync($"error: no site '{args[1]}'");
                return 2;
            }
            var json = JsonSerializer.Serialize(def, Json);
            if (outFile is null) await output.WriteLineAsync(json);
            else await File.WriteAllTextAsync(outFile, json + "\n", ct);
            return 0;
        }
        SiteDefinition? site;
        try
        {
            await using var stream = File.OpenRead(args[1]);
            site = await JsonSerializer.DeserializeAsync<SiteDefinition>(stream, Json, ct);
        }
        catch (JsonException ex)
        {
            await error.WriteLineAsync($"error: {args[1]} is not a valid site document: {ex.Message}");
            return 2;
        }
        if (site is null)
        {
            await error.WriteLineAsync($"error: {args[1]} is empty");
            return 2;
        }
        var outcome = await platform.Sites.ApplyAsync(platform.TenantId, site, ct);
        if (outcome.Result is not { } r)
        {
            await error.WriteLineAsync($"error: the site document has {outcome.Errors.Count} problem(s); nothing was applied:");
            foreach (var e in outcome.Errors) await error.WriteLineAsync($"  {e.Path}: {e.Reason}");
            return 2;
        }
        await platform.RecordAsync("CLI site apply", $"/api/v1/sites/{site.Key}",
            new { file = Path.GetFullPath(args[1]), created = r.Created, updated = r.Updated, unchanged = r.Unchanged }, ct);
        await platform.Derivation.RunUntilIdleAsync(ct);
        await output.WriteLineAsync($"site '{site.Key}' applied: {r.Created} created, {r.Updated} updated, {r.Unchanged} unchanged");
        return 0;
    }
}
