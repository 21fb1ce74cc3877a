namespace DaseCV.Runner.Tests;

/// <summary>Folders the tests read from and write to.</summary>
internal static class TestPaths
{
    /// <summary>The repository root (the folder holding DaseCV.slnx).</summary>
    public static string RepositoryRoot { get; } = IO.RepositoryRoot.Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"No {IO.RepositoryRoot.Marker} above {AppContext.BaseDirectory}.");

    /// <summary>lib/DaseCV.Runner.Tests/TestData in the source tree (notebooks #r paths relative to it).</summary>
    public static string TestData => Path.Combine(RepositoryRoot, "lib", "DaseCV.Runner.Tests", "TestData");

    /// <summary>A new empty temporary folder.</summary>
    public static string NewTempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "dasecv-runner-tests", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }
}
