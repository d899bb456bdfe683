using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace GreenLoop.Storage;

/// <summary>One entry of the audit trail as stored: what changed, who did it, when, and its link in the hash chain.</summary>
public sealed record AuditEntry
{
    /// <summary>The tenant the change belongs to: each tenant has its own chain.</summary>
    public long TenantId { get; init; }
    /// <summary>Position in the tenant's chain: 1, 2, 3... without gaps.</summary>
    public long Seq { get; init; }
    /// <summary>Unix ms.</summary>
    public long At { get; init; }
    public required string Actor { get; init; }
    /// <summary>What was done, e.g. <c>data-source.save</c>, <c>manual-entry.correct</c>, <c>factor.override</c>.</summary>
    public required string Action { get; init; }
    /// <summary>What it was done to, e.g. <c>data-source:kiln-plc</c>.</summary>
    public required string Subject { get; init; }
    /// <summary>The change itself as JSON (new values; secrets never appear here).</summary>
    public required string Detail { get; init; }
    /// <summary>Hex SHA-256 of the previous entry (64 zeros for the first).</summary>
    public required string PrevHash { get; init; }
    /// <summary>Hex SHA-256 over <see cref="PrevHash"/> and every field of this entry.</summary>
    public required string Hash { get; init; }
}

/// <summary>An audit entry before it is chained.</summary>
public sealed record AuditDraft(long TenantId, long At, string Actor, string Action, string Subject, string Detail);

/// <summary>Whether the chain is intact; if not, the first entry where it breaks and why.</summary>
public sealed record AuditVerification(bool Intact, long Entries, string HeadHash, long? BrokenAt, string? Problem);

/// <summary>
/// The hash chain of the audit trail, one chain per tenant (so one tenant learns nothing, not even how much, of another's
/// changes): each entry's hash covers the previous entry's hash and all of its own fields, so
/// editing, deleting or reordering any stored entry breaks every hash after it. Fields are length-prefixed (so that
/// "ab"+"c" and "a"+"bc" hash differently) and encoded as UTF-8. Truncating the newest entries cannot be seen from the
/// chain alone: record the head hash (<c>greenloop audit verify</c> prints it) somewhere else to detect that too.
/// </summary>
public static class AuditChain
{
    public static readonly string Genesis = new('0', 64);

    public static string ComputeHash(string prevHash, long seq, AuditDraft draft)
    {
        ArgumentNullException.ThrowIfNull(prevHash);
        ArgumentNullException.ThrowIfNull(draft);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendText(sha, prevHash);
        AppendLong(sha, seq);
        AppendLong(sha, draft.TenantId);
        AppendLong(sha, draft.At);
        AppendText(sha, draft.Actor);
        AppendText(sha, draft.Action);
        AppendText(sha, draft.Subject);
        AppendText(sha, draft.Detail);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    public static AuditEntry Link(string prevHash, long seq, AuditDraft draft) => new()
    {
        Seq = seq,
        TenantId = draft.TenantId,
        At = draft.At,
        Actor = draft.Actor,
        Action = draft.Action,
        Subject = draft.Subject,
        Detail = draft.Detail,
        PrevHash = prevHash,
        Hash = ComputeHash(prevHash, seq, draft),
    };

    /// <summary>Walks entries in order of <see cref="AuditEntry.Seq"/> and checks every link.</summary>
    public static AuditVerification Verify(IEnumerable<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var walk = new Walk();
        foreach (var e in entries)
            if (!walk.Next(e)) break;
        return walk.Result;
    }

    /// <summary>A verification in progress, fed one entry at a time (so a long chain can be read page by page).</summary>
    public sealed class Walk
    {
        private string _prev = Genesis;
        private long _count;
        private AuditVerification? _failure;

        /// <summary>Checks the next entry; false (and <see cref="Result"/> says why) once the chain is broken.</summary>
        public bool Next(AuditEntry e)
        {
            ArgumentNullException.ThrowIfNull(e);
            if (_failure is not null) return false;
            var expected = _count + 1;
            string? problem = null;
            if (e.Seq != expected)
                problem = $"entry {expected} is missing (the next stored entry is {e.Seq})";
            else if (e.PrevHash != _prev)
                problem = $"entry {e.Seq} does not link to entry {e.Seq - 1}: an entry before it was changed or removed";
            else if (ComputeHash(_prev, e.Seq, new AuditDraft(e.TenantId, e.At, e.Actor, e.Action, e.Subject, e.Detail)) != e.Hash)
                problem = $"entry {e.Seq} was changed after it was written (its content does not match its hash)";
            if (problem is not null)
            {
                _failure = new AuditVerification(false, _count, _prev, expected, problem);
                return false;
            }
            _prev = e.Hash;
            _count++;
            return true;
        }

        public AuditVerification Result => _failure ?? new AuditVerification(true, _count, _prev, null, null);
    }

    private static void AppendText(IncrementalHash sha, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        AppendLong(sha, bytes.Length);
        sha.AppendData(bytes);
    }

    private static void AppendLong(IncrementalHash sha, long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(buffer, value);
        sha.AppendData(buffer);
    }
}
