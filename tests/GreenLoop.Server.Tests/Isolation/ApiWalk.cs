using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace GreenLoop.Server.Tests.Isolation;

/// <summary>One call of the walk and its answer.</summary>
internal sealed record WalkCall(string Identity, string Method, string Route, string Url, int Status);

/// <summary>
/// Calls every API route as tenant B's signed-in administrator and as B's key, with every combination of A's real keys
/// and ids and of ids guessed from A's, and checks each answer: no server error, still authenticated, none of A's
/// marked texts or ids, and 403/404 wherever the call names an object only A has. Safe methods run first (for both
/// identities), then POST, PUT, DELETE: B's PUTs may create B's own objects under A-only keys, which later calls may
/// then find.
/// </summary>
internal sealed class ApiWalk(IsolationPlant plant)
{
    private static readonly string[] _phases = ["GET", "POST", "PUT", "DELETE"];

    private readonly List<string> _failures = [];
    private readonly List<WalkCall> _calls = [];
    private int _serial;

    public IReadOnlyList<string> Failures => _failures;

    public IReadOnlyList<WalkCall> Calls => _calls;

    /// <summary>Routes without a case, and cases without a route; both must be empty.</summary>
    public static (IReadOnlyList<string> Uncovered, IReadOnlyList<string> Stale) Coverage(IReadOnlyList<AppRoute> apiRoutes)
    {
        var names = apiRoutes.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        return ([.. names.Where(n => !ApiRouteCases.All.ContainsKey(n)).Order(StringComparer.Ordinal)],
                [.. ApiRouteCases.All.Keys.Where(k => !names.Contains(k)).Order(StringComparer.Ordinal)]);
    }

    public async Task RunAsync(IReadOnlyList<AppRoute> apiRoutes, IReadOnlyList<TenantClient> identities)
    {
        var local = plant.Quarter.ToOffset(TimeSpan.FromHours(8));
        var rich = string.Create(CultureInfo.InvariantCulture,
            $"?grain=hour&from={local.AddDays(-1):yyyy-MM-dd}&to={local.AddDays(2):yyyy-MM-dd}&period={local:yyyy-MM}&site={IsolationPlant.Shared}&limit=1000");
        foreach (var phase in _phases)
        {
            foreach (var route in apiRoutes.Where(r => r.Method == phase))
            {
                if (!ApiRouteCases.All.TryGetValue(route.Name, out var @case)) continue;
                var combinations = Combinations(route);
                if (combinations is null)
                {
                    _failures.Add($"{route.Name}: a route parameter has no values to walk with");
                    continue;
                }
                foreach (var values in combinations)
                {
                    foreach (var identity in identities)
                    {
                        foreach (var query in phase == "GET" ? new[] { "", rich } : [""])
                            await CallAsync(identity, route, @case, values, query);
                    }
                }
            }
        }
    }

    private List<List<(string Name, RouteValue Value)>>? Combinations(AppRoute route)
    {
        var combinations = new List<List<(string, RouteValue)>> { new() };
        foreach (var parameter in route.Parameters)
        {
            if (ApiRouteCases.Values(route, parameter, plant) is not { } values) return null;
            combinations = [.. combinations.SelectMany(c => values.Select(v => new List<(string, RouteValue)>(c) { (parameter, v) }))];
        }
        return combinations;
    }

