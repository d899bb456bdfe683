using Microsoft.Extensions.Logging;

namespace GreenLoop.Connectors.Modbus;

public sealed partial class ModbusConnector
{
    [LoggerMessage(EventId = 6301, Level = LogLevel.Information,
        Message = "Data source {Source}: Modbus device {Device} answering; {Points} points in {Requests} requests every {PollSeconds} s")]
    private static partial void LogAnswering(ILogger logger, string source, string device, int points, int requests, double pollSeconds);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Warning,
        Message = "Data source {Source}: Modbus device {Device} stopped answering: {Reason}")]
    private static partial void LogStoppedAnswering(ILogger logger, string source, string device, string reason);
}
