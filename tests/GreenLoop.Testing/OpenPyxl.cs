using System.Diagnostics;
using System.Text.Json;

namespace GreenLoop.Testing;

/// <summary>
/// Reads an .xlsx with Debian's openpyxl (an independent implementation of the format, run by <c>/usr/bin/python3</c>):
/// every sheet's rows of cell values as openpyxl sees them (numbers as numbers, text as text).
/// </summary>
public static class OpenPyxl
{
    private const string Script = """
        import json, sys, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
        out = {}
        for ws in wb.worksheets:
            out[ws.title] = [[c for c in row] for row in ws.iter_rows(values_only=True)]
        print(json.dumps(out, ensure_ascii=False, default=str))
        """;

    public static async Task<Dictionary<string, List<List<JsonElement>>>> ReadAsync(byte[] workbook)
    {
        ArgumentNullException.ThrowIfNull(workbook);
        var path = Path.Combine(Path.GetTempPath(), $"greenloop-{Guid.NewGuid():N}.xlsx");
        await File.WriteAllBytesAsync(path, workbook);
        try
        {
            using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3")
            {
                ArgumentList = { "-c", Script, path },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = System.Text.Encoding.UTF8,
            })!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(cts.Token);
            if (process.ExitCode != 0) throw new InvalidOperationException($"openpyxl could not read the workbook: {await error}");
            return JsonSerializer.Deserialize<Dictionary<string, List<List<JsonElement>>>>(await output)!;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
