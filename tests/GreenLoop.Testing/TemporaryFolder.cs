using Microsoft.Data.Sqlite;

namespace GreenLoop.Testing;

/// <summary>
/// A new, empty folder <c>greenloop-{name}-{guid}</c> in the system's temporary folder (a data directory for the server
/// or the command line, say), deleted with everything in it on dispose, after SQLite's pooled connections are closed.
/// </summary>
public sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder(string name)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"greenloop-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public override string ToString() => Path;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
