using System.Globalization;
using GreenLoop.Domain.Time;

namespace GreenLoop.Connectors.Import;

internal sealed partial class RowInterpreter
{
    private const string WallFormat = "yyyy-MM-dd HH:mm";
    private DateTime _plainDay = DateTime.MaxValue;
    private TimeSpan _plainDayOffset;

    /// <summary>
    /// Reads, checks and places the row's stamp: the midnight-stamp quirk (repaired or rejected), the time zone (a gap is
    /// rejected, a fall-back hour resolved in file order) and the shift to the meters' stamp convention. On failure the
    /// row's <paramref name="values"/> are rejected with one issue.
    /// </summary>
    private bool TryReadInstant(RowReader row, SeriesState series, ImportChunk chunk, int values, out DateTimeOffset instant, out bool repaired)
    {
        instant = default;
        repaired = false;
        if (!HasField(row, _time, chunk, values)) return false;

        DateTime wall;
        TimeSpan? offset = null;
        if (!row.TryGetDateTime(_time.Index, out wall))
        {
            var text = row.Text(_time.Index);
            if (text.IsEmpty) return Reject("empty timestamp");
            if (!_stamps.TryParse(text, out wall, out offset))
                return Reject($"cannot read '{text}' as a timestamp; expected {_stamps.Expected}");
        }

        // Outside the instants GreenLoop accepts (a zeroed clock, a 9999 "no end" marker): refused here, with the row,
        // before any time-zone arithmetic can overflow. Ingest checks the exact instant again against its own clock.
        if (wall < PlausibleTime.Earliest.UtcDateTime.AddDays(-1))
            return Reject($"{wall.ToString(WallFormat, CultureInfo.InvariantCulture)} is before {PlausibleTime.Earliest:yyyy-MM-dd}: readings before then are not accepted (a zeroed or unset device clock?)");
        if (wall > _clock.GetUtcNow().UtcDateTime + PlausibleTime.MaxFuture + TimeSpan.FromHours(14))
            return Reject($"{wall.ToString(WallFormat, CultureInfo.InvariantCulture)} is more than a day ahead: readings from the future are not accepted (a placeholder date or a wrong clock?)");

        if (IsMidnightQuirk(series, wall, offset, out var corrected))
        {
            var previous = series.PreviousWall.ToString(WallFormat, CultureInfo.InvariantCulture);
            var written = wall.ToString(WallFormat, CultureInfo.InvariantCulture);
            var meant = wall.AddDays(1).ToString(WallFormat, CultureInfo.InvariantCulture);
            series.Advance(wall.AddDays(1), corrected);
            if (!_options.RepairMidnightStamps)
            {
                return Reject(
                    $"midnight stamp quirk: {written} follows {previous}, so taken literally it lands 24 hours early; it is most likely {meant}, " +
                    "the end of the day's last interval. To move such stamps one day forward, tick \"Repair midnight stamps\" on the Import page (CLI: --repair-midnight) and import again");
            }

            chunk.AddRepair(new ImportRepair(row.Row, _time.Name,
                $"midnight stamp {written} (after {previous}) moved one day forward to {meant}"));
            repaired = true;
            _ = TryPlace(wall.AddDays(1), offset, series, commit: true, out instant, out _);
        }
        else
        {
            if (!TryPlace(wall, offset, series, commit: true, out instant, out var reason)) return Reject(reason);
            series.Advance(wall, instant);
        }

        if (_shift != TimeSpan.Zero) instant = Shifted(instant, offset is null);
        return true;

        bool Reject(string reason)
        {
            chunk.Reject(new ImportIssue(row.Row, _time.Name, reason, row.RawLine), values);
            return false;
        }
    }

    /// <summary>
    /// The last interval of a day stamped 00:00 with that day's date: the stamp goes back to midnight of the previous
    /// row's date, and one day later it would be exactly one interval after the previous row.
    /// </summary>
    private bool IsMidnightQuirk(SeriesState series, DateTime wall, TimeSpan? offset, out DateTimeOffset corrected)
    {
        corrected = default;
        if (!series.HasPrevious || wall.TimeOfDay != TimeSpan.Zero) return false;
        if (wall != series.PreviousWall.Date || wall >= series.PreviousWall) return false;
        var step = _intervalTicks ?? series.LastStepTicks;
        if (step <= 0) return false;
        return TryPlace(wall.AddDays(1), offset, series, commit: false, out corrected, out _)
            && corrected.UtcTicks - series.PreviousUtcTicks == step;
    }

