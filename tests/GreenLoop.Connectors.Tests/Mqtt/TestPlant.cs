using System.Globalization;
using GreenLoop.Domain.Model;

namespace GreenLoop.Connectors.Tests.Mqtt;

/// <summary>The site the MQTT tests send readings for, and instants to stamp them with.</summary>
internal static class TestPlant
{
    public const string Line1 = "line1.kwh";
    public const string Line2 = "line2.kwh";
    public const string KilnGas = "kiln1.gas";
    public const string KilnKwh = "kiln1.kwh";
    public const string NorthGas = "north.kiln.gas";
    public const string NorthKwh = "north.kiln.kwh";
    public const string BoilerTemp = "boiler.temp";
    public const string SparkplugImport = "spb.Meter1.Energy.Import";
    public const string SparkplugPower = "spb.Meter1.Power";
    public const string SparkplugSigned = "spb.Meter1.Balance";

    public static SiteDefinition Site() => new()
    {
        Key = "plant",
        Name = "MQTT test plant",
        NameZh = "MQTT 测试工厂",
        TimeZone = "Asia/Shanghai",
        Meters =
        [
            Electricity(Line1), Electricity(Line2), Electricity(KilnKwh), Electricity(NorthKwh),
            Gas(KilnGas), Gas(NorthGas),
            new MeterDefinition { Key = BoilerTemp, Name = BoilerTemp, Quantity = MeterQuantity.ProcessVariable, Carrier = "boiler_temperature", Unit = "degC", Kind = MeterKind.Instantaneous },
            Electricity(SparkplugImport),
            new MeterDefinition { Key = SparkplugPower, Name = SparkplugPower, Quantity = MeterQuantity.ProcessVariable, Carrier = "electric_power", Unit = "kW", Kind = MeterKind.Instantaneous },
            new MeterDefinition { Key = SparkplugSigned, Name = SparkplugSigned, Quantity = MeterQuantity.ProcessVariable, Carrier = "balance", Unit = "kW", Kind = MeterKind.Instantaneous },
        ],
    };

    private static MeterDefinition Electricity(string key) =>
        new() { Key = key, Name = key, Carrier = "electricity", Unit = "kWh", Kind = MeterKind.Cumulative };

    private static MeterDefinition Gas(string key) =>
        new() { Key = key, Name = key, Carrier = "natural_gas", Unit = "m3", Kind = MeterKind.Cumulative };

    /// <summary>Midnight UTC two days ago: recent enough for ingest (not before 2000, not in the future), fixed within a test.</summary>
    public static DateTimeOffset Base { get; } = new(DateTimeOffset.UtcNow.UtcDateTime.Date.AddDays(-2), TimeSpan.Zero);

    /// <summary>An instant <paramref name="minutes"/> after <see cref="Base"/>, written ISO 8601 in Shanghai time (+08:00).</summary>
    public static string Iso(int minutes) =>
        Base.AddMinutes(minutes).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);

    public static long Ms(int minutes) => Base.AddMinutes(minutes).ToUnixTimeMilliseconds();
}
