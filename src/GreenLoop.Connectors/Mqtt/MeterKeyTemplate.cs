using System.Text;

namespace GreenLoop.Connectors.Mqtt;

/// <summary>
/// A meter-key template such as <c>{site}.{key}</c> or <c>plant.main.kwh</c>: literal text with placeholders for named
/// topic levels and for <c>{key}</c>, the key the payload gives.
/// </summary>
internal sealed class MeterKeyTemplate
{
    /// <summary>The placeholder for the key taken from the payload.</summary>
    public const string KeyName = "key";

    private const int KeyPart = -1, LiteralPart = -2;

    private readonly (int Capture, string Literal)[] _parts;

    private MeterKeyTemplate(string text, (int, string)[] parts)
    {
        Text = text;
        _parts = parts;
        UsesKey = parts.Any(p => p.Item1 == KeyPart);
    }

    public string Text { get; }

    /// <summary>Whether the template needs a key from the payload.</summary>
    public bool UsesKey { get; }

    /// <summary>The template that is just <c>{key}</c>.</summary>
    public static MeterKeyTemplate Key { get; } = new("{key}", [(KeyPart, "")]);

    /// <summary>Parses a template against the names a topic captures; null and an error when it names something else.</summary>
    public static MeterKeyTemplate? Parse(string text, IReadOnlyList<string> names, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text)) { error = "must not be empty"; return null; }
        var parts = new List<(int, string)>();
        var pos = 0;
        while (pos < text.Length)
        {
            var open = text.IndexOf('{', pos);
            if (open < 0) { parts.Add((LiteralPart, text[pos..])); break; }
            if (open > pos) parts.Add((LiteralPart, text[pos..open]));
            var close = text.IndexOf('}', open);
            if (close < 0) { error = $"'{text}': '{{' at position {open} is not closed"; return null; }
            var name = text[(open + 1)..close];
            if (name == KeyName) parts.Add((KeyPart, ""));
            else
            {
                var index = IndexOf(names, name);
                if (index < 0)
                {
                    error = names.Count == 0
                        ? $"'{{{name}}}' is not a named level of the topic (the topic names none; name one like plant/{{meter}}/energy) and not {{key}}"
                        : $"'{{{name}}}' is not a named level of the topic ({string.Join(", ", names.Select(n => "{" + n + "}"))}) and not {{key}}";
                    return null;
                }
                parts.Add((index, ""));
            }
            pos = close + 1;
        }
        if (parts.Any(p => p.Item1 == LiteralPart && p.Item2.Contains('}', StringComparison.Ordinal)))
        {
            error = $"'{text}': '}}' without '{{'";
            return null;
        }
        return new MeterKeyTemplate(text, [.. parts]);
    }

    /// <summary>The meter key for one reading.</summary>
    public string Render(string[] captures, string? key)
    {
        if (_parts.Length == 1)
        {
            var (capture, literal) = _parts[0];
            return capture switch { KeyPart => key ?? "", LiteralPart => literal, _ => captures[capture] };
        }
        var sb = new StringBuilder(48);
        foreach (var (capture, literal) in _parts)
            sb.Append(capture switch { KeyPart => key, LiteralPart => literal, _ => captures[capture] });
        return sb.ToString();
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++) if (names[i] == name) return i;
        return -1;
    }
}
