using System.Buffers.Binary;

namespace GreenLoop.Domain.Optimise.Field;

/// <summary>
/// A photo checked and cleaned: its content type and bytes, whether metadata was removed, and the EXIF orientation
/// (1-8; 1 = as stored) that was kept so a phone's portrait photo still shows upright.
/// </summary>
public sealed record CleanPhoto(string ContentType, byte[] Content, bool MetadataRemoved, int Orientation = 1);

/// <summary>
/// Checks an uploaded photo by its bytes (not by its name or declared type): a JPEG or PNG whose structure reads to the
/// end, at most <see cref="MaxBytes"/>. Metadata that can carry the location is removed unless the plant keeps it: the
/// JPEG APP1 segments (EXIF, XMP) and the PNG <c>eXIf</c>, <c>tEXt</c>, <c>zTXt</c>, <c>iTXt</c> chunks; the picture
/// data are copied unchanged. A JPEG whose EXIF says it is turned (orientation 2-8, as phones store portrait photos)
/// keeps a new EXIF segment holding only that orientation. A file that is not a well-formed JPEG or PNG is refused
/// with the reason.
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
        var orientation = 1;
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
            if (marker == 0xE1 && !keep)
            {
                removed = true;
                var turned = ExifOrientation(b.AsSpan(i + 4, length - 2));
                if (turned is >= 2 and <= 8 && orientation == 1)
                {
                    orientation = turned;
                    output.Write(OrientationOnlyExif(turned));
                }
            }
            else
            {
                if (marker == 0xE1 && ExifOrientation(b.AsSpan(i + 4, length - 2)) is >= 1 and <= 8 and var kept) orientation = kept;
                output.Write(b, i, 2 + length);
            }
            i += 2 + length;
        }
        return (new CleanPhoto("image/jpeg", output.ToArray(), removed, orientation), null);
    }

    /// <summary>
    /// The orientation tag (0x0112) of IFD0 of an APP1 EXIF payload (<c>Exif\0\0</c> and a TIFF structure, either byte
    /// order), or 0 when there is none or the structure does not read.
    /// </summary>
    public static int ExifOrientation(ReadOnlySpan<byte> app1)
    {
        if (app1.Length < 14 || !app1[..6].SequenceEqual("Exif\0\0"u8)) return 0;
        var tiff = app1[6..];
        var little = tiff[0] == (byte)'I' && tiff[1] == (byte)'I';
        if (!little && !(tiff[0] == (byte)'M' && tiff[1] == (byte)'M')) return 0;
        ushort U16(ReadOnlySpan<byte> x) => little ? BinaryPrimitives.ReadUInt16LittleEndian(x) : BinaryPrimitives.ReadUInt16BigEndian(x);
        uint U32(ReadOnlySpan<byte> x) => little ? BinaryPrimitives.ReadUInt32LittleEndian(x) : BinaryPrimitives.ReadUInt32BigEndian(x);
        if (U16(tiff[2..]) != 42) return 0;
        var ifd = U32(tiff[4..]);
        if (ifd > (uint)tiff.Length - 2) return 0;
        var count = U16(tiff[(int)ifd..]);
        for (var k = 0; k < count; k++)
        {
            var at = (int)ifd + 2 + 12 * k;
            if (at + 12 > tiff.Length) return 0;
            if (U16(tiff[at..]) != 0x0112) continue;
            // SHORT, one value, held in the first two bytes of the value field.
            return U16(tiff[(at + 2)..]) == 3 && U32(tiff[(at + 4)..]) == 1 ? U16(tiff[(at + 8)..]) : 0;
        }
        return 0;
    }

    /// <summary>An APP1 segment whose EXIF holds the orientation and nothing else (big-endian TIFF, one IFD0 entry).</summary>
    public static byte[] OrientationOnlyExif(int orientation)
    {
        byte[] data =
        [
            .. "Exif\0\0"u8, (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8,
            0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte)orientation, 0, 0,
            0, 0, 0, 0,
        ];
        return [0xFF, 0xE1, 0, (byte)(data.Length + 2), .. data];
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
