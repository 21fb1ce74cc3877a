using System.Diagnostics;
using System.IO.Compression;
using DaseCV.Runner.Commands;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Coursework.Grading;

namespace DaseCV.Runner.Tests.Coursework;

[Trait("Category", "EndToEnd")]
[Collection(GradingRunsCollection.Name)]
public sealed class GradescopeBundleTests(GradingRuns runs)
{
    private readonly string _root = TestPaths.NewTempDirectory();

    private string Bundle(IReadOnlyList<Exercise>? exercises = null)
    {
        var zip = Path.Combine(_root, "autograder.zip");
        GradescopeBundleCommand.Write(TestPaths.RepositoryRoot, CourseLayout.Default, zip, exercises, TestPaths.TuningData);
        return zip;
    }

    private static string Script(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    [Fact]
    public void Should_Hold_Executable_Scripts_And_The_Grading_Sources_Without_Build_Outputs()
    {
        using var zip = ZipFile.OpenRead(Bundle());
        var names = zip.Entries.Select(e => e.FullName).ToList();

        foreach (var script in new[] { "setup.sh", "run_autograder" })
            Assert.Equal(0b111_101_101, (zip.GetEntry(script)!.ExternalAttributes >> 16) & 0b111_111_111);
        Assert.Contains("lib/DaseCV.Grader/DaseCV.Grader.csproj", names);
        Assert.Contains("lib/DaseCV/Classifiers/SoftmaxLoss.cs", names);
        Assert.Contains("lib/DaseCV.Grader/Catalog.cs", names);
        Assert.Contains("lib/DaseCV.Grader/Harness/DaseCV.Grader.Harness.csproj", names);
        Assert.All(CourseLayout.Default.Exercises, e => Assert.Contains(e.Notebook, names));
        // The whole assignment: grade's default, every exercise the grader has checks for.
        Assert.DoesNotContain("--exercise", Script(zip, "run_autograder"));
        Assert.DoesNotContain(names, n => n.Contains("/bin/") || n.Contains("/obj/"));
        Assert.DoesNotContain(names, n => n.StartsWith("lib/DaseCV.Tests/", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Grade_Only_The_Exercises_Of_A_Release_When_Asked()
    {
        using var zip = ZipFile.OpenRead(Bundle(CourseLayout.Default.Choose(["svm,knn"])));

        Assert.Contains("grade \"$ROOT/submission\" --one --allow-unlimited --skip-self-test --out \"$ROOT/results\" --exercise knn,svm", Script(zip, "run_autograder"));
        Assert.Contains("--out \"$ROOT/setup-check\" --exercise knn,svm", Script(zip, "setup.sh"));
    }

    [Fact]
    public async Task Run_Autograder_Should_Grade_The_Submission_Folder_Into_The_Results_Folder()
    {
        // Gradescope's layout, with /autograder mapped to a temporary folder.
        var autograder = Path.Combine(_root, "autograder");
        ZipFile.ExtractToDirectory(Bundle(), Path.Combine(autograder, "source"));
        GradingRuns.CopySubmission(TestPaths.RepositoryRoot, CourseLayout.Default, Path.Combine(autograder, "submission"));

        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(autograder, "source", "run_autograder"));
        start.Environment["AUTOGRADER_ROOT"] = autograder;
        // The runner these tests built (with the grader): setup.sh's build, skipped.
        start.Environment["DASECV_RUNNER"] = Path.Combine(AppContext.BaseDirectory, "DaseCV.Runner.dll");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        var resultsPath = Path.Combine(autograder, "results", "results.json");
        Assert.True(File.Exists(resultsPath), await output + await errors);
        var results = GradingResults.FromJson(File.ReadAllText(resultsPath));
        Assert.Equal(runs.Solution.MaxScore, results.Score);
        // Every exercise the grader has checks for, each with its full marks.
        Assert.All(runs.Pipeline.Exercises, e => Assert.Contains(results.Tests, t => t.Name.StartsWith(e.Id + " · ", StringComparison.Ordinal)));
        Assert.Equal(runs.Solution.Tests.Select(t => t.Name), results.Tests.Select(t => t.Name));
        Assert.True(File.Exists(Path.Combine(autograder, "results", "report.html")));
    }
}
