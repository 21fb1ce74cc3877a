namespace DaseCV.Tests;

/// <summary>Files of the repository that tests read as they are committed (README.md, the notebook).</summary>
internal static class RepositoryPaths
{
    /// <summary>The repository root: the folder above the test binaries that holds DaseCV.slnx.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DaseCV.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"No DaseCV.slnx above {AppContext.BaseDirectory}.");
    }
}
