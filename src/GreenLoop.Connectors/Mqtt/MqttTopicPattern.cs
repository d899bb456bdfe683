namespace GreenLoop.Connectors.Mqtt;

/// <summary>
/// A subscription topic with optional named levels: <c>site/{site}/{meter}</c> subscribes as <c>site/+/+</c> and, for a
/// message on <c>site/north/kiln1</c>, captures site = north and meter = kiln1. Matching follows the MQTT rules for
/// <c>+</c> (one level) and <c>#</c> (the rest, possibly nothing).
/// </summary>
internal sealed class MqttTopicPattern
{
    private const int Literal = 0, Single = 1, Rest = 2, Named = 3;

    private readonly (int Kind, string Text, int Capture)[] _levels;

    private MqttTopicPattern(string filter, (int, string, int)[] levels, IReadOnlyList<string> names)
    {
        Filter = filter;
        _levels = levels;
        Names = names;
    }

    /// <summary>The filter sent to the broker: named levels become <c>+</c>.</summary>
    public string Filter { get; }

    /// <summary>Names of the captured levels, in order.</summary>
    public IReadOnlyList<string> Names { get; }

    public static MqttTopicPattern? Parse(string topic, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(topic)) { error = "must not be empty"; return null; }
        if (topic.StartsWith("$share/", StringComparison.Ordinal)) { error = "shared subscriptions ($share/...) are not supported"; return null; }
        var parts = topic.Split('/');
        var levels = new (int, string, int)[parts.Length];
        var names = new List<string>();
        for (var i = 0; i < parts.Length; i++)
        {
            var p = parts[i];
            if (p == "#")
            {
                if (i != parts.Length - 1) { error = "'#' must be the last level"; return null; }
                levels[i] = (Rest, p, -1);
            }
            else if (p == "+") levels[i] = (Single, p, -1);
            else if (p.Length > 2 && p[0] == '{' && p[^1] == '}')
            {
                var name = p[1..^1];
                if (!IsName(name)) { error = $"'{p}': a level name is letters, digits and '_'"; return null; }
                if (name == MeterKeyTemplate.KeyName) { error = $"'{{{MeterKeyTemplate.KeyName}}}' is reserved for the key the payload gives; name the level otherwise"; return null; }
                if (names.Contains(name)) { error = $"the level name '{name}' is used twice"; return null; }
                levels[i] = (Named, name, names.Count);
                names.Add(name);
            }
            else if (p.Contains('+') || p.Contains('#')) { error = $"'{p}': '+' and '#' must stand alone in a level"; return null; }
            else if (p.Contains('{') || p.Contains('}')) { error = $"'{p}': a named level is a whole level, e.g. plant/{{meter}}/energy"; return null; }
            else levels[i] = (Literal, p, -1);
        }
        return new MqttTopicPattern(string.Join('/', levels.Select(l => l.Item1 == Named ? "+" : l.Item2)), levels, names);
    }

    /// <summary>True when <paramref name="topic"/> matches; <paramref name="captures"/> (length <see cref="Names"/>.Count) receives the named levels.</summary>
    public bool TryMatch(string topic, string[] captures)
    {
        var pos = 0;
        for (var i = 0; i < _levels.Length; i++)
        {
            var (kind, text, capture) = _levels[i];
            if (kind == Rest) return i > 0 || topic.Length == 0 || topic[0] != '$';
            if (pos > topic.Length) return false;
            var end = topic.IndexOf('/', pos);
            if (end < 0) end = topic.Length;
            var level = topic.AsSpan(pos, end - pos);
            switch (kind)
            {
                case Literal when !level.SequenceEqual(text):
                    return false;
                case Single or Named when i == 0 && level.Length > 0 && level[0] == '$':
                    // Wildcards never match topics starting with '$' (MQTT 3.1.1 section 4.7.2).
                    return false;
                case Named:
                    captures[capture] = level.ToString();
                    break;
            }
            pos = end + 1;
        }
        // Every level consumed and nothing left over: pos is then exactly one past the end.
        return pos == topic.Length + 1;
    }

    internal static bool IsName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
