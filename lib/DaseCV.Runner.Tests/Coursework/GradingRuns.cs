using System.Text.RegularExpressions;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Coursework.Grading;
using DaseCV.Runner.Commands;

namespace DaseCV.Runner.Tests.Coursework;

/// <summary>
/// Grades five submissions of this repository's assignment once for all grading tests, with one scratch work folder
/// (so only the first grading builds everything): the solution, the bare handout, the solution with one planted
/// bug, and two hostile submissions.
/// </summary>
public sealed partial class GradingRuns : IAsyncLifetime
{
    public const string SoftmaxFile = "lib/DaseCV/Classifiers/SoftmaxLoss.cs";
    public const string ClassifierFile = "lib/DaseCV/Classifiers/LinearClassifier.cs";

    // Long enough for a legitimate check on a busy 2-core machine, short enough that two endless loops stay cheap.
    internal static readonly CheckLimits Limits = CheckLimits.Default with { Time = TimeSpan.FromSeconds(15) };

    private readonly string _temp = TestPaths.NewTempDirectory();

    /// <summary>The scratch copy, kept between test runs under the system temp folder.</summary>
    public static string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), "dasecv-runner-tests-grade-work");

    internal GradingResults Solution { get; private set; } = null!;
    internal GradingResults Handout { get; private set; } = null!;
    internal GradingResults PlantedBug { get; private set; } = null!;
    internal GradingResults LoopExitThrow { get; private set; } = null!;
    internal GradingResults SpamAndTamper { get; private set; } = null!;

    public string SolutionSubmission => Path.Combine(_temp, "solution");
    public string HandoutFolder => Path.Combine(_temp, "handout");
    public string SpamAndTamperOut => Path.Combine(_temp, "out-hostile-2");
    public string SolutionOut => Path.Combine(_temp, "out-solution");

    public async Task InitializeAsync()
    {
        var root = TestPaths.RepositoryRoot;
        var layout = CourseLayout.Default;
        CopySubmission(root, layout, SolutionSubmission);
        Runner.Coursework.Handout.Write(root, HandoutFolder, layout, includeSvmExercise: true);

        var planted = Path.Combine(_temp, "planted");
        CopySubmission(root, layout, planted);
        // The classic slip: the naive gradient is never divided by N.
        EditRegion(planted, SoftmaxFile, "SoftmaxLoss.Naive", code =>
        {
            var withoutDivision = DivideGradientByN().Replace(code, "", 1);
            Assert.True(withoutDivision != code, $"could not plant the bug: no 'dW /= …' or 'dW = dW / …' line in SoftmaxLoss.Naive:\n{code}");
            return withoutDivision;
        });

        var hostile1 = Path.Combine(_temp, "hostile-1");
        CopySubmission(root, layout, hostile1);
        EditRegion(hostile1, SoftmaxFile, "SoftmaxLoss.Naive", code => "while (true) { }\n" + code);
        EditRegion(hostile1, SoftmaxFile, "SoftmaxLoss.Vectorized", code => "Environment.Exit(0);\n" + code);
        EditRegion(hostile1, ClassifierFile, "LinearClassifier.Train", code => "throw new InvalidOperationException(\"hostile submission\");\n" + code);

        var hostile2 = Path.Combine(_temp, "hostile-2");
        CopySubmission(root, layout, hostile2);
        EditRegion(hostile2, SoftmaxFile, "SoftmaxLoss.Naive",
            code => "for (var spam = 0; spam < 200000; spam++) Console.WriteLine(\"spam spam spam spam spam spam spam spam spam spam\");\n" + code);
        var resultsFile = Path.Combine(SpamAndTamperOut, "results.json");
        EditRegion(hostile2, SoftmaxFile, "SoftmaxLoss.Vectorized",
            code => $"System.IO.File.WriteAllText(@\"{resultsFile}\", \"{{\\\"score\\\": 100, \\\"tests\\\": []}}\");\n" + code);

        Solution = await Grade(SolutionSubmission, SolutionOut);
        Handout = await Grade(HandoutFolder, Path.Combine(_temp, "out-handout"));
        PlantedBug = await Grade(planted, Path.Combine(_temp, "out-planted"));
        LoopExitThrow = await Grade(hostile1, Path.Combine(_temp, "out-hostile-1"));
        SpamAndTamper = await Grade(hostile2, SpamAndTamperOut);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The gradings' progress lines (build and check times), for a look when a test fails.</summary>
    public string LogPath => Path.Combine(_temp, "grading.log");

    private Task<GradingResults> Grade(string submission, string outDir) =>
        GradeCommand.GradeAsync(TestPaths.RepositoryRoot, CourseLayout.Default, submission, outDir, WorkDirectory, Limits,
            line => File.AppendAllText(LogPath, $"{DateTime.UtcNow:HH:mm:ss} {Path.GetFileName(submission)}: {line}\n"));

    /// <summary>What `submit` would collect from a finished working copy: the marked files and the notebook.</summary>
    internal static void CopySubmission(string root, CourseLayout layout, string folder)
    {
        foreach (var file in layout.MarkedFiles(root).Append(layout.Notebook))
        {
            var target = Path.Combine(folder, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(root, file), target);
        }
    }

    /// <summary>Rewrites the code of one marked region of a submitted file.</summary>
    internal static void EditRegion(string folder, string relativePath, string function, Func<string, string> edit)
    {
        var path = Path.Combine(folder, relativePath);
        var text = File.ReadAllText(path);
        var regions = SolutionMarkers.Find(text, relativePath);
        Assert.True(regions.Any(r => r.Function == function), $"{relativePath} has no marked region in {function}; regions: {string.Join(", ", regions.Select(r => r.Function))}");
        File.WriteAllText(path, SolutionMarkers.Replace(text, regions, r => r.Function == function ? r.Indent + edit(r.Code.Trim()) : r.Code));
    }

    [GeneratedRegex(@"^[ \t]*dW\s*(?:/=|=\s*dW\s*/)[^;]*;[ \t]*\r?\n", RegexOptions.Multiline)]
    private static partial Regex DivideGradientByN();
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GradingRunsCollection : ICollectionFixture<GradingRuns>
{
    public const string Name = "Coursework gradings";
}
