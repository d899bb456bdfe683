using System.Buffers.Binary;
using System.Text;
using GreenLoop.Domain.Optimise.Field;

namespace GreenLoop.Domain.Tests.Optimise;

/// <summary>
/// Field work's pure parts: photos checked by their bytes with the location-carrying metadata removed, round schedules
/// and the states of their occurrences against a hand table, and the judgement of checklist answers.
/// </summary>
public sealed class FieldDomainTests
{
    // ---------------------------------------------------------------------------------------------------------------
    // Photos, built byte by byte.

    private static byte[] Segment(byte marker, byte[] payload)
    {
        var s = new byte[4 + payload.Length];
        (s[0], s[1]) = ((byte)0xFF, marker);
        BinaryPrimitives.WriteUInt16BigEndian(s.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(s, 4);
        return s;
    }

    private static readonly byte[] _gps = Encoding.ASCII.GetBytes("Exif\0\0GPSLatitude=23.0215N;GPSLongitude=113.1214E");
    private static readonly byte[] _quant = Enumerable.Range(0, 65).Select(i => (byte)i).ToArray();
    private static readonly byte[] _scan = [0x01, 0x02, 0x03, 0xFF, 0x00, 0x04];

    private static byte[] Jpeg(bool exif = true, bool end = true)
    {
        var parts = new List<byte[]> { new byte[] { 0xFF, 0xD8 } };
        if (exif) parts.Add(Segment(0xE1, _gps));
        parts.Add(Segment(0xDB, _quant));
        parts.Add(Segment(0xDA, [0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]));
        parts.Add(_scan);
        if (end) parts.Add([0xFF, 0xD9]);
        return [.. parts.SelectMany(p => p)];
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var c = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(c, (uint)data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(c, 4);
        data.CopyTo(c, 8);
        return c; // The CRC is not checked (the picture data are copied unchanged).
    }

    private static byte[] Png(bool text = true) =>
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A,
        .. Chunk("IHDR", new byte[13]),
        .. text ? Chunk("tEXt", Encoding.ASCII.GetBytes("GPS\0" + "23.02N 113.12E")) : [],
        .. Chunk("IDAT", [0x78, 0x9C, 0x01]),
        .. Chunk("IEND", []),
    ];

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    /// <summary>
    /// An EXIF payload as a phone writes it, in either byte order: IFD0 with Make (ASCII, stored elsewhere), the
    /// orientation (SHORT) and the GPS IFD pointer; the GPS IFD with the latitude reference; the strings after them.
    /// </summary>
    private static byte[] Exif(bool little, ushort orientation)
    {
        var t = new byte[200];
        void U16(int at, ushort v) { if (little) BinaryPrimitives.WriteUInt16LittleEndian(t.AsSpan(at), v); else BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(at), v); }
        void U32(int at, uint v) { if (little) BinaryPrimitives.WriteUInt32LittleEndian(t.AsSpan(at), v); else BinaryPrimitives.WriteUInt32BigEndian(t.AsSpan(at), v); }
        (t[0], t[1]) = little ? ((byte)'I', (byte)'I') : ((byte)'M', (byte)'M');
        U16(2, 42);
        U32(4, 8);
        U16(8, 3);
        // Make: ASCII, 7 bytes at offset 100.
        U16(10, 0x010F); U16(12, 2); U32(14, 7); U32(18, 100);
        // Orientation: SHORT, 1 value.
        U16(22, 0x0112); U16(24, 3); U32(26, 1); U16(30, orientation);
        // GPS IFD at offset 60, no next IFD.
        U16(34, 0x8825); U16(36, 4); U32(38, 1); U32(42, 60);
        U32(46, 0);
        // GPSLatitudeRef: ASCII, 2 bytes held in the entry ("N\0").
        U16(60, 1);
        U16(62, 0x0001); U16(64, 2); U32(66, 2);
        t[70] = (byte)'N';
        U32(74, 0);
        Encoding.ASCII.GetBytes("Phone1\0").CopyTo(t, 100);
        Encoding.ASCII.GetBytes("GPSLatitude=23.0215N").CopyTo(t, 120);
        return [.. "Exif\0\0"u8, .. t];
    }

