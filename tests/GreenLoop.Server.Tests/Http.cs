using System.Net.Http.Json;
using System.Text.Json;

namespace GreenLoop.Server.Tests;

/// <summary>Small helpers over HttpClient for the API tests.</summary>
internal static class Http
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Polls <c>GET /health</c> until no derivation is pending; fails after <paramref name="timeout"/>.</summary>
    public static async Task WaitForDerivationAsync(HttpClient client, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        var last = -1L;
        while (!cts.IsCancellationRequested)
        {
            var health = await client.GetFromJsonAsync<JsonElement>("/health", cts.Token);
            last = health.GetProperty("pendingDerivation").GetInt64();
            if (last == 0) return;
            await Task.Delay(20, cts.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        Assert.Fail($"derivation still pending after the timeout ({last} meters)");
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
