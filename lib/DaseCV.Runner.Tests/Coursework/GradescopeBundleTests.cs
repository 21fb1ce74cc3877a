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

    private string Bundle()
    {
        var zip = Path.Combine(_root, "autograder.zip");
        GradescopeBundleCommand.Write(TestPaths.RepositoryRoot, CourseLayout.Default, zip);
        return zip;
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
        Assert.Contains("notebooks/softmax.ipynb", names);
        Assert.DoesNotContain(names, n => n.Contains("/bin/") || n.Contains("/obj/"));
        Assert.DoesNotContain(names, n => n.StartsWith("lib/DaseCV.Tests/", StringComparison.Ordinal));
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
        Assert.Equal(100, results.Score);
        Assert.Equal(runs.Solution.Tests.Select(t => t.Name), results.Tests.Select(t => t.Name));
        Assert.True(File.Exists(Path.Combine(autograder, "results", "report.html")));
    }
}