    private static byte[] TurnedJpeg(bool little, ushort orientation) =>
    [
        0xFF, 0xD8, .. Segment(0xE1, Exif(little, orientation)), .. Segment(0xDB, _quant),
        .. Segment(0xDA, [0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]), .. _scan, 0xFF, 0xD9,
    ];

    [Theory]
    [InlineData(true, 6)]
    [InlineData(false, 8)]
    [InlineData(true, 3)]
    public void Clean_TurnedPhoneJpeg_KeepsOnlyTheOrientation_LocationAndMakeGone_PictureUnchanged(bool little, int orientation)
    {
        var original = TurnedJpeg(little, (ushort)orientation);
        var (photo, error) = PhotoFile.Clean(original);

        Assert.Null(error);
        Assert.Equal(orientation, PhotoFile.ExifOrientation(Exif(little, (ushort)orientation)));
        Assert.Equal(orientation, photo!.Orientation);
        Assert.True(photo.MetadataRemoved);
        Assert.False(Contains(photo.Content, Encoding.ASCII.GetBytes("GPSLatitude")));
        Assert.False(Contains(photo.Content, Encoding.ASCII.GetBytes("Phone1")));
        // SOI, then the new APP1 written by hand here: "Exif\0\0", big-endian TIFF, one IFD0 entry (0x0112, SHORT, 1, value), no next IFD.
        byte[] app1 = [0xFF, 0xE1, 0x00, 0x22, .. "Exif\0\0"u8, 0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x01, 0x12, 0x00, 0x03,
            0x00, 0x00, 0x00, 0x01, 0x00, (byte)orientation, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
        Assert.Equal([0xFF, 0xD8, .. app1], photo.Content[..(2 + app1.Length)]);
        Assert.Equal(orientation, PhotoFile.ExifOrientation(app1.AsSpan(4)));
        // Everything after the old APP1 is copied unchanged.
        var rest = original[(2 + 4 + Exif(little, (ushort)orientation).Length)..];
        Assert.Equal(rest, photo.Content[(2 + app1.Length)..]);
    }

    [Fact]
    public void Clean_UprightJpeg_NoExifLeft_OrientationOne()
    {
        var (photo, _) = PhotoFile.Clean(TurnedJpeg(little: true, orientation: 1));
        Assert.Equal(1, photo!.Orientation);
        Assert.False(Contains(photo.Content, "Exif"u8.ToArray()));
    }

    [Theory]
    [InlineData(new byte[] { 0x45, 0x78, 0x69, 0x66, 0, 0, 0x49, 0x49, 0x2A, 0x00, 0xFF, 0xFF, 0xFF, 0x7F })]
    [InlineData(new byte[] { 0x45, 0x78, 0x69, 0x66, 0, 0, 0x58, 0x58, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x68, 0x74, 0x74, 0x70 })]
    public void ExifOrientation_OutOfRangeOffsetWrongOrderOrXmp_Zero(byte[] app1) => Assert.Equal(0, PhotoFile.ExifOrientation(app1));

    [Fact]
    public void Jpeg_TheExifSegmentIsRemoved_EverythingElseKeptByteForByte()
    {
        var (photo, error) = PhotoFile.Clean(Jpeg());

        Assert.Null(error);
        Assert.Equal("image/jpeg", photo!.ContentType);
        Assert.True(photo.MetadataRemoved);
        Assert.False(Contains(photo.Content, Encoding.ASCII.GetBytes("GPSLatitude")));
        // What is left is exactly the file without its APP1 segment.
        Assert.Equal(Jpeg(exif: false), photo.Content);
    }

    [Fact]
    public void Jpeg_KeptWhenThePlantKeepsLocations()
    {
        var (photo, _) = PhotoFile.Clean(Jpeg(), keepMetadata: true);

        Assert.Equal(Jpeg(), photo!.Content);
        Assert.False(photo.MetadataRemoved);
    }

    [Fact]
    public void Png_TextChunksRemoved_PictureChunksKept()
    {
        var (photo, error) = PhotoFile.Clean(Png());

        Assert.Null(error);
        Assert.Equal("image/png", photo!.ContentType);
        Assert.Equal(Png(text: false), photo.Content);
    }

    [Theory]
    [InlineData("text", "not a JPEG or PNG")]
    [InlineData("cut-jpeg", "no end-of-image marker")]
    [InlineData("cut-png", "malformed PNG")]
    [InlineData("empty", "empty")]
    [InlineData("segment-past-end", "runs past the end")]
    public void Malformed_RefusedWithTheReason(string kind, string reason)
    {
        var bytes = kind switch
        {
            "text" => Encoding.UTF8.GetBytes("<html>not a photo</html>"),
            "cut-jpeg" => Jpeg(end: false),
            "cut-png" => Png()[..^12],
            "empty" => [],
            _ => [0xFF, 0xD8, 0xFF, 0xE1, 0x40, 0x00, 0x01],
        };

        var (photo, error) = PhotoFile.Clean(bytes);

        Assert.Null(photo);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Oversized_RefusedBeforeReading()
    {
        var big = new byte[PhotoFile.MaxBytes + 1];
        (big[0], big[1], big[2]) = (0xFF, 0xD8, 0xFF);

        var (photo, error) = PhotoFile.Clean(big);

        Assert.Null(photo);
        Assert.Contains("at most 8 MB", error, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Schedules.

    [Fact]
    public void Weekly_OccursOnItsDaysOnly_ShiftsEveryTimeInOrder()
    {
        var weekly = new RoundSchedule { Kind = ScheduleKind.Weekly, Times = ["10:00"], Weekdays = ["mon", "thu"] };
        // 2026-12-07 is a Monday: Mon 7, Thu 10, Mon 14.
        Assert.Equal([new DateTime(2026, 12, 7, 10, 0, 0), new DateTime(2026, 12, 10, 10, 0, 0), new DateTime(2026, 12, 14, 10, 0, 0)],
            weekly.Occurrences(new DateOnly(2026, 12, 7), new DateOnly(2026, 12, 14)));
        var shifts = new RoundSchedule { Kind = ScheduleKind.Shift, Times = ["16:00", "08:00", "00:00"] };
        Assert.Equal([new DateTime(2026, 12, 7, 0, 0, 0), new DateTime(2026, 12, 7, 8, 0, 0), new DateTime(2026, 12, 7, 16, 0, 0)],
            shifts.Occurrences(new DateOnly(2026, 12, 7), new DateOnly(2026, 12, 7)));
        Assert.Empty(new RoundSchedule { Kind = ScheduleKind.OnEvent }.Occurrences(new DateOnly(2026, 12, 7), new DateOnly(2026, 12, 31)));
    }

    [Fact]
    public void Schedule_Invalid_NamesTheField()
    {
        Assert.Contains("schedule.times", new RoundSchedule { Times = ["25:00"] }.Validate().Keys);
        Assert.Contains("schedule.weekdays", new RoundSchedule { Kind = ScheduleKind.Weekly, Weekdays = [] }.Validate().Keys);
        Assert.Contains("schedule.windowMinutes", new RoundSchedule { WindowMinutes = 2 }.Validate().Keys);
        Assert.Empty(new RoundSchedule().Validate());
    }

    [Fact]
    public void OccurrenceStates_EqualAHandTable()
    {
        // Due 09:00 with a 60-minute window; the next occurrence at 15:00.
        var due = new DateTime(2026, 12, 7, 9, 0, 0);
        var next = new DateTime(2026, 12, 7, 15, 0, 0);
        DateTime At(int h, int m = 0) => new(2026, 12, 7, h, m, 0);
        var table = new (DateTime? Submitted, DateTime Now, OccurrenceState State)[]
        {
            (null, At(8, 59), OccurrenceState.Upcoming),
            (null, At(9, 0), OccurrenceState.Due),
            (null, At(10, 0), OccurrenceState.Due),
            (null, At(10, 1), OccurrenceState.Overdue),
            (null, At(14, 59), OccurrenceState.Overdue),
            (null, At(15, 0), OccurrenceState.Missed),
            (At(9, 40), At(16, 0), OccurrenceState.DoneOnTime),
            (At(10, 0), At(16, 0), OccurrenceState.DoneOnTime),
            (At(10, 30), At(16, 0), OccurrenceState.DoneLate),
        };
        foreach (var (submitted, now, state) in table)
            Assert.True(Occurrences.StateOf(due, next, 60, submitted, now) == state, $"submitted {submitted}, now {now}: expected {state}");
        // The last occurrence of the day is bounded by the day's end.
        Assert.Equal(OccurrenceState.Overdue, Occurrences.StateOf(next, null, 60, null, At(23, 59)));
        Assert.Equal(OccurrenceState.Missed, Occurrences.StateOf(next, null, 60, null, new DateTime(2026, 12, 8, 0, 0, 0)));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Checklists.

    private static readonly ChecklistTemplate _bagFilter = new()
    {
        Key = "bag-filter", Name = "Bag filter check", NameZh = "布袋除尘器检查",
        Items =
        [
            new() { Key = "dp", Text = "Differential pressure", Type = ItemType.Number, Unit = "Pa", Min = 800, Max = 1500, OnFail = new() { Severity = Severity.High, WorkOrder = true } },
            new() { Key = "hopper", Text = "Hopper discharge", Type = ItemType.Choice, Choices = ["normal", "blocked"], FailingChoices = ["blocked"] },
            new() { Key = "photo", Text = "Stack outlet", Type = ItemType.Photo, Photos = 1 },
            new() { Key = "note", Text = "Remarks", Type = ItemType.Text, Required = false },
        ],
    };

    [Fact]
    public void Judge_NumberAboveItsLimit_FailsWithTheLimitInTheReason()
    {
        var (outcomes, missing) = Checklists.Judge(_bagFilter,
            [new() { Item = "dp", Number = 1720 }, new() { Item = "hopper", Choice = "normal" }], item => item == "photo" ? 1 : 0);

        Assert.Empty(missing);
        var dp = Assert.Single(outcomes, o => o.Item == "dp");
        Assert.True(dp.Failed);
        Assert.Contains("above the maximum 1500 Pa", dp.Reason, StringComparison.Ordinal);
        Assert.Contains("高于上限", dp.ReasonZh, StringComparison.Ordinal);
        Assert.False(Assert.Single(outcomes, o => o.Item == "hopper").Failed);
        Assert.DoesNotContain(outcomes, o => o.Item == "note");
    }

    [Fact]
    public void Judge_RequiredItemsWithoutAnswerOrPhoto_AreMissing_NeverPassed()
    {
        var (_, missing) = Checklists.Judge(_bagFilter, [new() { Item = "hopper", Choice = "jammed" }], _ => 0);

        Assert.Contains("dp: no answer", missing);
        Assert.Contains("photo: no answer", missing);
        Assert.Contains(missing, m => m.StartsWith("hopper: 'jammed' is not one of", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_TemplateErrors_NameTheItem()
    {
        var bad = _bagFilter with
        {
            Items =
            [
                new() { Key = "dp", Text = "ΔP", Type = ItemType.Number, Min = 10, Max = 5 },
                new() { Key = "dp", Text = "again" },
                new() { Key = "c", Text = "choice", Type = ItemType.Choice, Choices = ["only"] },
            ],
        };

        var errors = Checklists.Validate(bad);

        Assert.Contains(errors["items[0]"], e => e.StartsWith("unit:", StringComparison.Ordinal));
        Assert.Contains(errors["items[0]"], e => e.StartsWith("max:", StringComparison.Ordinal));
        Assert.Contains(errors["items[1]"], e => e.Contains("used twice", StringComparison.Ordinal));
        Assert.Contains(errors["items[2]"], e => e.StartsWith("choices:", StringComparison.Ordinal));
        Assert.Empty(Checklists.Validate(_bagFilter));
    }
}
