using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace GreenLoop.Notifications.Channels;

/// <summary>Posting JSON and reading the answer, shared by the HTTP channels.</summary>
internal static class HttpDelivery
{
    /// <summary>Chinese stays readable in the body; HTML-sensitive characters are still escaped.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static byte[] Utf8(JsonObject payload) => JsonSerializer.SerializeToUtf8Bytes(payload, Json);

    /// <summary>What came back: the status and the body, or a failure if nothing did.</summary>
    public readonly record struct Answer(int Status, string Body, DeliveryResult? NoAnswer)
    {
        public bool IsSuccessStatus => Status is >= 200 and < 300;
    }

    public static async Task<Answer> PostAsync(
        HttpClient http, Uri url, byte[] body, Action<HttpRequestMessage>? decorate, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        decorate?.Invoke(request);
        try
        {
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            return new Answer((int)response.StatusCode, text, null);
        }
        catch (HttpRequestException ex)
        {
            return new Answer(0, "", DeliveryResult.Failure($"HTTP request failed: {ex.Message}", null, retryable: true));
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            // HttpClient.Timeout elapsed (the caller did not cancel).
            return new Answer(0, "", DeliveryResult.Failure($"no answer within {http.Timeout.TotalSeconds:0.#} s", null, retryable: true));
        }
    }

    /// <summary>HTTP status alone decides (generic webhooks): any 2xx is delivered.</summary>
    public static DeliveryResult ByStatus(Answer answer) =>
        answer.NoAnswer ?? (answer.IsSuccessStatus
            ? DeliveryResult.Success(answer.Status)
            : DeliveryResult.Failure($"HTTP {answer.Status}: {Snippet(answer.Body)}", answer.Status, IsRetryableStatus(answer.Status)));

    /// <summary>
    /// Robot platforms answer with a JSON error code, 0 meaning sent; they may report errors with HTTP 200.
    /// <paramref name="codeNames"/> and <paramref name="messageNames"/> are tried in order.
    /// </summary>
    public static DeliveryResult ByPlatformCode(
        Answer answer, string[] codeNames, string[] messageNames, IReadOnlySet<long> rateLimitCodes)
    {
        if (answer.NoAnswer is { } none) return none;
        var platform = TryReadCode(answer.Body, codeNames, messageNames);
        if (!answer.IsSuccessStatus)
        {
            var error = platform is { } p
                ? $"HTTP {answer.Status}, {p.Name} {p.Code}: {p.Message}"
                : $"HTTP {answer.Status}: {Snippet(answer.Body)}";
            var retry = IsRetryableStatus(answer.Status) || (platform is { } q && rateLimitCodes.Contains(q.Code));
            return DeliveryResult.Failure(error, answer.Status, retry);
        }
        if (platform is not { } code)
            return DeliveryResult.Failure($"unexpected answer (no {codeNames[0]}): {Snippet(answer.Body)}", answer.Status, retryable: false);
        return code.Code == 0
            ? DeliveryResult.Success(answer.Status)
            : DeliveryResult.Failure($"{code.Name} {code.Code}: {code.Message}", answer.Status, rateLimitCodes.Contains(code.Code));
    }

    public static bool IsRetryableStatus(int status) => status is 408 or 429 or >= 500;

    private static (string Name, long Code, string Message)? TryReadCode(string body, string[] codeNames, string[] messageNames)
    {
        try
        {
            if (JsonNode.Parse(body) is not JsonObject obj) return null;
            foreach (var name in codeNames)
            {
                if (obj[name] is JsonValue value && value.TryGetValue<long>(out var code))
                {
                    var message = messageNames.Select(n => obj[n] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null)
                        .FirstOrDefault(s => s is not null) ?? "";
                    return (name, code, message);
                }
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Snippet(string body) => body.Length <= 200 ? body : string.Concat(body.AsSpan(0, 200), "…");
}
