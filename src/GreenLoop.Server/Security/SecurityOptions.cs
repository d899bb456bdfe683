using System.ComponentModel.DataAnnotations;

namespace GreenLoop.Server.Security;

/// <summary>Security settings under <c>GreenLoop:Security</c>.</summary>
public sealed class SecurityOptions
{
    public const string Section = "GreenLoop:Security";

    /// <summary>Sign-in attempts per client address per minute. Default 10.</summary>
    [Range(1, 10_000)]
    public int SignInPerMinute { get; set; } = 10;

    /// <summary>Ingest requests per key (or address) per second, sustained. Default 200.</summary>
    [Range(1, 1_000_000)]
    public int IngestPerSecond { get; set; } = 200;

    /// <summary>Ingest requests a key may send in a burst above the sustained rate. Default 400.</summary>
    [Range(1, 1_000_000)]
    public int IngestBurst { get; set; } = 400;

    /// <summary>
    /// Readings (rows, rejected ones included) per key (or address) per second, sustained: the request limit alone
    /// would let a key send 200 bodies of 32 MB a second. Default 500,000.
    /// </summary>
    [Range(1, 100_000_000)]
    public int IngestRowsPerSecond { get; set; } = 500_000;

    /// <summary>Readings a key may send in a burst above the sustained rate; also the most one request may carry. Default 2,000,000.</summary>
    [Range(1, 100_000_000)]
    public int IngestRowsBurst { get; set; } = 2_000_000;

    /// <summary>
    /// Folder of the Data Protection key ring that encrypts stored secrets (and sign-in cookies). Default: <c>keys</c>
    /// in the data directory; put it elsewhere (another disk, a mounted secret) so that a copy of the data directory
    /// alone does not give the secrets away.
    /// </summary>
    public string? KeyDirectory { get; set; }

    /// <summary>
    /// The key (base64, at least 32 bytes) that signs the audit trail's checkpoints; from a secret store. Empty: the
    /// file <c>audit.key</c> in the key directory, created at the first start.
    /// </summary>
    public string? AuditKey { get; set; }

    /// <summary>The append-only file of signed audit checkpoints. Default: <c>audit-checkpoints.jsonl</c> in the key directory.</summary>
    public string? AuditCheckpointFile { get; set; }

    /// <summary>The key ring folder: <see cref="KeyDirectory"/>, or <c>keys</c> in the data directory.</summary>
    public string KeyFolder(string dataDirectory) =>
        Path.GetFullPath(KeyDirectory is { Length: > 0 } k ? k : Path.Combine(string.IsNullOrEmpty(dataDirectory) ? "data" : dataDirectory, "keys"));

    /// <summary>The audit anchor these settings name; the key file is created when <paramref name="create"/> and missing, else null without one.</summary>
    public GreenLoop.Pipeline.Trace.Audit.AuditAnchor? AuditAnchor(string dataDirectory, bool create)
    {
        var folder = KeyFolder(dataDirectory);
        var key = GreenLoop.Pipeline.Trace.Audit.AuditAnchor.LoadKey(AuditKey, Path.Combine(folder, "audit.key"), create);
        return key is null ? null : new GreenLoop.Pipeline.Trace.Audit.AuditAnchor(key,
            AuditCheckpointFile is { Length: > 0 } f ? f : Path.Combine(folder, "audit-checkpoints.jsonl"));
    }

    /// <summary>Largest request body in MB (uploads have their own limit). Default 32.</summary>
    [Range(1, 4096)]
    public int MaxRequestMegabytes { get; set; } = 32;

    /// <summary>How long a sign-in lasts without activity, in hours. Default 8.</summary>
    [Range(1, 24 * 30)]
    public int SessionHours { get; set; } = 8;

    /// <summary>The longest a sign-in lasts, however active (then sign in again), in hours. Default 12.</summary>
    [Range(1, 24 * 90)]
    public int SessionAbsoluteHours { get; set; } = 12;

    /// <summary>
    /// An API key (the full <c>gl_..._...</c> text) that start-up ensures exists with every permission of the default
    /// tenant: for provisioning and automated tests, set from a secret store or environment variable, never in a
    /// committed file. Empty: none.
    /// </summary>
    public string? BootstrapApiKey { get; set; }

    /// <summary>
    /// The first administrator's password when no user exists yet. Empty (default): a random one is generated and
    /// printed once to the console.
    /// </summary>
    public string? InitialAdminPassword { get; set; }
}