    private async Task CallAsync(TenantClient identity, AppRoute route, RouteCase @case, List<(string Name, RouteValue Value)> values, string query)
    {
        var map = values.ToDictionary(v => v.Name, v => v.Value.Value, StringComparer.Ordinal);
        var url = route.Fill(map) + query;
        var method = new HttpMethod(route.Method);
        var content = @case.Body?.Invoke(new CaseInput(plant, map, Interlocked.Increment(ref _serial)));
        var what = $"{identity.Name}: {route.Method} {url}";
        int status;
        string body;
        if (@case.Streams)
        {
            (status, body) = await ReadStreamStartAsync(identity, url);
        }
        else
        {
            using var response = await identity.SendAsync(method, url, content);
            status = (int)response.StatusCode;
            body = await BodyTextAsync(response);
        }
        _calls.Add(new WalkCall(identity.Name, route.Method, route.Pattern, url, status));
        if (@case.ChangesSignIn && identity.IsCookie) await identity.SignInAgainAsync();

        if (status >= 500) _failures.Add($"{what} → {status}: server error {Shorten(body)}");
        if (status == 401) _failures.Add($"{what} → 401: the identity is no longer authenticated, so the walk proves nothing");
        foreach (var token in IsolationPlant.ATokens.Where(t => body.Contains(t, StringComparison.Ordinal)))
            _failures.Add($"{what} → {status}: the answer contains tenant A's '{token}': {Shorten(body)}");
        var mustNotFind = values.Any(v => v.Value.Kind == ValueKind.AOnlyId)
            || (route.Method is "GET" or "POST" && values.Any(v => v.Value.Kind == ValueKind.AOnlyKey));
        if (mustNotFind && status is not (403 or 404))
            _failures.Add($"{what} → {status}: names an object only tenant A has, but was not answered 403 or 404: {Shorten(body)}");
        if (status == 200 && route.Method == "GET")
        {
            foreach (var (property, aIds) in ApiRouteCases.IdChecks(route.Name, plant.AObjects))
            {
                var seen = NumbersNamed(body, property).Intersect(aIds).ToList();
                if (seen.Count > 0) _failures.Add($"{what} → lists tenant A's {property} {string.Join(", ", seen)}");
            }
        }
    }

    /// <summary>Opens an event stream and reads its opening (up to the "connected" comment), then lets it go.</summary>
    private static async Task<(int Status, string Body)> ReadStreamStartAsync(TenantClient identity, string url)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await identity.SendAsync(HttpMethod.Get, url, completion: HttpCompletionOption.ResponseHeadersRead, ct: cts.Token);
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cts.Token));
        var text = new StringBuilder();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token), Encoding.UTF8);
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            text.AppendLine(line);
            if (line == ": connected") break;
        }
        Assert.Contains(": connected", text.ToString(), StringComparison.Ordinal);
        return ((int)response.StatusCode, text.ToString());
    }

    /// <summary>The answer as text: an Excel workbook's XML parts (its sheets, strings and properties) unzipped.</summary>
    public static async Task<string> BodyTextAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (bytes.Length < 4 || bytes[0] != 'P' || bytes[1] != 'K') return Encoding.UTF8.GetString(bytes);
        var text = new StringBuilder();
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        foreach (var entry in zip.Entries)
        {
            using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
            text.Append(await reader.ReadToEndAsync());
        }
        return text.ToString();
    }

    private static List<long> NumbersNamed(string json, string property)
    {
        var found = new List<long>();
        try
        {
            Collect(JsonDocument.Parse(json).RootElement, property, found);
        }
        catch (JsonException)
        {
        }
        return found;
    }

    private static void Collect(JsonElement element, string property, List<long> found)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    if (p.Name == property && p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var n)) found.Add(n);
                    else Collect(p.Value, property, found);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Collect(item, property, found);
                break;
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    /// <summary>Per route and identity, how many calls got which status (for the test output).</summary>
    public IEnumerable<string> Summary() =>
        _calls.GroupBy(c => (c.Identity, c.Method, c.Route))
            .Select(g => $"{g.Key.Identity,-14} {g.Key.Method,-6} {g.Key.Route,-60} " +
                string.Join(" ", g.GroupBy(c => c.Status).OrderBy(s => s.Key).Select(s => $"{s.Key}x{s.Count()}")));

    /// <summary>The status a call was answered with (the walk must have made it).</summary>
    public int StatusOf(string identity, string method, string url) =>
        _calls.Single(c => c.Identity == identity && c.Method == method && c.Url == url).Status;
}
