using ImageMagick;

namespace GreenLoop.Pipeline.Optimise.Field;

/// <summary>
/// Thumbnails of field photos with Magick.NET (ImageMagick): turned upright by the photo's EXIF orientation, scaled so
/// the longest side is <see cref="MaxSide"/> px, encoded as a JPEG of quality <see cref="Quality"/> without metadata
/// (a PNG's transparency on white). Only JPEG and PNG are read — the coder is chosen from the bytes already checked by
/// <see cref="GreenLoop.Domain.Optimise.Field.PhotoFile"/>, never guessed — and pictures larger than
/// <see cref="MaxPixels"/> are not decoded. A photo whose picture data cannot be decoded gets no thumbnail (null).
/// </summary>
public static class PhotoThumbnail
{
    public const int MaxSide = 320;
    public const int Quality = 80;

    /// <summary>The largest picture decoded, pixels (a 108-megapixel phone camera).</summary>
    public const long MaxPixels = 108_000_000;

    static PhotoThumbnail()
    {
        ResourceLimits.Width = 20_000;
        ResourceLimits.Height = 20_000;
        ResourceLimits.Area = (ulong)MaxPixels;
    }

    /// <summary>The thumbnail of a checked JPEG or PNG (by <paramref name="contentType"/>), or null when it cannot be decoded.</summary>
    public static byte[]? Make(byte[] content, string contentType)
    {
        ArgumentNullException.ThrowIfNull(content);
        var settings = new MagickReadSettings { Format = contentType == "image/png" ? MagickFormat.Png : MagickFormat.Jpeg };
        // A JPEG is decoded at a reduced scale when it is much larger than the thumbnail (libjpeg's scaled decoding).
        if (settings.Format == MagickFormat.Jpeg) settings.SetDefine(MagickFormat.Jpeg, "size", $"{MaxSide * 2}x{MaxSide * 2}");
        try
        {
            using var image = new MagickImage(content, settings);
            image.AutoOrient();
            image.Thumbnail(new MagickGeometry(MaxSide, MaxSide));
            if (image.HasAlpha)
            {
                image.BackgroundColor = MagickColors.White;
                image.Alpha(AlphaAction.Remove);
            }
            image.Strip();
            image.Quality = Quality;
            return image.ToByteArray(MagickFormat.Jpeg);
        }
        catch (MagickException)
        {
            return null;
        }
    }
}
