using GreenLoop.Domain.Time;

namespace GreenLoop.Domain.Model;

/// <summary>One problem in a site document: where it is and why it is wrong.</summary>
public sealed record DefinitionError(string Path, string Reason);

/// <summary>Checks a <see cref="SiteDefinition"/> before it is applied; the document is applied whole or not at all.</summary>
public static class SiteDefinitionValidator
{
    /// <summary>
    /// Returns every problem found; an empty list means the document can be applied. With <paramref name="now"/>, event
    /// instants more than <see cref="PlausibleTime.MaxFuture"/> ahead of it are refused too.
    /// </summary>
    public static IReadOnlyList<DefinitionError> Validate(SiteDefinition site, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(site);
        var errors = new List<DefinitionError>();
        void Error(string path, string reason) => errors.Add(new DefinitionError(path, reason));

        // A list sent as null, or null in place of an element ("nodes": null, "meters": [null]): nothing else can be
        // checked safely, so these are answered alone.
        Elements(site.Nodes, "nodes", "node");
        Elements(site.Meters, "meters", "meter");
        Elements(site.Events, "events", "event");
        if (errors.Count > 0) return errors;

        // Names are shown on pages, in workbooks and in messages: bounded, and free of control characters.
        Text(site.Name, "name", MaxNameLength);
        Text(site.NameZh, "nameZh", MaxNameLength);
        Text(site.GridRegion, "gridRegion", 64);
        Text(site.Industry, "industry", 64);
        for (var i = 0; i < site.Nodes.Count; i++)
        {
            Text(site.Nodes[i].Name, $"nodes[{i}].name", MaxNameLength);
            Text(site.Nodes[i].NameZh, $"nodes[{i}].nameZh", MaxNameLength);
        }
        for (var i = 0; i < site.Meters.Count; i++)
        {
            var m = site.Meters[i];
            Text(m.Name, $"meters[{i}].name", MaxNameLength);
            Text(m.NameZh, $"meters[{i}].nameZh", MaxNameLength);
            Text(m.Carrier, $"meters[{i}].carrier", 64);
            Text(m.Unit, $"meters[{i}].unit", 32);
        }
        for (var i = 0; i < site.Events.Count; i++) Text(site.Events[i].Note, $"events[{i}].note", 2000);

        if (!IsKey(site.Key)) Error("key", "a key is 1-64 characters of letters, digits, '-', '_' or '.'");
        if (string.IsNullOrWhiteSpace(site.Name)) Error("name", "required");
        if (!SiteCalendar.TryFindZone(site.TimeZone, out _)) Error("timeZone", $"'{site.TimeZone}' is not a known IANA time zone id");

        var nodeKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < site.Nodes.Count; i++)
        {
            var n = site.Nodes[i];
            if (!IsKey(n.Key)) Error($"nodes[{i}].key", "a key is 1-64 characters of letters, digits, '-', '_' or '.'");
            else if (!nodeKeys.Add(n.Key)) Error($"nodes[{i}].key", $"node '{n.Key}' appears twice");
            if (string.IsNullOrWhiteSpace(n.Name)) Error($"nodes[{i}].name", "required");
            Defined(n.Kind, $"nodes[{i}].kind");
        }
        var parents = site.Nodes.Where(n => n.Key is not null).GroupBy(n => n.Key).ToDictionary(g => g.Key, g => g.First().Parent);
        for (var i = 0; i < site.Nodes.Count; i++)
        {
            var n = site.Nodes[i];
            if (n.Parent is null) continue;
            if (!nodeKeys.Contains(n.Parent)) { Error($"nodes[{i}].parent", $"no node '{n.Parent}'"); continue; }
            // Walk up: a cycle would make roll-ups count a meter forever.
            var seen = new HashSet<string> { n.Key };
            for (var p = n.Parent; p is not null; p = parents.GetValueOrDefault(p))
            {
                if (!seen.Add(p)) { Error($"nodes[{i}].parent", $"node '{n.Key}' is its own ancestor"); break; }
            }
        }

