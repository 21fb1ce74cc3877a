using System.Text.RegularExpressions;
using DaseCV.Runner.IO;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Coursework;

/// <summary>
/// Where the coursework lives in the repository: the exercises (each a notebook and the marked functions it owns),
/// the folder whose C# files hold marked student parts, and the files that only instructors get.
/// </summary>
/// <param name="Exercises">The assignment's exercises, in the order they are taught.</param>
/// <param name="StudentCodeFolder">Folder scanned for C# files with solution markers.</param>
/// <param name="InstructorOnly">Globs (relative, '/' separated; <c>**</c> any folders, <c>*</c> any name part) left out of the handout.</param>
internal sealed record CourseLayout(IReadOnlyList<Exercise> Exercises, string StudentCodeFolder, IReadOnlyList<string> InstructorOnly)
{
    // Tuning cells that also print results: each exercise's marked tuning cell and a column of its results table.
    private const string SvmTuning = "1fbcc2c709f6", SoftmaxTuning = "dff4d36007d7", NetTuning = "35cc7697c3ed", FeaturesTuning = "f83c4fccb1e9";

    /// <summary>This repository's layout: each exercise's cells by nbformat id (tests check they are still in its notebook).</summary>
    public static CourseLayout Default { get; } = new(
        Exercises:
        [
            new("knn", "notebooks/knn.ipynb", ["KNearestNeighbor.*"], [], [1, 2, 3],
                Settings(("dataset", "cifar10"), ("numTraining", "5000"), ("numTest", "500")), "4f2b586c8356",
                ExerciseResults.Knn(parameters: "b12ff8bfe954", bestK: "b3100124fc7f")),
            // daseCV's svm.ipynb is where students write LinearClassifier.Train/Predict; softmax and features only call them.
            new("svm", "notebooks/svm.ipynb", ["SvmLoss.*", "LinearClassifier.Train", "LinearClassifier.Predict"], [], [1, 2],
                Settings(("dataset", "cifar10"), ("numIters", "1500"), ("numTraining", "49000"), ("numValidation", "1000"), ("numTest", "1000"), ("numDev", "500")),
                SvmTuning, ExerciseResults.LinearClassifier(parameters: "3d129cbf593e", tuning: SvmTuning, test: "76bbe9393737")),
            new("softmax", "notebooks/softmax.ipynb", ["SoftmaxLoss.*"], ["LinearClassifier.Train", "LinearClassifier.Predict"], [1, 2],
                Settings(("dataset", "cifar10"), ("numIters", "2000"), ("numTraining", "49000"), ("numValidation", "1000"), ("numTest", "1000"), ("numDev", "500")),
                SoftmaxTuning, ExerciseResults.LinearClassifier(parameters: "f1f1425b65e5", tuning: SoftmaxTuning, test: "253c83aab8cd")),
            new("two_layer_net", "notebooks/two_layer_net.ipynb", ["TwoLayerNet.*"], [], [2],
                Settings(("dataset", "cifar10"), ("numIters", "1000"), ("tuneIters", "3000"), ("numTraining", "49000"), ("numValidation", "1000"), ("numTest", "1000")),
                NetTuning, ExerciseResults.TwoLayerNet(parameters: "0a70b0581afa", firstNet: "58886a3f6f38", tuning: NetTuning, test: "5729f72fed92"),
                [ChoiceCell.TwoLayerNet("tuned-accuracy", "a1c7e2f0b935")]),
            // daseCV's features.py has no TODOs: the exercise is the notebook's tuning cells and answers, on the SVM and the net.
            new("features", "notebooks/features.ipynb", [], ["SvmLoss.*", "LinearClassifier.Train", "LinearClassifier.Predict", "TwoLayerNet.*"], [1],
                Settings(("dataset", "cifar10"), ("svmIters", "1500"), ("netIters", "2000"), ("numTraining", "49000"), ("numValidation", "1000"), ("numTest", "1000")),
                FeaturesTuning,
                ExerciseResults.Features(parameters: "69990f480f1c", svmTuning: FeaturesTuning, svmTest: "abef6f9817ed", netTuning: "f59766698ab7", netTest: "b2476494564b"),
                [ChoiceCell.LinearSvm("svm-tuned", "b6d3f1a8c204"), ChoiceCell.TwoLayerNet("net-tuned", "c9e4a2d7f613")]),
        ],
        StudentCodeFolder: "lib/DaseCV",
        InstructorOnly:
        [
            // The grader and its reference checks, the solution's own tests, the benchmarks (their student workload
            // is a solution), the instructor's CI and README (the release gets StudentReadme as its README.md).
            "lib/DaseCV.Grader/**",
            "lib/DaseCV.Benchmarks/**",
            "lib/DaseCV.Tests/Classifiers/**",
            ".ci/**",
            "README.md",
            // The release's tests are the student's: only lib/DaseCV.Tests/StudentParts/ (and the project file).
            // The library's own tests (data, kernels, display, notebook hygiene) and the runner's are the instructor's.
            "lib/DaseCV.Tests/*.cs",
            "lib/DaseCV.Tests/Data/**",
            "lib/DaseCV.Tests/LinearAlgebra/**",
            "lib/DaseCV.Tests/Notebook/**",
            "lib/DaseCV.Tests/fixtures/**",
            "lib/DaseCV.Runner.Tests/**",
            // The instructor's commands (handout, grade, gradescope-bundle): the student's CLI is run, export,
            // submit and get-data (Cli registers what Cli.Instructor.cs adds).
            "lib/DaseCV.Runner/Commands/Cli.Instructor.cs",
            "lib/DaseCV.Runner/Commands/HandoutCommand.cs",
            "lib/DaseCV.Runner/Commands/GradeCommand.cs",
            "lib/DaseCV.Runner/Commands/GradescopeBundleCommand.cs",
            "lib/DaseCV.Runner/Coursework/Handout.cs",
            "lib/DaseCV.Runner/Coursework/Grading/**",
            "lib/DaseCV.Runner/Coursework/StudentReadme.md",
        ]);

