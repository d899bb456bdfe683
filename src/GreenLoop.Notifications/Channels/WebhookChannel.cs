using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace GreenLoop.Notifications.Channels;

/// <summary>
/// Generic webhook: POSTs the <see cref="NotificationMessage"/> as camelCase JSON. With a secret, the header
/// <c>X-GreenLoop-Signature: sha256=&lt;lower-case hex HMAC-SHA256 of the exact body bytes, keyed with the UTF-8
/// secret&gt;</c> lets the receiver check the sender (the scheme GitHub webhooks use for X-Hub-Signature-256).
/// Any 2xx answer counts as delivered.
/// </summary>
internal sealed class WebhookChannel(ChannelDefinition definition, HttpClient http) : INotificationChannel
{
    public const string SignatureHeader = "X-GreenLoop-Signature";

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly Uri _url = new(definition.Url!);

    public ChannelDefinition Definition { get; } = definition;

    public async Task<DeliveryResult> SendAsync(NotificationMessage message, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(message, _json);
        var secret = Definition.Secret;
        var answer = await HttpDelivery.PostAsync(http, _url, body, request =>
        {
            if (!string.IsNullOrEmpty(secret))
                request.Headers.TryAddWithoutValidation(SignatureHeader, "sha256=" + Sign(body, secret));
        }, ct);
        return HttpDelivery.ByStatus(answer);
    }

    internal static string Sign(byte[] body, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
