using System.Diagnostics;
using System.Text.Json;

namespace GreenLoop.Testing;

/// <summary>
/// Reads a CSV file with Python's own <c>csv</c> module (run by Debian's <c>/usr/bin/python3</c>), an implementation of
/// RFC 4180 independent of the writer's: the rows as lists of strings, decoded as UTF-8 with the byte-order mark removed
/// (<c>utf-8-sig</c>). Bytes that are not UTF-8 fail the read.
/// </summary>
public static class PythonCsv
{
    private const string Script = """
        import csv, json, sys
        with open(sys.argv[1], newline='', encoding='utf-8-sig', errors='strict') as f:
            print(json.dumps(list(csv.reader(f)), ensure_ascii=False))
        """;

    public static async Task<List<List<string>>> ReadAsync(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var path = Path.Combine(Path.GetTempPath(), $"greenloop-{Guid.NewGuid():N}.csv");
        await File.WriteAllBytesAsync(path, file);
        try
        {
            using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3")
            {
                ArgumentList = { "-c", Script, path },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = System.Text.Encoding.UTF8,
                Environment = { ["PYTHONIOENCODING"] = "utf-8" },
            })!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(cts.Token);
            if (process.ExitCode != 0) throw new InvalidOperationException($"python's csv module could not read the file: {await error}");
            return JsonSerializer.Deserialize<List<List<string>>>(await output)!;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