    /// <summary>The student README, written as the release's README.md in place of the instructor's.</summary>
    public string StudentReadme { get; init; } = "lib/DaseCV.Runner/Coursework/StudentReadme.md";

    /// <summary>The exercise with id <paramref name="id"/>.</summary>
    /// <exception cref="UsageException">No such exercise; the message lists the course's.</exception>
    public Exercise Find(string id) =>
        Exercises.FirstOrDefault(e => e.Id == id)
        ?? throw new UsageException($"没有名为 '{id}' 的练习；本课程的练习是 {Ids} (no exercise '{id}'; the course's exercises are {Ids}).");

    /// <summary>The exercise whose student writes <paramref name="function"/>; null for a marked function no exercise owns.</summary>
    public Exercise? OwnerOf(string function) => Exercises.FirstOrDefault(e => e.Owns(function));

    /// <summary>
    /// The exercise <paramref name="notebook"/> belongs to, wherever it was saved and under any name: the first whose
    /// result cells it has any of (nbformat ids are random, so another notebook has none); null for none.
    /// </summary>
    public Exercise? ExerciseOf(IpynbNotebook notebook) =>
        Exercises.FirstOrDefault(e => e.Results.Cells.Any(id => notebook.Cells.Any(c => c.Id == id)));

    /// <summary>The exercise whose notebook is <paramref name="notebook"/> (a repository path); null for none.</summary>
    public Exercise? ExerciseOfNotebook(string notebook) => Exercises.FirstOrDefault(e => e.Notebook == notebook);

