using System.Buffers.Binary;

namespace GreenLoop.Domain.Optimise.Field;

/// <summary>A photo checked and cleaned: its content type and bytes, and whether metadata was removed.</summary>
public sealed record CleanPhoto(string ContentType, byte[] Content, bool MetadataRemoved);

/// <summary>
/// Checks an uploaded photo by its bytes (not by its name or declared type): a JPEG or PNG whose structure reads to the
/// end, at most <see cref="MaxBytes"/>. Metadata that can carry the location is removed unless the plant keeps it: the
/// JPEG APP1 segments (EXIF, XMP) and the PNG <c>eXIf</c>, <c>tEXt</c>, <c>zTXt</c>, <c>iTXt</c> chunks; the picture
/// data are copied unchanged. A file that is not a well-formed JPEG or PNG is refused with the reason.
/// </summary>
public static class PhotoFile
{
    /// <summary>Largest photo, bytes (a phone's full-size JPEG is 2-6 MB).</summary>
    public const int MaxBytes = 8 * 1024 * 1024;

    /// <summary>The cleaned photo, or the reason it is refused.</summary>
    public static (CleanPhoto? Photo, string? Error) Clean(byte[] content, bool keepMetadata = false)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length == 0) return (null, "the file is empty");
        if (content.Length > MaxBytes) return (null, $"the file has {content.Length} bytes; at most {MaxBytes / 1024 / 1024} MB");
        if (content.Length >= 3 && content[0] == 0xFF && content[1] == 0xD8 && content[2] == 0xFF) return Jpeg(content, keepMetadata);
        if (content.Length >= 8 && content.AsSpan(0, 8).SequenceEqual(_pngSignature)) return Png(content, keepMetadata);
        return (null, "not a JPEG or PNG picture (checked by its content, not its name)");
    }

    private static readonly byte[] _pngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static (CleanPhoto?, string?) Jpeg(byte[] b, bool keep)
    {
        using var output = new MemoryStream(b.Length);
        output.Write(b, 0, 2);
        var removed = false;
        var i = 2;
        while (true)
        {
            if (i + 4 > b.Length) return (null, "a malformed JPEG: it ends inside a segment header");
            if (b[i] != 0xFF) return (null, $"a malformed JPEG: no segment marker at byte {i}");
            var marker = b[i + 1];
            if (marker == 0xD9) return (null, "a malformed JPEG: it ends before its picture data");
            var length = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(i + 2, 2));
            if (length < 2 || i + 2 + length > b.Length) return (null, $"a malformed JPEG: segment at byte {i} runs past the end of the file");
            if (marker == 0xDA)
            {
                // Start of scan: the entropy-coded data follow to the end; they must end with the end-of-image marker.
                if (b[^2] != 0xFF || b[^1] != 0xD9) return (null, "a malformed JPEG: no end-of-image marker (the file is cut short)");
                output.Write(b, i, b.Length - i);
                break;
            }
            if (marker == 0xE1 && !keep) removed = true;
            else output.Write(b, i, 2 + length);
            i += 2 + length;
        }
        return (new CleanPhoto("image/jpeg", output.ToArray(), removed), null);
    }

    private static readonly string[] _textChunks = ["eXIf", "tEXt", "zTXt", "iTXt"];

    private static (CleanPhoto?, string?) Png(byte[] b, bool keep)
    {
        using var output = new MemoryStream(b.Length);
        output.Write(b, 0, 8);
        var removed = false;
        var i = 8;
        var first = true;
        while (true)
        {
            if (i + 12 > b.Length) return (null, "a malformed PNG: it ends inside a chunk (no IEND)");
            var length = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(i, 4));
            if (length > int.MaxValue || i + 12 + (long)length > b.Length) return (null, $"a malformed PNG: chunk at byte {i} runs past the end of the file");
            var type = System.Text.Encoding.ASCII.GetString(b, i + 4, 4);
            if (first && type != "IHDR") return (null, "a malformed PNG: the first chunk is not IHDR");
            first = false;
            var size = 12 + (int)length;
            if (!keep && _textChunks.Contains(type)) removed = true;
            else output.Write(b, i, size);
            i += size;
            if (type == "IEND") break;
        }
        return (new CleanPhoto("image/png", output.ToArray(), removed), null);
    }
}