        var meterKeys = new HashSet<string>(StringComparer.Ordinal);
        var carrierUnits = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < site.Meters.Count; i++)
        {
            var m = site.Meters[i];
            var at = $"meters[{i}]";
            if (!IsKey(m.Key)) Error($"{at}.key", "a key is 1-64 characters of letters, digits, '-', '_' or '.'");
            else if (!meterKeys.Add(m.Key)) Error($"{at}.key", $"meter '{m.Key}' appears twice");
            if (string.IsNullOrWhiteSpace(m.Name)) Error($"{at}.name", "required");
            if (string.IsNullOrWhiteSpace(m.Carrier)) Error($"{at}.carrier", "required");
            if (string.IsNullOrWhiteSpace(m.Unit)) Error($"{at}.unit", "required");
            if (m.Node is not null && !nodeKeys.Contains(m.Node)) Error($"{at}.node", $"no node '{m.Node}'");
            Defined(m.Kind, $"{at}.kind");
            Defined(m.Quantity, $"{at}.quantity");
            Defined(m.Direction, $"{at}.direction");
            Defined(m.Role, $"{at}.role");
            Defined(m.Stamp, $"{at}.stamp");
            if (!double.IsFinite(m.Multiplier) || m.Multiplier <= 0) Error($"{at}.multiplier", "must be a positive number");
            if (m.RolloverAt is { } r && (!double.IsFinite(r) || r <= 0)) Error($"{at}.rolloverAt", "must be a positive number");
            if (m.RolloverAt is not null && m.Kind != MeterKind.Cumulative) Error($"{at}.rolloverAt", "only a cumulative meter rolls over");
            if (m.IntervalMinutes <= 0 || m.IntervalMinutes > 44640) Error($"{at}.intervalMinutes", "must be 1 to 44640 minutes");
            if (m.MaxGapMinutes <= 0) Error($"{at}.maxGapMinutes", "must be positive");
            if (m.MaxRatePerHour is { } mr && (!double.IsFinite(mr) || mr <= 0)) Error($"{at}.maxRatePerHour", "must be a positive number");
            if (m.MaxAbsValue is { } mx && (!double.IsFinite(mx) || mx <= 0 || mx > 1e15)) Error($"{at}.maxAbsValue", "must be a positive number no larger than 1e15");
            if (m.Role == MeterRole.SubMeter && m.Parent is null) Error($"{at}.parent", "a sub-meter names the meter it is a sub-meter of");
            if (m.Kind != MeterKind.Instantaneous && !string.IsNullOrWhiteSpace(m.Carrier) && !string.IsNullOrWhiteSpace(m.Unit))
            {
                if (carrierUnits.TryGetValue(m.Carrier, out var unit) && unit != m.Unit)
                    Error($"{at}.unit", $"carrier '{m.Carrier}' is measured in {unit} elsewhere in this site; totals per carrier need one unit");
                else carrierUnits.TryAdd(m.Carrier, m.Unit);
            }
        }
        for (var i = 0; i < site.Meters.Count; i++)
        {
            var m = site.Meters[i];
            if (m.Parent is null) continue;
            if (!meterKeys.Contains(m.Parent)) Error($"meters[{i}].parent", $"no meter '{m.Parent}' in this site");
            else if (m.Parent == m.Key) Error($"meters[{i}].parent", "a meter cannot be its own parent");
        }

        var kinds = site.Meters.Where(m => m.Key is not null).GroupBy(m => m.Key).ToDictionary(g => g.Key, g => g.First().Kind);
        for (var i = 0; i < site.Events.Count; i++)
        {
            var e = site.Events[i];
            if (!kinds.TryGetValue(e.Meter, out var kind)) Error($"events[{i}].meter", $"no meter '{e.Meter}' in this site");
            else if (kind != MeterKind.Cumulative) Error($"events[{i}].meter", "replacements and resets apply to cumulative meters");
            if (!double.IsFinite(e.NewValue)) Error($"events[{i}].newValue", "must be a finite number");
            if (e.OldValue is { } o && !double.IsFinite(o)) Error($"events[{i}].oldValue", "must be a finite number");
            Defined(e.Kind, $"events[{i}].kind");
            if (e.Ts < PlausibleTime.Earliest)
                Error($"events[{i}].ts", $"{e.Ts:O} is before {PlausibleTime.Earliest:yyyy-MM-dd}; an event is recorded at the instant it happened");
            else if (now is { } n && e.Ts > n + PlausibleTime.MaxFuture)
                Error($"events[{i}].ts", $"{e.Ts:O} is more than {PlausibleTime.MaxFuture.TotalHours:0} h in the future");
        }
        return errors;

        void Elements<T>(IReadOnlyList<T>? list, string path, string what) where T : class
        {
            if (list is null) { Error(path, $"must be a list of {what}s (or left out), not null"); return; }
            for (var i = 0; i < list.Count; i++)
                if (list[i] is null) Error($"{path}[{i}]", $"must be a {what} object, not null");
        }

        void Text(string? value, string path, int max)
        {
            if (value is null) return;
            if (value.Length > max) Error(path, $"is {value.Length} characters long; at most {max}");
            var control = value.FirstOrDefault(char.IsControl);
            if (control != default || value.Contains('\0', StringComparison.Ordinal))
                Error(path, $"contains the control character U+{(int)control:X4}; names are plain text on one line");
        }

        // A number that names no value passes the JSON enum converter ("kind": 99); derivation could not take it.
        void Defined<TEnum>(TEnum value, string path) where TEnum : struct, Enum
        {
            if (!Enum.IsDefined(value))
                Error(path, $"'{value}' is not a value of {typeof(TEnum).Name}; use one of {string.Join(", ", Enum.GetNames<TEnum>())}");
        }
    }

    /// <summary>The longest name (site, node, meter) accepted, in characters.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Keys appear in URLs, file names and CSV columns, so they are kept to a safe alphabet.</summary>
    public static bool IsKey(string? key) =>
        !string.IsNullOrEmpty(key) && key.Length <= 64 &&
        key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
