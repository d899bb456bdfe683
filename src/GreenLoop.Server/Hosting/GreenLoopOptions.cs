using System.ComponentModel.DataAnnotations;

namespace GreenLoop.Server.Hosting;

/// <summary>Settings under <c>GreenLoop</c> in appsettings.json, or environment variables <c>GreenLoop__*</c>.</summary>
public sealed class GreenLoopOptions
{
    public const string Section = "GreenLoop";

    /// <summary>
    /// Folder of the embedded database (<c>greenloop.db</c>) and of uploads. Relative paths are from the working
    /// directory. Default <c>data</c>. The store itself is chosen under <c>GreenLoop:Storage</c> (see <see cref="StorageOptions"/>).
    /// </summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>SQLite synchronous mode: FULL (default: an acknowledged batch survives power loss) or NORMAL (survives a process crash).</summary>
    [RegularExpression("^(?i)(FULL|NORMAL)$")]
    public string Synchronous { get; set; } = "FULL";

    /// <summary>Key of the tenant used until sign-in arrives. Default <c>default</c>.</summary>
    [Required]
    public string DefaultTenant { get; set; } = "default";

    /// <summary>Largest file the web import accepts, in MB (uploads are kept under <c>{DataDirectory}/imports</c> until imported). Default 50.</summary>
    [Range(1, 2048)]
    public int MaxUploadMegabytes { get; set; } = 50;

    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDirectory), "greenloop.db");
}
