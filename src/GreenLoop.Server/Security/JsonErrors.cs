using System.Text.RegularExpressions;
using System.Text.Json;

namespace GreenLoop.Server.Security;

/// <summary>Turns a <see cref="JsonException"/> of model binding into the field path and reason a person can act on.</summary>
internal static partial class JsonErrors
{
    /// <summary>"$.meters[0].unit" → "meters[0].unit"; the whole body → "body".</summary>
    public static string PathOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "body";
        var p = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return p.Length == 0 ? "body" : p;
    }

    /// <summary>The exception's message without the serializer's position suffix, with .NET type names in plain words.</summary>
    public static string Reason(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (Exception? inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner.Message.Contains("UTF-8", StringComparison.Ordinal)) return "is not valid UTF-8 text; send the body in UTF-8";
        }
        var message = exception.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        var converted = CouldNotConvert().Match(message);
        if (!converted.Success) return message.TrimEnd('.');
        var type = converted.Groups[1].Value;
        var expected = type switch
        {
            "System.String" => "text (a JSON string)",
            "System.Double" or "System.Single" or "System.Decimal" or "System.Nullable`1[System.Double]" => "a number",
            "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" => "a whole number",
            "System.Boolean" => "true or false",
            "System.DateTimeOffset" or "System.Nullable`1[System.DateTimeOffset]" => "an ISO 8601 instant with offset, e.g. 2026-03-01T08:00:00+08:00",
            _ when type.Contains("IReadOnlyList", StringComparison.Ordinal) || type.Contains("List`1", StringComparison.Ordinal) => "a list (a JSON array)",
            _ => $"a value of type {type[(type.LastIndexOf('.') + 1)..]}",
        };
        return $"expected {expected}";
    }

    [GeneratedRegex(@"could not be converted to ([^\s]+?)\.?$")]
    private static partial Regex CouldNotConvert();
}
