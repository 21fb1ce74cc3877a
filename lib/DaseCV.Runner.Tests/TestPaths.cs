namespace DaseCV.Runner.Tests;

/// <summary>Folders the tests read from and write to.</summary>
internal static class TestPaths
{
    /// <summary>The repository root (the folder holding DaseCV.slnx).</summary>
    public static string RepositoryRoot { get; } = FindUp("DaseCV.slnx");

    /// <summary>lib/DaseCV.Runner.Tests/TestData in the source tree (notebooks #r paths relative to it).</summary>
    public static string TestData => Path.Combine(RepositoryRoot, "lib", "DaseCV.Runner.Tests", "TestData");

    /// <summary>A new empty temporary folder.</summary>
    public static string NewTempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "dasecv-runner-tests", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindUp(string marker)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, marker)))
                return dir.FullName;
        throw new InvalidOperationException($"No {marker} above {AppContext.BaseDirectory}.");
    }
}
