using System.Net.Http.Json;
using System.Text.Json;

namespace GreenLoop.Testing;

/// <summary>Small helpers over HttpClient for the tests that talk to a server.</summary>
public static class Http
{
    /// <summary>
    /// Polls <c>GET /health</c> until no derivation is pending; fails after <paramref name="timeout"/> (default 60 s) with
    /// the count still pending and <paramref name="context"/> (the server's errors, say).
    /// </summary>
    public static async Task WaitForDerivationAsync(HttpClient client, TimeSpan? timeout = null, Func<string>? context = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        await Wait.ForAsync(
            async () => (await client.GetFromJsonAsync<JsonElement>("/health")).GetProperty("pendingDerivation").GetInt64(),
            pending => pending == 0,
            pending => $"no derivation pending ({pending} meters still are){(context is null ? "" : "; " + context())}",
            timeout ?? TimeSpan.FromSeconds(60));
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
