namespace GreenLoop.Connectors.Modbus;

/// <summary>Makes <see cref="ModbusConnector"/>s from data-source settings of kind <c>modbus</c> (see docs/modbus.md).</summary>
public sealed class ModbusConnectorFactory : IConnectorFactory
{
    public string Kind => "modbus";

    public IReadOnlyList<string> Validate(string settingsJson) => ModbusSettings.Validate(settingsJson);

    public IConnector Create(string settingsJson) => new ModbusConnector(ModbusSettings.Parse(settingsJson));
}
