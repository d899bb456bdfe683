using System.Globalization;
using System.Text.Json.Serialization;

namespace GreenLoop.Domain.Optimise.Field;

/// <summary>What an item of a checklist asks for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ItemType>))]
public enum ItemType
{
    /// <summary>Pass or fail.</summary>
    PassFail,
    /// <summary>A number with a unit and limits (e.g. a bag filter's differential pressure, 800-1500 Pa).</summary>
    Number,
    /// <summary>One of a list of choices; some choices may count as a failure.</summary>
    Choice,
    /// <summary>Free text.</summary>
    Text,
    /// <summary>One or more photos.</summary>
    Photo,
    /// <summary>A confirmation (a signature: "I checked this").</summary>
    Confirm,
}

/// <summary>How bad a failed item is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity { Low, Medium, High, Critical }

/// <summary>What a failure of an item means: its severity and whether it opens a work order (of which priority).</summary>
public sealed record FailureRule
{
    public Severity Severity { get; init; } = Severity.Medium;
    public bool WorkOrder { get; init; }
}

/// <summary>
/// One item of a checklist: its key, text in both languages, type, the SOP step (instructions), limits and unit for a
/// number, choices (and which of them fail) for a choice, how many photos are required, whether it is required, and
/// what its failure means. An item can show the live value of a meter beside it.
/// </summary>
public sealed record ChecklistItem
{
    public string Key { get; init; } = "";
    public string Text { get; init; } = "";
    public string? TextZh { get; init; }
    public ItemType Type { get; init; } = ItemType.PassFail;
    public string? Instructions { get; init; }
    public string? InstructionsZh { get; init; }
    public string? Unit { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    public IReadOnlyList<string> Choices { get; init; } = [];
    public IReadOnlyList<string> FailingChoices { get; init; } = [];
    public int Photos { get; init; }
    public bool Required { get; init; } = true;
    public string? Meter { get; init; }
    public FailureRule OnFail { get; init; } = new();
}

/// <summary>A checklist template: name in both languages, what it is for, and its ordered items.</summary>
public sealed record ChecklistTemplate
{
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
    public string? NameZh { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<ChecklistItem> Items { get; init; } = [];
}

/// <summary>The answer to one item: pass/fail, a number, a choice, text, a confirmation, a note.</summary>
public sealed record ItemAnswer
{
    public string Item { get; init; } = "";
    public bool? Pass { get; init; }
    public double? Number { get; init; }
    public string? Choice { get; init; }
    public string? Text { get; init; }
    public bool? Confirmed { get; init; }
    public string? Note { get; init; }
}

/// <summary>An answer judged: failed or not, and why (in both languages).</summary>
public sealed record ItemOutcome(string Item, bool Failed, string? Reason, string? ReasonZh);

/// <summary>Validation and judgement of checklists.</summary>
public static class Checklists
{
    /// <summary>Every problem with a template, by field (items by position).</summary>
    public static Dictionary<string, string[]> Validate(ChecklistTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var errors = new Dictionary<string, string[]>();
        if (!Model.SiteDefinitionValidator.IsKey(template.Key)) errors["key"] = ["1-64 letters, digits, '-', '_' or '.'"];
        if (string.IsNullOrWhiteSpace(template.Name) || template.Name.Length > 200) errors["name"] = ["1-200 characters"];
        if (template.NameZh is { Length: > 200 }) errors["nameZh"] = ["at most 200 characters"];
        if (template.Description is { Length: > 4000 }) errors["description"] = ["at most 4000 characters"];
        if (template.Items.Count is 0 or > 100) errors["items"] = ["1 to 100 items"];
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < template.Items.Count; i++)
        {
            var item = template.Items[i];
            var at = $"items[{i}]";
            var problems = new List<string>();
            if (!Model.SiteDefinitionValidator.IsKey(item.Key)) problems.Add("key: 1-64 letters, digits, '-', '_' or '.'");
            else if (!keys.Add(item.Key)) problems.Add($"key: '{item.Key}' is used twice");
            if (string.IsNullOrWhiteSpace(item.Text) || item.Text.Length > 500) problems.Add("text: 1-500 characters");
            if (item.TextZh is { Length: > 500 }) problems.Add("textZh: at most 500 characters");
            if (item.Instructions is { Length: > 4000 } || item.InstructionsZh is { Length: > 4000 }) problems.Add("instructions: at most 4000 characters");
            if (!Enum.IsDefined(item.Type)) problems.Add("type: PassFail, Number, Choice, Text, Photo or Confirm");
            if (item.Type == ItemType.Number)
            {
                if (string.IsNullOrWhiteSpace(item.Unit) || item.Unit.Length > 32) problems.Add("unit: a number needs its unit (1-32 characters), e.g. Pa");
                if (item.Min is { } mn && !double.IsFinite(mn) || item.Max is { } mx && !double.IsFinite(mx)) problems.Add("min, max: finite numbers");
                else if (item.Min is { } lo && item.Max is { } hi && hi < lo) problems.Add("max: below min");
            }
            if (item.Type == ItemType.Choice)
            {
                if (item.Choices.Count is < 2 or > 20 || item.Choices.Any(c => string.IsNullOrWhiteSpace(c) || c.Length > 100) || item.Choices.Distinct().Count() != item.Choices.Count)
                    problems.Add("choices: 2 to 20 different choices of 1-100 characters");
                else if (item.FailingChoices.Any(c => !item.Choices.Contains(c))) problems.Add("failingChoices: each must be one of the choices");
            }
            if (item.Photos is < 0 or > 10) problems.Add("photos: 0 to 10");
            if (item.Type == ItemType.Photo && item.Photos == 0) problems.Add("photos: a photo item asks for at least one");
            if (item.Meter is { Length: > 64 }) problems.Add("meter: a meter key");
            if (!Enum.IsDefined(item.OnFail.Severity)) problems.Add("onFail.severity: Low, Medium, High or Critical");
            if (problems.Count > 0) errors[at] = [.. problems];
        }
        return errors;
    }

