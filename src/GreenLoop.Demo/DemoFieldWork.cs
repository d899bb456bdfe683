using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using GreenLoop.Domain.Optimise.Field;
using GreenLoop.Pipeline.Optimise.Field;

namespace GreenLoop.Demo;

/// <summary>
/// The demo plant's field work: three checklist templates — the bag-filter and desulfurisation check on the kiln stack,
/// the daily kiln check, the hazardous-waste store check — with their rounds, two inspections done with photos (one
/// with a bag-filter differential pressure above its limit, which opens a work order) and, seeded by the host, a work
/// order opened from the planted NOx alarm. Limits are typical operating ranges of such equipment, illustrative.
/// </summary>
public static class DemoFieldWork
{
    public static IReadOnlyList<ChecklistTemplate> Templates { get; } =
    [
        new()
        {
            Key = "stack-bag-filter", Name = "Kiln stack: bag filter and desulfurisation", NameZh = "窑炉排气筒：布袋除尘与脱硫检查",
            Description = "每日巡检，数值超限开工单。Daily; a value out of range opens a work order.",
            Items =
            [
                new() { Key = "dp", Text = "Bag filter differential pressure", TextZh = "布袋除尘器压差", Type = ItemType.Number, Unit = "Pa", Min = 800, Max = 1500,
                    Instructions = "Read the differential-pressure gauge at the filter inlet header.", InstructionsZh = "读取除尘器进口集管压差表。",
                    OnFail = new() { Severity = Severity.High, WorkOrder = true } },
                new() { Key = "pulse", Text = "Pulse-jet cleaning running", TextZh = "脉冲喷吹清灰正常", Type = ItemType.PassFail,
                    OnFail = new() { Severity = Severity.High, WorkOrder = true } },
                new() { Key = "ph", Text = "Desulfurisation slurry pH", TextZh = "脱硫浆液 pH", Type = ItemType.Number, Unit = "pH", Min = 5.0, Max = 6.5,
                    OnFail = new() { Severity = Severity.Medium, WorkOrder = true } },
                new() { Key = "cems", Text = "CEMS panel: NOx now", TextZh = "在线监测面板：当前 NOx", Type = ItemType.Photo, Photos = 1, Meter = DemoMeterKeys.StackNox },
            ],
        },
        new()
        {
            Key = "kiln-daily", Name = "Roller kiln daily check", NameZh = "辊道窑日检",
            Items =
            [
                new() { Key = "flame", Text = "Burners alight and stable", TextZh = "烧嘴燃烧稳定", Type = ItemType.PassFail, OnFail = new() { Severity = Severity.Critical, WorkOrder = true } },
                new() { Key = "temp", Text = "Firing-zone temperature", TextZh = "烧成带温度", Type = ItemType.Number, Unit = "°C", Min = 1150, Max = 1200,
                    Meter = DemoMeterKeys.Kiln1Temperature, OnFail = new() { Severity = Severity.High, WorkOrder = true } },
                new() { Key = "rollers", Text = "Roller drive", TextZh = "辊棒传动", Type = ItemType.Choice, Choices = ["正常 normal", "异响 noisy", "停转 stopped"],
                    FailingChoices = ["停转 stopped"], OnFail = new() { Severity = Severity.Critical, WorkOrder = true } },
                new() { Key = "gas", Text = "Gas flow as expected", TextZh = "天然气流量正常", Type = ItemType.Confirm, Meter = DemoMeterKeys.Kiln1Gas },
            ],
        },
        new()
        {
            Key = "hazwaste-store", Name = "Hazardous-waste store check", NameZh = "危险废物贮存间检查",
            Items =
            [
                new() { Key = "labels", Text = "Containers labelled (GB 18597)", TextZh = "容器标签完整（GB 18597）", Type = ItemType.PassFail, OnFail = new() { Severity = Severity.Medium, WorkOrder = true } },
                new() { Key = "tray", Text = "Leak tray dry and clean", TextZh = "防渗漏托盘干燥清洁", Type = ItemType.Confirm },
                new() { Key = "ledger", Text = "Ledger matches the store", TextZh = "台账与库存一致", Type = ItemType.PassFail },
                new() { Key = "photo", Text = "Store overview", TextZh = "贮存间全景", Type = ItemType.Photo, Photos = 1 },
            ],
        },
    ];

    /// <summary>The rounds: the stack daily at 09:00, the kiln every shift, the waste store weekly on Monday.</summary>
    public static IReadOnlyList<RoundBody> Rounds { get; } =
    [
        new() { Name = "Kiln stack daily check", NameZh = "排气筒日巡检", Template = "stack-bag-filter", Node = "kiln-stack",
            Schedule = new RoundSchedule { Kind = ScheduleKind.Daily, Times = ["09:00"], WindowMinutes = 120 }, Assignee = new Assignee(Role: "ehs-lead") },
        new() { Name = "Kiln shift check", NameZh = "窑炉交接班点检", Template = "kiln-daily", Node = "kiln1",
            Schedule = new RoundSchedule { Kind = ScheduleKind.Shift, Times = ["08:00", "16:00", "00:00"], WindowMinutes = 60 }, Assignee = new Assignee(Role: "energy-manager") },
        new() { Name = "Hazardous-waste store weekly", NameZh = "危废贮存间周检", Template = "hazwaste-store", Node = "wwtp",
            Schedule = new RoundSchedule { Kind = ScheduleKind.Weekly, Times = ["10:00"], Weekdays = ["mon"], WindowMinutes = 240 }, Assignee = new Assignee(Role: "ehs-lead") },
    ];

    /// <summary>Two inspections done with photos: the stack check with ΔP 1720 Pa (opens a work order) and the waste store.</summary>
    public static IReadOnlyList<(InspectionSubmission Submission, IReadOnlyList<PhotoUpload> Photos)> Inspections(DateOnly anchor) =>
    [
        (new InspectionSubmission
        {
            SubmissionId = $"demo-stack-{anchor:yyyyMMdd}", Template = "stack-bag-filter",
            Answers = [new() { Item = "dp", Number = 1720, Note = "压差偏高，疑似滤袋板结 High ΔP, bags likely blinded" }, new() { Item = "pulse", Pass = true }, new() { Item = "ph", Number = 5.8 }],
        }, [new PhotoUpload("cems", "cems-panel.png", Photo(0x2E, 0x7D, 0x32))]),
        (new InspectionSubmission
        {
            SubmissionId = $"demo-hazwaste-{anchor:yyyyMMdd}", Template = "hazwaste-store",
            Answers = [new() { Item = "labels", Pass = true }, new() { Item = "tray", Confirmed = true }, new() { Item = "ledger", Pass = true }],
        }, [new PhotoUpload("photo", "store.png", Photo(0x55, 0x6B, 0x2F))]),
    ];

    /// <summary>A small valid PNG of one colour (48 × 32), made here so the demo ships no binary files.</summary>
    public static byte[] Photo(byte r, byte g, byte b)
    {
        const int width = 48, height = 32;
        var raw = new byte[height * ((width * 3) + 1)];
        for (var y = 0; y < height; y++)
        {
            var row = y * ((width * 3) + 1);
            for (var x = 0; x < width; x++) (raw[row + 1 + (x * 3)], raw[row + 2 + (x * 3)], raw[row + 3 + (x * 3)]) = (r, g, b);
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        (header[8], header[9]) = (8, 2); // 8 bits, RGB
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        s.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(typed);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        s.Write(crc);
    }

    /// <summary>CRC-32 as PNG defines it (ISO 3309, polynomial 0xEDB88320).</summary>
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
