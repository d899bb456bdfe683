using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GreenLoop.Storage;

namespace GreenLoop.Connectors;

/// <summary>A data source as people see it: its definition (secrets masked) and how it is doing now.</summary>
public sealed record DataSourceView(string Key, string Kind, bool Enabled, long? ApiKeyId, long Version, DateTimeOffset UpdatedAt, JsonNode? Settings, SourceStatus? Status);

/// <summary>The outcome of saving a definition: the stored source, or every problem with it.</summary>
public sealed record DataSourceSaveResult(DataSourceView? Saved, bool Created, IReadOnlyList<string> Errors);

/// <summary>
/// Validates, stores and lists data-source definitions, and tells the supervisor to apply a change at once (hot
/// reload). Secrets (any <c>password</c> field of the settings) are masked when a definition is shown; saving the mask
/// back keeps the stored secret.
/// </summary>
public sealed partial class DataSourceService(IConnectorCatalog store, ConnectorSupervisor supervisor, ConnectorKeys keys, TimeProvider clock, ISecretProtector? secrets = null)
{
    /// <summary>What a masked secret reads as.</summary>
    public const string Mask = "********";

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex KeyPattern();

    public async Task<IReadOnlyList<DataSourceView>> ListAsync(long tenantId, CancellationToken ct)
    {
        var sources = await store.DataSourcesAsync(tenantId, ct);
        return sources.Select(s => View(tenantId, s)).ToList();
    }

    public async Task<DataSourceView?> GetAsync(long tenantId, string key, CancellationToken ct)
    {
        var sources = await store.DataSourcesAsync(tenantId, ct);
        return sources.FirstOrDefault(s => s.Key == key) is { } s ? View(tenantId, s) : null;
    }

    /// <summary>Checks and stores a definition; the supervisor (re)starts its connector right after.</summary>
    public async Task<DataSourceSaveResult> SaveAsync(long tenantId, string key, string? kind, bool enabled, long? apiKeyId, JsonNode? settings, CancellationToken ct)
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(key) || !KeyPattern().IsMatch(key))
            errors.Add($"key: '{key}' is not a usable key; use 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
        var factory = kind is null ? null : supervisor.Factory(kind);
        if (factory is null)
            errors.Add($"kind: '{kind}' is not a data-source kind; use one of {string.Join(", ", supervisor.Kinds.Order())}");
        if (await keys.ProblemForDefinitionAsync(tenantId, apiKeyId, ct) is { } keyProblem) errors.Add(keyProblem);
        if (settings is not JsonObject settingsObject)
        {
            errors.Add("settings: an object with the connector's settings is required");
            return new DataSourceSaveResult(null, false, errors);
        }
        var existing = (await store.DataSourcesAsync(tenantId, ct)).FirstOrDefault(s => s.Key == key);
        var unmasked = (JsonObject)settingsObject.DeepClone();
        if (existing is not null) RestoreSecrets(unmasked, JsonNode.Parse(existing.Definition));
        else if (ContainsMask(unmasked)) errors.Add($"settings: a secret reads '{Mask}' (a masked value) but there is no stored value to keep; type the secret");
        // Checked in clear, stored encrypted.
        TransformSecrets(unmasked, Reveal);
        var json = unmasked.ToJsonString();
        if (factory is not null) errors.AddRange(factory.Validate(json).Select(e => "settings." + e));
        if (errors.Count > 0) return new DataSourceSaveResult(null, false, errors);
        TransformSecrets(unmasked, Protect);

        var saved = await store.SaveDataSourceAsync(tenantId,
            new StoredDataSource(key, factory!.Kind, unmasked.ToJsonString(), enabled, clock.GetUtcNow().ToUnixTimeMilliseconds()) { ApiKeyId = apiKeyId }, ct);
        supervisor.RequestReload();
        return new DataSourceSaveResult(View(tenantId, saved), existing is null, []);
    }

    public async Task<bool> DeleteAsync(long tenantId, string key, CancellationToken ct)
    {
        var deleted = await store.DeleteDataSourceAsync(tenantId, key, ct);
        if (deleted) supervisor.RequestReload();
        return deleted;
    }

    private DataSourceView View(long tenantId, StoredDataSource s)
    {
        var settings = JsonNode.Parse(s.Definition);
        MaskSecrets(settings);
        var status = supervisor.Status(tenantId, s.Key);
        // The supervisor may not have caught up with a save yet: show its status only for the stored version.
        if (status is not null && status.Version != s.Version) status = null;
        return new DataSourceView(s.Key, s.Kind, s.Enabled, s.ApiKeyId, s.Version, DateTimeOffset.FromUnixTimeMilliseconds(s.UpdatedAt), settings, status);
    }

    private static bool IsSecret(string name) => name.Equals("password", StringComparison.OrdinalIgnoreCase);

    private string? Protect(string? secret) => secrets is null ? secret : secrets.Protect(secret);

    private string? Reveal(string? stored) => secrets is null ? stored : secrets.Reveal(stored);

    /// <summary>A stored definition with its secrets in clear, for the connector that uses it.</summary>
    public static string Revealed(string definition, ISecretProtector? secrets)
    {
        if (secrets is null) return definition;
        var node = JsonNode.Parse(definition);
        TransformSecrets(node, secrets.Reveal);
        return node?.ToJsonString() ?? definition;
    }

    /// <summary>Replaces every secret string value (a <c>password</c> anywhere in the settings) by <paramref name="map"/> of it.</summary>
    internal static void TransformSecrets(JsonNode? node, Func<string?, string?> map)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                {
                    if (IsSecret(name) && o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String) o[name] = map(v.GetValue<string>());
                    else TransformSecrets(o[name], map);
                }
                break;
            case JsonArray a:
                foreach (var item in a) TransformSecrets(item, map);
                break;
        }
    }

    /// <summary>Stores every data source again with its secrets encrypted (those saved before encryption existed); returns how many changed.</summary>
    public async Task<int> ProtectStoredSecretsAsync(long tenantId, CancellationToken ct)
    {
        if (secrets is null) return 0;
        var changed = 0;
        foreach (var source in await store.DataSourcesAsync(tenantId, ct))
        {
            var node = JsonNode.Parse(source.Definition);
            TransformSecrets(node, secrets.Protect);
            var json = node?.ToJsonString();
            if (json is null || json == JsonNode.Parse(source.Definition)?.ToJsonString()) continue;
            await store.SaveDataSourceAsync(tenantId, source with { Definition = json, UpdatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds() }, ct);
            changed++;
        }
        return changed;
    }

    internal static void MaskSecrets(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                {
                    if (IsSecret(name) && o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String) o[name] = Mask;
                    else MaskSecrets(o[name]);
                }
                break;
            case JsonArray a:
                foreach (var item in a) MaskSecrets(item);
                break;
        }
    }

    /// <summary>Puts the stored secret back wherever the incoming settings carry the mask at the same path.</summary>
    internal static void RestoreSecrets(JsonNode? incoming, JsonNode? stored)
    {
        switch (incoming)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                {
                    var old = (stored as JsonObject)?[name];
                    if (IsSecret(name) && o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == Mask)
                        o[name] = old?.DeepClone();
                    else RestoreSecrets(o[name], old);
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++) RestoreSecrets(a[i], stored is JsonArray sa && i < sa.Count ? sa[i] : null);
                break;
        }
    }

    private static bool ContainsMask(JsonNode? node) => node switch
    {
        JsonObject o => o.Any(p => (IsSecret(p.Key) && p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == Mask) || ContainsMask(p.Value)),
        JsonArray a => a.Any(ContainsMask),
        _ => false,
    };
}
