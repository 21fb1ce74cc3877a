namespace DaseCV.Runner.Tests;

/// <summary>Folders the tests read from and write to.</summary>
internal static class TestPaths
{
    /// <summary>The repository root (the folder holding DaseCV.slnx).</summary>
    public static string RepositoryRoot { get; } = IO.RepositoryRoot.Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"No {IO.RepositoryRoot.Marker} above {AppContext.BaseDirectory}.");

    /// <summary>lib/DaseCV.Runner.Tests/TestData in the source tree (notebooks #r paths relative to it).</summary>
    public static string TestData => Path.Combine(RepositoryRoot, "lib", "DaseCV.Runner.Tests", "TestData");

    private static readonly Lazy<string> Tuning = new(() =>
    {
        // Never the real CIFAR-10: the synthetic stand-in, as many training images as the retraining subset holds.
        var root = NewTempDirectory();
        const int images = DaseCV.Grader.TuningSubset.Training + DaseCV.Grader.TuningSubset.Validation;
        DaseCV.Data.Cifar10.WriteSynthetic(root, recordsPerTrainBatch: images / 5, testRecords: 10, seed: 7);
        return root;
    });

    /// <summary>A data folder holding a synthetic stand-in for the retraining checks' subset of CIFAR-10, written once per test run.</summary>
    public static string TuningData => Tuning.Value;

    /// <summary>A new empty temporary folder.</summary>
    public static string NewTempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "dasecv-runner-tests", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }
}
