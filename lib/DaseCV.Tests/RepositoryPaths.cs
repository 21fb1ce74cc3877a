namespace DaseCV.Tests;

/// <summary>Files of the repository that tests read as they are committed (README.md, the notebook).</summary>
internal static class RepositoryPaths
{
    /// <summary>The repository root: the folder above the test binaries that holds DaseCV.slnx.</summary>
    public static string Root { get; } = Runner.IO.RepositoryRoot.Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"No {Runner.IO.RepositoryRoot.Marker} above {AppContext.BaseDirectory}.");
}
