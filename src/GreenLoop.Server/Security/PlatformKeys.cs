using System.Text.Json;

namespace GreenLoop.Server.Security;

/// <summary>One platform operator key as stored: its name, public prefix and the SHA-256 of its secret.</summary>
public sealed record PlatformKey(string Name, string Prefix, string SecretHash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt = null);

/// <summary>
/// The platform operator's keys: they belong to no tenant and allow only the tenant administration API
/// (<c>/api/v1/platform/...</c>). They live in <c>platform-keys.json</c> in the key directory beside the Data Protection
/// key ring (owner-only file), not in the database, so whoever can write the database cannot make one. Key text:
/// <c>glp_</c> + 8-character prefix + <c>_</c> + 32-character secret; only the secret's SHA-256 is kept. The command
/// line makes and revokes them (<c>greenloop platform key create|list|revoke</c>); the server reads the file again when
/// it changes.
/// </summary>
public sealed class PlatformKeys(string path)
{
    public const string FileName = "platform-keys.json";
    public const string Header = "X-Platform-Key";
    private const string Lead = "glp_";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly Lock _gate = new();
    private (DateTime Written, long Length, IReadOnlyList<PlatformKey> Keys) _cache = (DateTime.MinValue, -1, []);

    /// <summary>The keys file of a key directory.</summary>
    public static PlatformKeys In(string keyFolder) => new(Path.Combine(keyFolder, FileName));

    /// <summary>The platform key text a request presents (<c>X-Platform-Key</c> or <c>Authorization: Bearer glp_...</c>), if any.</summary>
    public static string? Presented(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.TryGetValue(Header, out var key) && !string.IsNullOrEmpty(key)) return key.ToString();
        var auth = request.Headers.Authorization.ToString();
        return auth.StartsWith("Bearer " + Lead, StringComparison.Ordinal) ? auth["Bearer ".Length..] : null;
    }

    /// <summary>Splits a platform key into prefix and secret; false if it is not shaped like one.</summary>
    public static bool TryParse(string? text, out string prefix, out string secret)
    {
        prefix = secret = "";
        return text is not null && text.StartsWith(Lead, StringComparison.Ordinal) && ApiKeys.TryParse("gl_" + text[Lead.Length..], out prefix, out secret);
    }

    public IReadOnlyList<PlatformKey> List()
    {
        lock (_gate)
        {
            var info = new FileInfo(path);
            if (!info.Exists) return [];
            if (info.LastWriteTimeUtc == _cache.Written && info.Length == _cache.Length) return _cache.Keys;
            var keys = JsonSerializer.Deserialize<List<PlatformKey>>(File.ReadAllBytes(path), Json) ?? [];
            _cache = (info.LastWriteTimeUtc, info.Length, keys);
            return keys;
        }
    }

    /// <summary>The live key this text is, or null (unknown, revoked, wrong shape).</summary>
    public PlatformKey? Authenticate(string text) =>
        TryParse(text, out var prefix, out var secret)
        && List().FirstOrDefault(k => k.Prefix == prefix) is { RevokedAt: null } key
        && ApiKeys.Matches(secret, key.SecretHash) ? key : null;

    /// <summary>Makes a key named <paramref name="name"/> and returns its text (shown once); null if the name is taken by a live key.</summary>
    public string? Create(string name, DateTimeOffset now)
    {
        lock (_gate)
        {
            var keys = List().ToList();
            if (keys.Any(k => k.Name == name && k.RevokedAt is null)) return null;
            var (text, prefix, hash) = ApiKeys.Generate();
            keys.Add(new PlatformKey(name, prefix, hash, now));
            Write(keys);
            return Lead + text["gl_".Length..];
        }
    }

    /// <summary>Revokes the live key of this name; false if there is none.</summary>
    public bool Revoke(string name, DateTimeOffset now)
    {
        lock (_gate)
        {
            var keys = List().ToList();
            var index = keys.FindIndex(k => k.Name == name && k.RevokedAt is null);
            if (index < 0) return false;
            keys[index] = keys[index] with { RevokedAt = now };
            Write(keys);
            return true;
        }
    }

    private void Write(List<PlatformKey> keys)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, keys, Json);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        _cache = (DateTime.MinValue, -1, []);
    }
}
