using Microsoft.Extensions.Logging;

namespace GreenLoop.Demo;

public sealed partial class DemoGateway
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Demo back-fill of {Days} days started: {From:O} to {To:O}")]
        public static partial void BackfillStarted(ILogger logger, int days, DateTimeOffset from, DateTimeOffset to);

        [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Demo back-fill finished: {Sent} readings sent, of which {Late} as a late batch")]
        public static partial void BackfillFinished(ILogger logger, int sent, int late);

        [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "Demo batch posted: received {Received}, accepted {Accepted}, duplicates {Duplicates}, rejected {Rejected}")]
        public static partial void BatchPosted(ILogger logger, int received, int accepted, int duplicates, int rejected);

        [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Demo batch: {Rejected} of {Count} readings rejected; first at index {Index}, field {Field}: {Reason}")]
        public static partial void RowsRejected(ILogger logger, int rejected, int count, int index, string? field, string? reason);

        [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Demo post failed with HTTP {Status} (attempt {Attempt}); retrying in {Delay}")]
        public static partial void PostFailedStatus(ILogger logger, int status, int attempt, TimeSpan delay);

        [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "Demo post failed (attempt {Attempt}); retrying in {Delay}")]
        public static partial void PostFailed(ILogger logger, Exception exception, int attempt, TimeSpan delay);

        [LoggerMessage(EventId = 4107, Level = LogLevel.Error, Message = "Demo batch of {Count} readings refused with HTTP {Status}, not retried: {Body}")]
        public static partial void BatchRefused(ILogger logger, int status, int count, string body);

        [LoggerMessage(EventId = 4108, Level = LogLevel.Warning, Message = "Demo batch of {Count} readings posted, but the answer could not be read")]
        public static partial void AnswerUnreadable(ILogger logger, Exception exception, int count);

        [LoggerMessage(EventId = 4109, Level = LogLevel.Error, Message = "Demo live tick failed; its readings follow with the next tick")]
        public static partial void TickFailed(ILogger logger, Exception exception);
    }
}
