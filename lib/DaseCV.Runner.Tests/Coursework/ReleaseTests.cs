using DaseCV.Runner.Coursework;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Coursework;

/// <summary>The handout of this repository's own assignment.</summary>
public sealed class ReleaseTests
{
    private static readonly CourseLayout Layout = CourseLayout.Default;
    private readonly string _release = Path.Combine(TestPaths.NewTempDirectory(), "handout");

    [Fact]
    public void Should_Mark_The_Softmax_Functions_And_The_Tuning_Block()
    {
        var functions = Layout.MarkedFiles(TestPaths.RepositoryRoot)
            .SelectMany(f => SolutionMarkers.Find(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, f)), f))
            .Select(r => r.Function)
            .ToList();

        Assert.Contains("SoftmaxLoss.Naive", functions);
        Assert.Contains("SoftmaxLoss.Vectorized", functions);
        Assert.Contains("LinearClassifier.Train", functions);
        Assert.Contains("LinearClassifier.Predict", functions);
        var notebook = IpynbNotebook.Load(Path.Combine(TestPaths.RepositoryRoot, Layout.Notebook));
        Assert.Contains(notebook.Cells, c => c.Type == "code" && SolutionMarkers.HasMarkers(c.Source));
        Assert.Equal(3, NotebookAnswers.Find(notebook).Count);
    }

    [Fact]
    public void Should_Keep_No_Solution_Line_Between_The_Markers()
    {
        Handout.Write(TestPaths.RepositoryRoot, _release, Layout, keepSvm: false);

        foreach (var file in Layout.MarkedFiles(TestPaths.RepositoryRoot))
        {
            var solutionText = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, file));
            var releaseText = File.ReadAllText(Path.Combine(_release, file));
            var solution = SolutionMarkers.Find(solutionText, file);
            var release = SolutionMarkers.Find(releaseText, file);

            // Same regions, each now a stub; no line of solution logic anywhere in the released file.
            Assert.Equal(solution.Select(r => r.Function), release.Select(r => r.Function));
            Assert.All(release, r => Assert.True(SolutionMarkers.IsStub(r), $"{file}: {r.Function} is not a stub:\n{r.Code}"));
            var outside = SolutionMarkers.Replace(solutionText, solution, _ => "");
            foreach (var line in solution.SelectMany(r => SolutionMarkers.SubstantialLines(r.Code)).Where(l => !outside.Contains(l)))
                Assert.False(releaseText.Contains(line), $"{file}: the solution line '{line}' survived in the release");
        }

        var solutionNotebook = IpynbNotebook.Load(Path.Combine(TestPaths.RepositoryRoot, Layout.Notebook));
        var releaseNotebook = IpynbNotebook.Load(Path.Combine(_release, Layout.Notebook));
        var releaseSource = string.Concat(releaseNotebook.Cells.Select(c => c.Source));
        foreach (var cell in solutionNotebook.Cells.Where(c => c.Type == "code" && SolutionMarkers.HasMarkers(c.Source)))
        {
            var regions = SolutionMarkers.Find(cell.Source, Layout.Notebook, "cell");
            var outside = SolutionMarkers.Replace(cell.Source, regions, _ => "");
            foreach (var line in regions.SelectMany(r => SolutionMarkers.SubstantialLines(r.Code)).Where(l => !outside.Contains(l)))
                Assert.False(releaseSource.Contains(line), $"{Layout.Notebook}: the solution line '{line}' survived in the release");
        }

        // Every answer is the placeholder now; the explanations (not "对" / "错") appear nowhere in the release.
        Assert.All(NotebookAnswers.Find(releaseNotebook), a => Assert.Equal($"*{NotebookAnswers.PlaceholderText}*", a.Text));
        foreach (var answer in NotebookAnswers.Find(solutionNotebook).Where(a => a.Text.Length > 10))
            Assert.DoesNotContain(answer.Text, releaseNotebook.ToJson());
    }

    [Fact]
    public void Should_Hold_No_Longer_Solution_Line_In_Any_Source_File()
    {
        Handout.Write(TestPaths.RepositoryRoot, _release, Layout, keepSvm: false);

        // Lines of solution logic long enough to be telling, and not also written outside the markers.
        var telling = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Layout.MarkedFiles(TestPaths.RepositoryRoot))
        {
            var text = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, file));
            var regions = SolutionMarkers.Find(text, file);
            var outside = SolutionMarkers.Replace(text, regions, _ => "");
            telling.UnionWith(regions.SelectMany(r => SolutionMarkers.SubstantialLines(r.Code)).Where(l => l.Length >= 30 && !outside.Contains(l)));
        }

        Assert.NotEmpty(telling);
        foreach (var path in Directory.EnumerateFiles(_release, "*.cs", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(path);
            var leaked = telling.FirstOrDefault(text.Contains);
            Assert.True(leaked is null, $"{Path.GetRelativePath(_release, path)} holds the solution line '{leaked}'");
        }
    }

    [Fact]
    public void Should_Leave_Out_The_Grader_And_The_Solution_Tests()
    {
        Handout.Write(TestPaths.RepositoryRoot, _release, Layout, keepSvm: false);

        Assert.False(Directory.Exists(Path.Combine(_release, "lib", "DaseCV.Grader")));
        Assert.False(Directory.Exists(Path.Combine(_release, "lib", "DaseCV.Tests", "Classifiers")));
        Assert.False(Directory.Exists(Path.Combine(_release, "lib", "DaseCV.Runner.Tests", "Coursework")));
        Assert.False(Directory.Exists(Path.Combine(_release, "lib", "DaseCV.Benchmarks")));
        Assert.True(File.Exists(Path.Combine(_release, "lib", "DaseCV.Tests", "StudentParts", "StudentPartsTests.cs")));
        Assert.DoesNotContain("DaseCV.Grader", File.ReadAllText(Path.Combine(_release, "DaseCV.slnx")));
        Assert.Empty(Directory.EnumerateDirectories(_release, "bin", SearchOption.AllDirectories));
    }
}
