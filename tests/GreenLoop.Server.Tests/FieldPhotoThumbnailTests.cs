using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Domain.Optimise.Field;
using ImageMagick;

namespace GreenLoop.Server.Tests;

/// <summary>
/// Thumbnails of field photos (issue 15, item 4) through the real server: a phone's portrait photo (stored landscape with
/// EXIF orientation 6) gets a 240 × 320 JPEG thumbnail turned upright — the photo's left half at the top, by a hand
/// rotation — while the photo itself is served as stored; a photo whose picture cannot be decoded has none and its
/// thumbnail request answers the photo; an unknown size is refused with the sizes named.
/// </summary>
public sealed class FieldPhotoThumbnailTests : IAsyncLifetime
{
    private const string Site = "thumbs";
    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _client = null!;

    private const string SiteJson = """
        {"key":"thumbs","name":"Thumbnail plant","timeZone":"Asia/Shanghai","nodes":[{"key":"kiln","name":"Kiln"}],
         "meters":[{"key":"thumbs.main","name":"Main","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":60}]}
        """;

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        (await _client.PutAsync($"/api/v1/sites/{Site}", new StringContent(SiteJson, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    /// <summary>A 640 × 480 JPEG, left half red and right half blue, with an EXIF segment saying "turn 90° clockwise to show" (orientation 6).</summary>
    private static byte[] TurnedPhoto()
    {
        using var image = new MagickImage(MagickColors.Blue, 640, 480);
        image.Draw(new ImageMagick.Drawing.Drawables().FillColor(MagickColors.Red).Rectangle(0, 0, 319, 479));
        image.Strip();
        image.Quality = 90;
        var jpeg = image.ToByteArray(MagickFormat.Jpeg);
        return [.. jpeg[..2], .. PhotoFile.OrientationOnlyExif(6), .. jpeg[2..]];
    }

    private async Task<JsonElement> AttachAsync(long order, byte[] content, string name)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue("image/jpeg") } }, "file", name },
            { new StringContent("before"), "item" },
        };
        using var response = await _client.PostAsync($"/api/v1/sites/{Site}/work-orders/{order}/photos", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<(HttpStatusCode Status, string? Type, byte[] Body)> GetAsync(string url)
    {
        using var response = await _client.GetAsync(url);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task PortraitPhoto_ThumbnailUpright240x320_PhotoAsStored_UndecodablePhotoAnswersItself_UnknownSize400()
    {
        using var created = await _client.PostAsJsonAsync($"/api/v1/sites/{Site}/work-orders", new { title = "Cracked kiln car", node = "kiln", priority = "Medium" });
        var order = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var original = TurnedPhoto();
        var photo = await AttachAsync(order, original, "kiln-car.jpg");
        var broken = await AttachAsync(order, FieldPhotos.Jpeg(), "no-picture.jpg");
        var url = $"/api/v1/sites/{Site}/field-photos/{photo.GetProperty("id").GetInt64()}";

        var thumb = await GetAsync(url + "?size=thumb");
        var full = await GetAsync(url);
        var brokenThumb = await GetAsync($"/api/v1/sites/{Site}/field-photos/{broken.GetProperty("id").GetInt64()}?size=thumb");
        var (badSize, _, badBody) = await GetAsync(url + "?size=huge");

        Assert.True(photo.GetProperty("thumbnail").GetBoolean());
        Assert.False(broken.GetProperty("thumbnail").GetBoolean());
        Assert.Equal((HttpStatusCode.OK, "image/jpeg"), (thumb.Status, thumb.Type));
        using (var small = new MagickImage(thumb.Body))
        {
            // Orientation 6: the stored picture turned 90° clockwise, so 640 × 480 shows as 480 × 640, scaled to 240 × 320;
            // its left (red) half becomes the top half.
            Assert.Equal((240u, 320u, MagickFormat.Jpeg), (small.Width, small.Height, small.Format));
            using var pixels = small.GetPixels();
            var top = pixels.GetPixel(120, 40)!.ToColor()!;
            var bottom = pixels.GetPixel(120, 280)!.ToColor()!;
            Assert.True(top.R > 200 && top.B < 60, $"top {top}");
            Assert.True(bottom.B > 200 && bottom.R < 60, $"bottom {bottom}");
            Assert.Null(small.GetExifProfile());
        }
        Assert.Equal((HttpStatusCode.OK, "image/jpeg"), (full.Status, full.Type));
        Assert.Equal(original, full.Body);
        Assert.Equal(FieldPhotos.JpegCleaned(), brokenThumb.Body);
        Assert.Equal(HttpStatusCode.BadRequest, badSize);
        Assert.Contains("thumb", Encoding.UTF8.GetString(badBody), StringComparison.Ordinal);
    }
}
