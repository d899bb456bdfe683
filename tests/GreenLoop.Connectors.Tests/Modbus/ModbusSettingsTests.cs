using GreenLoop.Connectors.Modbus;

namespace GreenLoop.Connectors.Tests.Modbus;

public sealed class ModbusSettingsTests
{
    private const string Valid = """
        {
          "host": "10.0.0.7", "port": 5020, "unitId": 3, "pollSeconds": 0.2, "timeoutMs": 500, "maxGapRegisters": 4,
          "points": [
            { "meter": "p.kwh", "function": 3, "address": 1, "addressBase": 1, "type": "uint32", "wordOrder": "little" },
            { "meter": "p.kw", "function": 4, "address": 10, "addressBase": 0, "type": "Float32", "byteOrder": "little", "scale": 0.001, "offset": -1 },
            { "meter": "p.run", "function": 1, "address": 5, "addressBase": 0 }
          ]
        }
        """;

    [Fact]
    public void Parse_FullSettings_ReadsEveryField()
    {
        var s = ModbusSettings.Parse(Valid);

        Assert.Equal(("10.0.0.7", 5020, (byte)3, 0.2, 500, 4), (s.Host, s.Port, s.UnitId, s.PollSeconds, s.TimeoutMs, s.MaxGapRegisters));
        Assert.Equal(3, s.Points.Count);
        var kwh = s.Points[0];
        Assert.Equal((ModbusFunction.ReadHoldingRegisters, 1, 1, 0, ModbusDataType.UInt32, ModbusWordOrder.Little, ModbusByteOrder.Big),
            (kwh.Function, kwh.Address, kwh.AddressBase, kwh.ProtocolAddress, kwh.Type, kwh.WordOrder, kwh.ByteOrder));
        Assert.Equal((ModbusDataType.Float32, ModbusByteOrder.Little, 0.001, -1.0), (s.Points[1].Type, s.Points[1].ByteOrder, s.Points[1].Scale, s.Points[1].Offset));
        // A coil's type defaults to bool.
        Assert.Equal(ModbusDataType.Bool, s.Points[2].Type);
    }

    [Fact]
    public void Parse_OnlyRequiredFields_UsesDefaults()
    {
        var s = ModbusSettings.Parse("""{"host":"meter-1","points":[{"meter":"m","function":3,"address":0,"addressBase":0,"type":"int16"}]}""");

        Assert.Equal((502, (byte)1, 10.0, 1000, 0), (s.Port, s.UnitId, s.PollSeconds, s.TimeoutMs, s.MaxGapRegisters));
        Assert.Equal((1.0, 0.0, ModbusWordOrder.Big, ModbusByteOrder.Big), (s.Points[0].Scale, s.Points[0].Offset, s.Points[0].WordOrder, s.Points[0].ByteOrder));
    }

    [Fact]
    public void Validate_ValidSettings_NoProblems() => Assert.Empty(new ModbusConnectorFactory().Validate(Valid));

