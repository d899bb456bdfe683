using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GreenLoop.Domain.Model;

/// <summary>
/// Reads an ISO 8601 instant only when it states its offset (<c>Z</c> or <c>±hh:mm</c>); a local time without one is
/// ambiguous (which zone?) and is refused with a <see cref="JsonException"/> that names it, instead of being taken as
/// the server's own zone. Writes as System.Text.Json does by default.
/// </summary>
public sealed class InstantWithOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("expected an ISO 8601 instant with offset as a string, e.g. \"2026-03-01T08:00:00+08:00\"");
        var text = reader.GetString() ?? "";
        var t = text.Trim();
        var hasOffset = t.EndsWith('Z') || t.EndsWith('z') || (t.Length > 6 && t[^6] is '+' or '-' && t[^3] == ':');
        if (!hasOffset) throw new JsonException($"'{text}' has no UTC offset; add one (e.g. +08:00 or Z) so the instant is unambiguous");
        if (!DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            throw new JsonException($"'{text}' is not an ISO 8601 instant, e.g. 2026-03-01T08:00:00+08:00");
        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
