namespace GreenLoop.Testing;

/// <summary>Files of the repository the tests read: scripts, example documents, and the shared datasets beside it.</summary>
public static class Repository
{
    /// <summary>The folder holding GreenLoop.slnx, found by walking up from the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The UCI steel year (shared/datasets/steel-industry-2018.csv next to the repository); fails when it is missing.</summary>
    public static string SteelDataset
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(Root, "..", "shared", "datasets", "steel-industry-2018.csv"));
            Assert.True(File.Exists(path), $"The steel dataset is missing at {path}.");
            return path;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GreenLoop.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("GreenLoop.slnx not found above " + AppContext.BaseDirectory);
    }
}