    [Fact]
    public void Validate_ManyMistakes_EveryOneNamedByPath()
    {
        const string json = """
            {
              "host": "", "port": 70000, "unitId": -1, "pollSeconds": 0, "timeoutMs": 10.5, "maxGapRegisters": 500, "colour": "red",
              "points": [
                { "meter": "a", "function": 3, "address": 0, "addressBase": 0, "type": "float" },
                { "meter": "b", "function": 6, "address": 0, "addressBase": 0, "type": "int16" },
                { "meter": "c", "function": 3, "address": 0, "type": "int16" },
                { "meter": "d", "function": 3, "address": "40001", "addressBase": 1, "type": "int16" },
                { "meter": "e", "function": 3, "address": 65535, "addressBase": 0, "type": "float32" },
                { "meter": "f", "function": 1, "address": 0, "addressBase": 0, "type": "int16" },
                { "meter": "g", "function": 3, "address": 0, "addressBase": 2, "type": "bool" },
                { "meter": "h", "function": 3, "address": 0, "addressBase": 1, "type": "int16" },
                { "meter": "a", "function": 4, "address": 0, "addressBase": 0, "type": "int16", "wordOrder": "middle", "scale": 0, "adress": 3 },
                { "meter": "j", "function": 4, "address": 0, "addressBase": 0 }
              ]
            }
            """;

        var errors = ModbusSettings.Validate(json);

        string One(string path) => Assert.Single(errors, e => e.StartsWith(path + ":", StringComparison.Ordinal));
        Assert.Contains("non-empty", One("host"), StringComparison.Ordinal);
        Assert.Contains("70000 is outside 1..65535", One("port"), StringComparison.Ordinal);
        Assert.Contains("-1 is outside 0..255", One("unitId"), StringComparison.Ordinal);
        Assert.Contains("0 is outside 0.05..86400", One("pollSeconds"), StringComparison.Ordinal);
        Assert.Contains("10.5 must be a whole number", One("timeoutMs"), StringComparison.Ordinal);
        Assert.Contains("500 is outside 0..100", One("maxGapRegisters"), StringComparison.Ordinal);
        Assert.Contains("unknown setting", One("colour"), StringComparison.Ordinal);
        Assert.Equal("points[0].type: 'float' is not a data type; use one of int16, uint16, int32, uint32, int64, uint64, float32, float64 (registers) or bool (coils, discrete inputs)", One("points[0].type"));
        Assert.Contains("6 is not a read function; use 1 (coils), 2 (discrete inputs), 3 (holding registers) or 4 (input registers)", One("points[1].function"), StringComparison.Ordinal);
        Assert.Contains("there is no default", One("points[2].addressBase"), StringComparison.Ordinal);
        Assert.Contains("'40001' is a Modicon reference", One("points[3].address"), StringComparison.Ordinal);
        Assert.Contains("65535 is outside 0..65534", One("points[4].address"), StringComparison.Ordinal);
        Assert.Contains("function 1 reads single bits", One("points[5].type"), StringComparison.Ordinal);
        Assert.Contains("use 0 or 1", One("points[6].addressBase"), StringComparison.Ordinal);
        Assert.Contains("bool is for coils", One("points[6].type"), StringComparison.Ordinal);
        Assert.Contains("0 is outside 1..65536", One("points[7].address"), StringComparison.Ordinal);
        Assert.Contains("'middle' is not an order", One("points[8].wordOrder"), StringComparison.Ordinal);
        Assert.Contains("non-zero", One("points[8].scale"), StringComparison.Ordinal);
        Assert.Contains("unknown setting", One("points[8].adress"), StringComparison.Ordinal);
        Assert.Contains("required for registers", One("points[9].type"), StringComparison.Ordinal);
        Assert.Equal(20, errors.Count);
    }

    [Fact]
    public void Validate_SameMeterTwice_Refused()
    {
        var errors = ModbusSettings.Validate("""
            {"host":"h","points":[
              {"meter":"m","function":3,"address":0,"addressBase":0,"type":"int16"},
              {"meter":"m","function":3,"address":1,"addressBase":0,"type":"int16"}]}
            """);

        Assert.Equal("points[1].meter: 'm' is already read by points[0]; one meter takes one value per poll", Assert.Single(errors));
    }

    [Theory]
    [InlineData("not json", "settings: not valid JSON")]
    [InlineData("[]", "settings: must be a JSON object")]
    [InlineData("""{"host":"h"}""", "points: required")]
    [InlineData("""{"host":"h","points":[]}""", "points: required")]
    [InlineData("""{"points":[{"meter":"m","function":3,"address":0,"addressBase":0,"type":"int16"}]}""", "host: required")]
    public void Validate_UnusableDocument_OneClearProblem(string json, string start) =>
        Assert.StartsWith(start, Assert.Single(ModbusSettings.Validate(json)), StringComparison.Ordinal);

    [Fact]
    public void Create_InvalidSettings_ThrowsListingProblems()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ModbusConnectorFactory().Create("""{"host":"h","points":[]}"""));

        Assert.Contains("points: required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Factory_Kind_IsModbus() => Assert.Equal("modbus", new ModbusConnectorFactory().Kind);
}
