using System.Text.Json.Serialization;

namespace GreenLoop.Domain.Alarms;

/// <summary>How bad an alarm is (ThingsBoard's scale, with <c>info</c> for notices).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlarmSeverity>))]
public enum AlarmSeverity
{
    [JsonStringEnumMemberName("critical")] Critical,
    [JsonStringEnumMemberName("major")] Major,
    [JsonStringEnumMemberName("minor")] Minor,
    [JsonStringEnumMemberName("warning")] Warning,
    [JsonStringEnumMemberName("info")] Info,
}

/// <summary>The period a condition is judged on: 15-minute UTC buckets, local hours or local days.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlarmGrain>))]
public enum AlarmGrain
{
    [JsonStringEnumMemberName("15m")] Minutes15,
    [JsonStringEnumMemberName("hour")] Hour,
    [JsonStringEnumMemberName("day")] Day,
}

/// <summary>What a rule watches.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlarmSubjectKind>))]
public enum AlarmSubjectKind
{
    /// <summary>One meter, by key.</summary>
    [JsonStringEnumMemberName("meter")] Meter,
    /// <summary>A node's total of one carrier (its counted meters).</summary>
    [JsonStringEnumMemberName("node")] Node,
    /// <summary>The site's total of one carrier.</summary>
    [JsonStringEnumMemberName("site")] Site,
    /// <summary>Every meter of the site (optionally of one carrier), each on its own: one alarm per meter.</summary>
    [JsonStringEnumMemberName("eachMeter")] EachMeter,
}

/// <summary>Which earlier period a difference rate compares with.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChangeCompare>))]
public enum ChangeCompare
{
    /// <summary>A local day against the day before.</summary>
    [JsonStringEnumMemberName("dayOnDay")] DayOnDay,
    /// <summary>A local day against the same weekday a week before.</summary>
    [JsonStringEnumMemberName("weekOnWeek")] WeekOnWeek,
    /// <summary>A local hour against the same wall-clock hour the day before.</summary>
    [JsonStringEnumMemberName("sameHourYesterday")] SameHourYesterday,
}

/// <summary>
/// Where an alarm is in its life. Open alarms are <see cref="Active"/> and <see cref="Acknowledged"/>; at most one per
/// rule and subject. <see cref="ClearedUnack"/> is cleared but nobody has seen it yet; acknowledging it closes it.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlarmState>))]
public enum AlarmState
{
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("acknowledged")] Acknowledged,
    [JsonStringEnumMemberName("clearedUnack")] ClearedUnack,
    [JsonStringEnumMemberName("cleared")] Cleared,
}

/// <summary>Entries of an alarm's history.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlarmEventKind>))]
public enum AlarmEventKind
{
    [JsonStringEnumMemberName("raised")] Raised,
    [JsonStringEnumMemberName("acknowledged")] Acknowledged,
    [JsonStringEnumMemberName("cleared")] Cleared,
    [JsonStringEnumMemberName("commented")] Commented,
    [JsonStringEnumMemberName("assigned")] Assigned,
    [JsonStringEnumMemberName("escalated")] Escalated,
}
