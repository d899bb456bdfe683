using System.Net;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;

namespace GreenLoop.Cli.Tests;

/// <summary>
/// The README's walkthrough of the example steel plant, run as written and in order: its curl commands against a real
/// server (with the provisioned key as <c>$KEY</c>), its <c>dotnet run --project src/GreenLoop.Cli -- …</c> commands
/// through the CLI on the same data directory; then the Carbon page's report of 2018 answers.
/// </summary>
public sealed class ReadmeWalkthroughTests : IDisposable
{
    private readonly TemporaryFolder _data = new("readme");

    public void Dispose() => _data.Dispose();

    /// <summary>The commands of the README's bash blocks, continuation lines joined, in order.</summary>
    private static List<string> Commands()
    {
        var commands = new List<string>();
        var inBash = false;
        var pending = new StringBuilder();
        foreach (var raw in File.ReadLines(Path.Combine(Repository.Root, "README.md")))
        {
            if (raw.StartsWith("```", StringComparison.Ordinal)) { inBash = !inBash && raw.Trim() == "```bash"; continue; }
            if (!inBash) continue;
            var line = raw.Trim();
            var comment = line.IndexOf("  #", StringComparison.Ordinal);
            if (line.StartsWith('#')) continue;
            if (comment > 0) line = line[..comment].TrimEnd();
            if (line.EndsWith('\\')) { pending.Append(line[..^1]).Append(' '); continue; }
            pending.Append(line);
            if (pending.Length > 0) commands.Add(pending.ToString());
            pending.Clear();
        }
        return commands;
    }

    /// <summary>Splits a command line as a POSIX shell would for these commands (single and double quotes, no expansion but <c>$KEY</c>).</summary>
    private static List<string> Words(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var any = false;
        char? quote = null;
        foreach (var c in command)
        {
            if (quote is { } q)
            {
                if (c == q) quote = null;
                else word.Append(c);
                continue;
            }
            if (c is '\'' or '"') { quote = c; any = true; continue; }
            if (char.IsWhiteSpace(c))
            {
                if (any || word.Length > 0) words.Add(word.ToString());
                word.Clear();
                any = false;
                continue;
            }
            word.Append(c);
        }
        if (any || word.Length > 0) words.Add(word.ToString());
        return words;
    }

    [Fact]
    public async Task SteelWalkthrough_AsWrittenInTheReadme_EveryCommandSucceeds_AndTheCarbonReportOf2018Answers()
    {
        var walkthrough = Commands().Where(c => c.Contains("steel", StringComparison.Ordinal)).ToList();
        Assert.True(walkthrough.Count >= 5, string.Join("\n", walkthrough));
        await using var server = await ServerProcess.StartAsync(_data.Path);
        using var http = new HttpClient();

        foreach (var command in walkthrough)
        {
            var words = Words(command.Replace("$KEY", TestCredentials.AdminKey, StringComparison.Ordinal));
            if (words[0] == "curl")
            {
                var method = HttpMethod.Get;
                string? url = null, body = null;
                var headers = new List<(string, string)>();
                for (var i = 1; i < words.Count; i++)
                {
                    switch (words[i])
                    {
                        case "-X": method = new HttpMethod(words[++i]); break;
                        case "-H": var h = words[++i]; headers.Add((h[..h.IndexOf(':')].Trim(), h[(h.IndexOf(':') + 1)..].Trim())); break;
                        case "-d": var d = words[++i]; body = d.StartsWith('@') ? await File.ReadAllTextAsync(Path.Combine(Repository.Root, d[1..])) : d; break;
                        default: url = words[i]; break;
                    }
                }
                // The README's address is the default one; the test's server listens elsewhere.
                var target = new Uri(server.Address, new Uri(url!).PathAndQuery);
                using var request = new HttpRequestMessage(method, target);
                if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, headers.FirstOrDefault(x => x.Item1 == "Content-Type").Item2?.Split(';')[0] ?? "application/json");
                foreach (var (name, value) in headers.Where(x => x.Item1 != "Content-Type")) request.Headers.Add(name, value);
                using var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, $"{command}\n→ {(int)response.StatusCode} {text}");
                if (target.AbsolutePath == "/api/v1/readings")
                {
                    using var answer = JsonDocument.Parse(text);
                    Assert.True(answer.RootElement.GetProperty("rejected").GetArrayLength() == 0, $"{command}\n→ {text}");
                }
                continue;
            }
            Assert.True(words.Take(4).SequenceEqual(["dotnet", "run", "--project", "src/GreenLoop.Cli"]) && words[4] == "--", command);
            // Paths in the README are relative to the repository's root.
            var args = words.Skip(5).Select(a => !a.StartsWith('-') && File.Exists(Path.Combine(Repository.Root, a)) ? Path.GetFullPath(Path.Combine(Repository.Root, a)) : a).ToList();
            var run = await CommandLine.RunAsync([.. args, "--data", _data.Path]);
            Assert.True(run.Exit == 0, $"{command}\n→ exit {run.Exit}\n{run.Output}\n{run.Error}");
        }

        using var carbon = await server.Client.GetAsync("/api/v1/sites/steel/reports/carbon?period=2018");
        Assert.True(carbon.StatusCode == HttpStatusCode.OK, await carbon.Content.ReadAsStringAsync());
        using var energy = await server.Client.GetAsync("/api/v1/sites/steel/reports/energy?period=2018");
        Assert.Equal(HttpStatusCode.OK, energy.StatusCode);
    }
}