    /// <summary>
    /// Places a wall-clock stamp on the time line: its own offset if it has one, else the time zone. In a fall-back hour
    /// the first occurrence of a local time (per meter) is the earlier instant and a repeat the later one;
    /// <paramref name="commit"/> records the occurrence.
    /// </summary>
    private bool TryPlace(DateTime wall, TimeSpan? offset, SeriesState series, bool commit, out DateTimeOffset instant, out string reason)
    {
        instant = default;
        reason = "";
        if (offset is { } fixedOffset)
        {
            instant = new DateTimeOffset(wall, fixedOffset);
            return true;
        }

        if (_zone is null)
        {
            reason = "the stamp has no UTC offset and no time zone was given (choose the Time zone on the Import page; CLI: --tz, e.g. Asia/Shanghai)";
            return false;
        }

        if (wall.Date == _plainDay)
        {
            instant = new DateTimeOffset(wall, _plainDayOffset);
            return true;
        }

        if (_zone.IsInvalidTime(wall))
        {
            reason = $"local time {wall.ToString(WallFormat, CultureInfo.InvariantCulture)} does not exist in {_zone.Id} (skipped by the daylight-saving change)";
            return false;
        }

        TimeSpan zoneOffset;
        if (_zone.IsAmbiguousTime(wall))
        {
            var offsets = _zone.GetAmbiguousTimeOffsets(wall);
            var seen = series.AmbiguousSeen?.Contains(wall) == true;
            // The larger offset is the earlier instant (daylight time, before the clocks go back).
            zoneOffset = seen ? offsets.Min() : offsets.Max();
            if (commit) (series.AmbiguousSeen ??= []).Add(wall);
        }
        else
        {
            zoneOffset = _zone.GetUtcOffset(wall);
            RememberIfPlain(wall.Date, zoneOffset);
        }

        instant = new DateTimeOffset(wall, zoneOffset);
        return true;
    }

    /// <summary>
    /// Zone look-ups cost about a microsecond each and most local days have one offset throughout: remember the last
    /// day whose start and end (the next midnight) have the same offset, so its rows skip the look-ups.
    /// </summary>
    private void RememberIfPlain(DateTime day, TimeSpan offset)
    {
        if (day == DateTime.MinValue.Date || day >= DateTime.MaxValue.Date.AddDays(-1)) return;
        var start = new DateTimeOffset(day, offset);
        if (_zone!.GetUtcOffset(start) == offset && _zone.GetUtcOffset(start.AddDays(1)) == offset)
        {
            _plainDay = day;
            _plainDayOffset = offset;
        }
    }

    private DateTimeOffset Shifted(DateTimeOffset instant, bool zoneLocal)
    {
        var moved = instant.Add(_shift);
        return zoneLocal && _zone is not null ? TimeZoneInfo.ConvertTime(moved, _zone) : moved;
    }

    /// <summary>What the rows of one meter (wide format: of the file) have shown so far.</summary>
    private sealed class SeriesState
    {
        public bool HasPrevious { get; private set; }
        public DateTime PreviousWall { get; private set; }
        public long PreviousUtcTicks { get; private set; }

        /// <summary>The last positive step between consecutive stamps, in ticks; 0 until two stamps were seen.</summary>
        public long LastStepTicks { get; private set; }

        /// <summary>Ambiguous local times already placed (fall-back hours), so a repeat takes the later instant.</summary>
        public HashSet<DateTime>? AmbiguousSeen { get; set; }

        public void Advance(DateTime wall, DateTimeOffset instant)
        {
            if (HasPrevious && instant.UtcTicks > PreviousUtcTicks) LastStepTicks = instant.UtcTicks - PreviousUtcTicks;
            HasPrevious = true;
            PreviousWall = wall;
            PreviousUtcTicks = instant.UtcTicks;
        }
    }
}