    /// <summary>The exercises named in <paramref name="ids"/> (comma-separated lists allowed), in the course's order; all of them for none.</summary>
    /// <exception cref="UsageException">An unknown id.</exception>
    public IReadOnlyList<Exercise> Choose(IEnumerable<string>? ids)
    {
        var chosen = (ids ?? []).SelectMany(i => i.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(Find).ToHashSet();
        return chosen.Count == 0 ? Exercises : [.. Exercises.Where(chosen.Contains)];
    }

    /// <summary>What a release of <paramref name="released"/> does with the marked region of <paramref name="function"/>.</summary>
    public RegionInRelease InRelease(string function, IReadOnlyCollection<Exercise> released) =>
        OwnerOf(function) is not { } owner ? RegionInRelease.Solved
        : released.Contains(owner) ? RegionInRelease.Stubbed
        : released.Any(e => e.Calls(function)) ? RegionInRelease.Solved
        : RegionInRelease.Withheld;

    private string Ids => string.Join(", ", Exercises.Select(e => e.Id));

    private static Dictionary<string, string> Settings(params (string Name, string Value)[] settings) => settings.ToDictionary(s => s.Name, s => s.Value);

    /// <summary>The marked regions of the course's files under <paramref name="root"/> (file, region), in file order.</summary>
    public IReadOnlyList<(string RelativePath, MarkedRegion Region)> MarkedRegions(string root) =>
        ReadRegions(MarkedFiles(root), f => Path.Combine(root, f));

    /// <summary>
    /// The marked regions of <paramref name="files"/> (repository paths), each read from <paramref name="locate"/>'s
    /// path for it; a file it gives no path for is skipped.
    /// </summary>
    public static IReadOnlyList<(string RelativePath, MarkedRegion Region)> ReadRegions(IEnumerable<string> files, Func<string, string?> locate) =>
        files.Select(f => (File: f, Path: locate(f)))
            .Where(f => f.Path is not null && File.Exists(f.Path))
            .SelectMany(f => SolutionMarkers.Find(File.ReadAllText(f.Path!), f.File).Select(r => (f.File, r)))
            .ToList();

    /// <summary>True when <paramref name="relativePath"/> ('/' separated) matches an instructor-only glob.</summary>
    public bool IsInstructorOnly(string relativePath) => InstructorOnly.Any(g => Glob(g).IsMatch(relativePath));

    /// <summary>The C# files under <see cref="StudentCodeFolder"/> that hold solution markers and ship in the release, relative, sorted.</summary>
    public IReadOnlyList<string> MarkedFiles(string repositoryRoot)
    {
        var folder = Path.Combine(repositoryRoot, StudentCodeFolder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"{folder} does not exist; expected the course library there.");
        return Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(folder, f)))
            .Where(f => SolutionMarkers.HasMarkers(File.ReadAllText(f)))
            .Select(f => ToRelative(repositoryRoot, f))
            .Where(f => !IsInstructorOnly(f))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The files git tracks under <paramref name="root"/> (<c>git ls-files</c>), relative with '/' separators, sorted; null when git cannot say.</summary>
    /// <param name="root">A folder inside a git checkout.</param>
    /// <param name="why">Why there is no list: git is missing, or the folder is not a checkout (the handout a student got is not one).</param>
    public static IReadOnlyList<string>? GitTrackedFiles(string root, out string why)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var argument in new[] { "-c", "core.quotePath=false", "ls-files", "-z", "--cached", "--", "." })
            start.ArgumentList.Add(argument);
        try
        {
            using var git = System.Diagnostics.Process.Start(start)!;
            var errors = git.StandardError.ReadToEndAsync();
            var listing = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            why = $"`git ls-files` failed in {root}: {errors.Result.Trim()}";
            // An unmerged file (a merge in progress) is listed once per stage.
            return git.ExitCode != 0 ? null : listing.Split('\0', StringSplitOptions.RemoveEmptyEntries).Distinct().Order(StringComparer.Ordinal).ToList();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            why = $"git is not on PATH: {e.Message}";
            return null;
        }
    }

    /// <summary>A cell's first line, shortened: how a student finds a cell (VS Code shows no cell numbers).</summary>
    public static string CellTitle(string source)
    {
        var first = SolutionMarkers.Lines(source).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        return first.Length <= 40 ? first : first[..40] + "…";
    }

    /// <summary>A path relative to <paramref name="root"/>, with '/' separators.</summary>
    public static string ToRelative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    /// <summary>bin/, obj/ and similar folders, which are never part of a release or a submission.</summary>
    public static bool IsBuildOutput(string relativePath) =>
        relativePath.Replace('\\', '/').Split('/').SkipLast(1).Any(p => p is "bin" or "obj" or ".git" or "artifacts" or "TestResults" or ".vs" or "BenchmarkDotNet.Artifacts" or "node_modules");

    /// <summary>The repository root (<see cref="IO.RepositoryRoot"/>) at or above <paramref name="start"/>; a usage error outside one.</summary>
    public static string FindRepositoryRoot(string start) =>
        IO.RepositoryRoot.Find(start)
        ?? throw new UsageException($"{Path.GetFullPath(start)} 及其上级文件夹中没有课程仓库（含 {IO.RepositoryRoot.Marker} 的文件夹）：请在仓库中运行 " +
                                    $"(no repository, a folder with {IO.RepositoryRoot.Marker}, at or above {Path.GetFullPath(start)}; run the command from the repository).");

    private static Regex Glob(string glob) => new(
        "^" + Regex.Escape(glob).Replace(@"\*\*/", "(?:.*/)?").Replace(@"\*\*", ".*").Replace(@"\*", "[^/]*") + "$");
}

/// <summary>A marked region in a release.</summary>
internal enum RegionInRelease
{
    /// <summary>A released exercise's: the student writes it (a TODO and a stub).</summary>
    Stubbed,

    /// <summary>Another exercise's that a released one calls (or no exercise's): shipped solved.</summary>
    Solved,

    /// <summary>An exercise's not released yet, which no released one calls: a stub, its solution withheld.</summary>
    Withheld,
}