    /// <summary>
    /// Judges the answers against the template: an item fails when answered pass = false, a number outside its limits, a
    /// failing choice, or a confirmation refused; a required item without an answer is an error (returned separately),
    /// never a silent pass.
    /// </summary>
    public static (IReadOnlyList<ItemOutcome> Outcomes, IReadOnlyList<string> Missing) Judge(ChecklistTemplate template, IReadOnlyList<ItemAnswer> answers, Func<string, int> photosOf)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(photosOf);
        var ci = CultureInfo.InvariantCulture;
        var outcomes = new List<ItemOutcome>();
        var missing = new List<string>();
        foreach (var item in template.Items)
        {
            var a = answers.FirstOrDefault(x => x.Item == item.Key);
            var photos = photosOf(item.Key);
            // A photo item is answered by its photos; every other item by its answer.
            var answered = item.Type == ItemType.Photo ? photos > 0 : a is not null && item.Type switch
            {
                ItemType.PassFail => a.Pass is not null,
                ItemType.Number => a.Number is { } n && double.IsFinite(n),
                ItemType.Choice => a.Choice is not null,
                ItemType.Text => !string.IsNullOrWhiteSpace(a.Text),
                _ => a.Confirmed is not null,
            };
            if (!answered)
            {
                if (item.Required) missing.Add($"{item.Key}: no answer");
                continue;
            }
            if (item.Photos > 0 && photos < item.Photos && item.Required) missing.Add($"{item.Key}: {item.Photos} photo(s) required, {photos} given");
            if (item.Type == ItemType.Choice && !item.Choices.Contains(a!.Choice!)) { missing.Add($"{item.Key}: '{a.Choice}' is not one of {string.Join(", ", item.Choices)}"); continue; }
            var (failed, reason, reasonZh) = item.Type switch
            {
                ItemType.Photo => (false, (string?)null, (string?)null),
                ItemType.PassFail when a!.Pass == false => (true, "marked failed", "判定为不合格"),
                ItemType.Number when a!.Number < item.Min => (true, string.Create(ci, $"{a.Number} {item.Unit} is below the minimum {item.Min} {item.Unit}"), string.Create(ci, $"{a.Number} {item.Unit} 低于下限 {item.Min} {item.Unit}")),
                ItemType.Number when a!.Number > item.Max => (true, string.Create(ci, $"{a.Number} {item.Unit} is above the maximum {item.Max} {item.Unit}"), string.Create(ci, $"{a.Number} {item.Unit} 高于上限 {item.Max} {item.Unit}")),
                ItemType.Choice when item.FailingChoices.Contains(a!.Choice!) => (true, $"answered '{a.Choice}'", $"选择了“{a.Choice}”"),
                ItemType.Confirm when a!.Confirmed == false => (true, "not confirmed", "未确认"),
                _ => (false, (string?)null, (string?)null),
            };
            outcomes.Add(new ItemOutcome(item.Key, failed, reason, reasonZh));
        }
        return (outcomes, missing);
    }
}
