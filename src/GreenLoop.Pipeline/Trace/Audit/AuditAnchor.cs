using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GreenLoop.Storage;

namespace GreenLoop.Pipeline.Trace.Audit;

/// <summary>One signed checkpoint: after entry <see cref="Seq"/> of a tenant's chain, its hash was <see cref="Head"/>.</summary>
public sealed record AuditCheckpoint(long Tenant, long Seq, string Head, long At, string Mac);

/// <summary>
/// Anchors the audit chain outside the database: after every entry, a checkpoint line (tenant, entry number, head hash,
/// time) with an HMAC-SHA256 under a key the database does not hold is appended to a file. Someone who can write the
/// database but has neither the key nor the file cannot rewrite entries (their hashes no longer match the
/// checkpoints), cut off the newest ones (the latest checkpoint names an entry that is gone), or forge checkpoints
/// (wrong MAC). Where the key and the file live is the operator's choice: <c>GreenLoop:Security:AuditKey</c> (base64, from a
/// secret store) or the key file, and <c>GreenLoop:Security:AuditCheckpointFile</c>.
/// </summary>
public sealed class AuditAnchor
{
    private readonly byte[] _key;
    private readonly Lock _gate = new();

    public AuditAnchor(byte[] key, string checkpointFile)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(checkpointFile);
        if (key.Length < 32) throw new ArgumentException("the audit key must be at least 32 bytes", nameof(key));
        _key = key;
        CheckpointFile = Path.GetFullPath(checkpointFile);
    }

    public string CheckpointFile { get; }

    /// <summary>
    /// The key from <paramref name="base64Key"/> if given, else from <paramref name="keyFile"/>, created (32 random bytes,
    /// readable by this account only) when <paramref name="create"/> and missing; null when there is none.
    /// </summary>
    public static byte[]? LoadKey(string? base64Key, string keyFile, bool create)
    {
        ArgumentNullException.ThrowIfNull(keyFile);
        if (!string.IsNullOrWhiteSpace(base64Key)) return Convert.FromBase64String(base64Key);
        if (File.Exists(keyFile)) return Convert.FromBase64String(File.ReadAllText(keyFile).Trim());
        if (!create) return null;
        var key = RandomNumberGenerator.GetBytes(32);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(keyFile, options))
        using (var writer = new StreamWriter(stream))
            writer.Write(Convert.ToBase64String(key));
        return key;
    }

    /// <summary>Appends the checkpoint of <paramref name="entry"/> (one line of JSON, written in one append).</summary>
    public void Write(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var checkpoint = new AuditCheckpoint(entry.TenantId, entry.Seq, entry.Hash, entry.At, Mac(entry.TenantId, entry.Seq, entry.Hash, entry.At));
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(checkpoint, JsonSerializerOptions.Web) + "\n");
        lock (_gate)
        {
            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var stream = new FileStream(CheckpointFile, options);
            stream.Write(line);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>
    /// Checks a tenant's chain against its checkpoints: every checkpoint's MAC, and for every checkpointed entry that its
    /// hash is the one the checkpoint recorded; the newest checkpoint's entry must still exist.
    /// </summary>
    public AuditVerification Check(long tenantId, AuditVerification chain, IReadOnlyDictionary<long, string> hashes)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(hashes);
        if (!File.Exists(CheckpointFile))
            return chain with { Intact = false, Problem = $"the checkpoint file {CheckpointFile} is missing: the chain cannot be checked against its anchor" };
        long newest = 0;
        var lineNumber = 0;
        foreach (var line in File.ReadLines(CheckpointFile))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            AuditCheckpoint? c;
            try { c = JsonSerializer.Deserialize<AuditCheckpoint>(line, JsonSerializerOptions.Web); }
            catch (JsonException) { c = null; }
            if (c is null || c.Mac != Mac(c.Tenant, c.Seq, c.Head, c.At))
                return chain with { Intact = false, Problem = $"checkpoint line {lineNumber} of {CheckpointFile} is not signed with the audit key (forged or damaged)" };
            if (c.Tenant != tenantId) continue;
            newest = Math.Max(newest, c.Seq);
            if (!hashes.TryGetValue(c.Seq, out var hash))
            {
                if (c.Seq > chain.Entries)
                    return chain with { Intact = false, BrokenAt = chain.Entries + 1, Problem = $"entries {chain.Entries + 1} to {c.Seq} are missing: a signed checkpoint records entry {c.Seq} (head {c.Head}), the trail now ends at {chain.Entries}" };
                continue;
            }
            if (hash != c.Head)
                return chain with { Intact = false, BrokenAt = c.Seq, Problem = $"entry {c.Seq} is not the one its signed checkpoint recorded (hash {hash}, checkpoint {c.Head}): the trail was rewritten from there" };
        }
        return chain;
    }

    /// <summary>The tenants that have checkpoints (so a trail cut to nothing is still checked).</summary>
    public IReadOnlySet<long> Tenants()
    {
        var tenants = new HashSet<long>();
        if (!File.Exists(CheckpointFile)) return tenants;
        foreach (var line in File.ReadLines(CheckpointFile))
        {
            if (line.Length == 0) continue;
            try
            {
                if (JsonSerializer.Deserialize<AuditCheckpoint>(line, JsonSerializerOptions.Web) is { } c) tenants.Add(c.Tenant);
            }
            catch (JsonException)
            {
                // A damaged line is reported by Check.
            }
        }
        return tenants;
    }

    private string Mac(long tenant, long seq, string head, long at)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"greenloop-audit-checkpoint|{tenant}|{seq}|{head}|{at}");
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text)));
    }
}
