using System.Globalization;

namespace GreenLoop.Connectors.Import;

/// <summary>Parses timestamps with the configured exact formats (ISO 8601 by default), keeping any offset they carry.</summary>
internal sealed class StampParser
{
    private static readonly string[] _isoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mmK",
    ];

    private readonly string[] _formats;

    public StampParser(IReadOnlyList<string> formats)
    {
        _formats = formats.Count == 0 ? _isoFormats : [.. formats];
        Expected = formats.Count == 0
            ? "ISO 8601 such as 2018-01-01T00:15:00+09:00"
            : string.Join(" or ", formats);
    }

    /// <summary>What a stamp should look like, for reasons.</summary>
    public string Expected { get; }

    /// <summary>
    /// Reads a stamp. <paramref name="wall"/> is the clock time written in the file; <paramref name="offset"/> the
    /// offset written with it, or null when the stamp has none (then a time zone must place it).
    /// </summary>
    public bool TryParse(ReadOnlySpan<char> text, out DateTime wall, out TimeSpan? offset)
    {
        offset = null;
        if (!DateTime.TryParseExact(text, _formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out wall))
            return false;
        if (wall.Kind == DateTimeKind.Unspecified) return true;

        // The stamp carried an offset or Z (DateTime converted it away); read it again keeping the offset.
        if (!DateTimeOffset.TryParseExact(text, _formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var stamped))
            return false;
        wall = stamped.DateTime;
        offset = stamped.Offset;
        return true;
    }
}
