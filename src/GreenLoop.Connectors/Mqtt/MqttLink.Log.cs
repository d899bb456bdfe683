using Microsoft.Extensions.Logging;

namespace GreenLoop.Connectors.Mqtt;

internal sealed partial class MqttLink
{
    [LoggerMessage(EventId = 6201, Level = LogLevel.Information,
        Message = "Data source {Source}: connected to {Endpoint} as {ClientId} (session present: {SessionPresent})")]
    private static partial void LogConnected(ILogger logger, string source, string endpoint, string clientId, bool sessionPresent);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Debug,
        Message = "Data source {Source}: {Count} stored message(s) not acknowledged because their connection has gone; the broker sends them again")]
    private static partial void LogAcksSkipped(ILogger logger, string source, int count);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Debug, Message = "Data source {Source}: clean disconnect failed: {Reason}")]
    private static partial void LogDisconnectFailed(ILogger logger, string source, string reason);
}
