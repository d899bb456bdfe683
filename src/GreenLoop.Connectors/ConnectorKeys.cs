using System.Collections.Concurrent;
using GreenLoop.Storage;

namespace GreenLoop.Connectors;

/// <summary>Whether a data source's API key lets it write now, and to which sites (null: every site of the tenant).</summary>
public sealed record KeyVerdict(string? Error, IReadOnlySet<string>? OnlySites);

/// <summary>
/// Every connector writes with an API key, like any gateway posting over HTTP: the key must belong to the tenant, carry
/// the <c>ingest</c> permission, and be neither revoked nor expired; a site-scoped key limits the meters it may write.
/// Verdicts are cached for a few seconds, so a revocation stops a running connector within that time.
/// </summary>
public sealed class ConnectorKeys(IUserCatalog store, TimeProvider clock)
{
    /// <summary>The permission a key needs to write readings (the same name the API's policies use).</summary>
    public const string IngestPermission = "ingest";

    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<(long Tenant, long Key), (DateTimeOffset Until, KeyVerdict Verdict)> _cache = new();

    /// <summary>Why the key cannot be used to save a definition, or null if it can.</summary>
    public async Task<string?> ProblemForDefinitionAsync(long tenantId, long? keyId, CancellationToken ct)
    {
        if (keyId is null) return "apiKeyId: a data source writes with an API key; create one with the 'ingest' permission and give its id";
        var verdict = await CheckAsync(tenantId, keyId.Value, ct, useCache: false);
        return verdict.Error is null ? null : "apiKeyId: " + verdict.Error;
    }

    public async Task<KeyVerdict> CheckAsync(long tenantId, long keyId, CancellationToken ct, bool useCache = true)
    {
        var now = clock.GetUtcNow();
        if (useCache && _cache.TryGetValue((tenantId, keyId), out var cached) && cached.Until > now) return cached.Verdict;
        var key = (await store.ListApiKeysAsync(tenantId, ct)).FirstOrDefault(k => k.Id == keyId);
        var verdict = key switch
        {
            null => new KeyVerdict($"API key {keyId} does not exist in this tenant", null),
            { RevokedAt: not null } => new KeyVerdict($"API key '{key.Name}' was revoked", null),
            { ExpiresAt: { } expires } when expires <= now.ToUnixTimeMilliseconds() =>
                new KeyVerdict($"API key '{key.Name}' expired at {DateTimeOffset.FromUnixTimeMilliseconds(expires):yyyy-MM-dd HH:mm} UTC", null),
            _ when !key.Permissions.Contains(IngestPermission) => new KeyVerdict($"API key '{key.Name}' lacks the 'ingest' permission", null),
            _ => new KeyVerdict(null, key.Site is null ? null : new HashSet<string>(StringComparer.Ordinal) { key.Site }),
        };
        _cache[(tenantId, keyId)] = (now + CacheFor, verdict);
        return verdict;
    }
}
