using DaseCV.Runner.Coursework;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Coursework;

/// <summary>The handout of this repository's own assignment: what students get.</summary>
public sealed class ReleaseTests
{
    private static readonly CourseLayout Layout = CourseLayout.Default;
    private static readonly string Root = TestPaths.RepositoryRoot;
    private readonly string _release = Path.Combine(TestPaths.NewTempDirectory(), "handout");

    private string Read(string relative) => File.ReadAllText(Path.Combine(_release, relative));

    private static IEnumerable<(string File, MarkedRegion Region)> SolutionRegions() =>
        Layout.MarkedFiles(Root).SelectMany(f => SolutionMarkers.Find(File.ReadAllText(Path.Combine(Root, f)), f).Select(r => (f, r)));

    [Fact]
    public void Should_Mark_The_Softmax_Functions_And_The_Tuning_Block()
    {
        var functions = SolutionRegions().Select(r => r.Region.Function).ToList();

        Assert.Contains("SoftmaxLoss.Naive", functions);
        Assert.Contains("SoftmaxLoss.Vectorized", functions);
        Assert.Contains("LinearClassifier.Train", functions);
        Assert.Contains("LinearClassifier.Predict", functions);
        var notebook = IpynbNotebook.Load(Path.Combine(Root, Layout.Find("softmax").Notebook));
        Assert.Contains(notebook.Cells, c => c.Type == "code" && SolutionMarkers.HasMarkers(c.Source));
        Assert.Equal(3, NotebookAnswers.Find(notebook).Count);
    }

    [Fact]
    public void Should_Give_Every_Marked_Function_To_Exactly_One_Exercise_That_Has_One()
    {
        var functions = SolutionRegions().Select(r => r.Region.Function).Distinct().ToList();

        Assert.All(functions, f => Assert.Single(Layout.Exercises, e => e.Owns(f)));
        Assert.All(Layout.Exercises.Where(e => e.Functions.Count > 0), e => Assert.Contains(functions, e.Owns));
        Assert.Contains(functions, f => Layout.OwnerOf(f)?.Id == "two_layer_net");
        Assert.Contains(functions, f => Layout.OwnerOf(f)?.Id == "knn");
        // What the notebooks call of another exercise is marked, so a release can keep it solved.
        Assert.All(Layout.Exercises.SelectMany(e => e.Uses), u => Assert.Contains(functions, f => Layout.Exercises.Any(e => e.Calls(f)) && u.StartsWith(f.Split('.')[0], StringComparison.Ordinal)));
    }

    [Fact]
    public void Should_Declare_Each_Exercises_Settings_As_Its_Parameters_Cells_Defaults()
    {
        Assert.All(Layout.Exercises, exercise =>
        {
            var declared = NotebookParameters.RunValues(IpynbNotebook.Load(Path.Combine(Root, exercise.Notebook)));
            Assert.NotEmpty(exercise.AssignmentSettings);
            Assert.All(exercise.AssignmentSettings, s => Assert.True(s.Value == declared.GetValueOrDefault(s.Key), $"{exercise.Id}: {s.Key} is {declared.GetValueOrDefault(s.Key)}, the layout says {s.Value}"));
        });
    }

    [Fact]
    public void Should_List_Each_Exercises_Numbered_Questions_And_Tuning_Cell_As_Its_Notebook_Has_Them()
    {
        Assert.All(Layout.Exercises, exercise =>
        {
            var notebook = IpynbNotebook.Load(Path.Combine(Root, exercise.Notebook));
            Assert.Equal(exercise.Questions, NotebookAnswers.FindByNumber(notebook).Keys.Order());
            var tuning = Assert.Single(notebook.Cells, c => c.Id == exercise.TuningCell);
            Assert.True(SolutionMarkers.HasMarkers(tuning.Source), $"{exercise.Id}: the tuning cell {exercise.TuningCell} has no markers");
        });
    }

    [Fact]
    public void Should_Stub_The_Softmax_Parts_And_Keep_What_Softmax_Calls_Solved_In_A_Softmax_Release()
    {
        var summary = Handout.Write(Root, _release, Layout, Layout.Choose(["softmax"]));

        Assert.Equal(
            ["lib/DaseCV/Classifiers/SoftmaxLoss.cs: SoftmaxLoss.Naive", "lib/DaseCV/Classifiers/SoftmaxLoss.cs: SoftmaxLoss.Vectorized", "notebooks/softmax.ipynb: cell 16"],
            summary.Stubbed.Order());
        Assert.Equal(["lib/DaseCV/Classifiers/LinearClassifier.cs: LinearClassifier.Predict", "lib/DaseCV/Classifiers/LinearClassifier.cs: LinearClassifier.Train"],
            summary.KeptSolved.Order(StringComparer.Ordinal)); // LinearClassifier.Train has two regions, listed once
        Assert.Contains(summary.Withheld, k => k.EndsWith("SvmLoss.Naive", StringComparison.Ordinal));
        Assert.Contains(summary.Withheld, k => k.EndsWith("KNearestNeighbor.PredictLabels", StringComparison.Ordinal));
        Assert.Contains(summary.Withheld, k => k.Contains("TwoLayerNet.", StringComparison.Ordinal));
        Assert.Equal(["notebooks/softmax.ipynb"], Directory.EnumerateFiles(Path.Combine(_release, "notebooks"), "*.ipynb").Select(f => CourseLayout.ToRelative(_release, f)));
    }

    [Fact]
    public void Should_Start_Each_File_With_A_Stub_Inside_A_Loop_With_The_Pragma_That_Lets_It_Build()
    {
        Handout.Write(Root, _release, Layout, Layout.Exercises);

        // ComputeDistancesTwoLoops' stub sits in a for loop, whose j++ it makes unreachable.
        Assert.StartsWith(Handout.StubFilePragma + "\n", Read("lib/DaseCV/Classifiers/KNearestNeighbor.cs"));
        Assert.All(Layout.MarkedFiles(Root), f => Assert.StartsWith("#pragma warning disable CS0162", Read(f)));
    }

    [Fact]
    public void Should_Stub_Every_Exercise_In_The_Whole_Release()
    {
        var summary = Handout.Write(Root, _release, Layout, Layout.Exercises);

        Assert.Empty(summary.KeptSolved);
        Assert.Empty(summary.Withheld);
        Assert.Contains("lib/DaseCV/Classifiers/SvmLoss.cs: SvmLoss.Naive", summary.Stubbed);
        Assert.Equal(Layout.Exercises.Select(e => e.Notebook).Order(StringComparer.Ordinal),
            Directory.EnumerateFiles(Path.Combine(_release, "notebooks"), "*.ipynb").Select(f => CourseLayout.ToRelative(_release, f)).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("softmax")]
    [InlineData("knn")]
    public void Should_Hold_No_Solution_Line_And_No_Answer_Text_In_Any_File(string exercises)
    {
        var released = Layout.Choose(exercises.Length == 0 ? [] : [exercises]);
        Handout.Write(Root, _release, Layout, released);

        // What the release gives away anyway: everything outside the stubbed regions, and the regions it keeps solved.
        bool Solved(MarkedRegion r) => Layout.InRelease(r.Function, released) == RegionInRelease.Solved;
        var stubbed = SolutionRegions().Where(r => !Solved(r.Region)).ToList();
        var given = Layout.MarkedFiles(Root).Select(f =>
        {
            var text = File.ReadAllText(Path.Combine(Root, f));
            return SolutionMarkers.Replace(text, SolutionMarkers.Find(text, f), r => Solved(r) ? r.Code : "");
        }).ToList();
        var solutionNotebooks = released.Select(e => (Relative: e.Notebook, Notebook: IpynbNotebook.Load(Path.Combine(Root, e.Notebook)))).ToList();
        var notebookRegions = solutionNotebooks.SelectMany(n => n.Notebook.Cells.Where(c => c.Type == "code" && SolutionMarkers.HasMarkers(c.Source))
            .SelectMany(c => SolutionMarkers.Find(c.Source, n.Relative, "cell"))).ToList();
        given.AddRange(solutionNotebooks.SelectMany(n => n.Notebook.Cells.Select(c => SolutionMarkers.HasMarkers(c.Source)
            ? SolutionMarkers.Replace(c.Source, SolutionMarkers.Find(c.Source, n.Relative, "cell"), _ => "") : c.Source)));
        var solutionLines = stubbed.Select(r => r.Region).Concat(notebookRegions)
            .SelectMany(r => SolutionMarkers.SubstantialLines(r.Code))
            .Where(line => !given.Any(g => g.Contains(line, StringComparison.Ordinal)))
            .ToHashSet(StringComparer.Ordinal);

        // Every 30-character stretch of each written answer (the verdicts "对" / "错" alone are too short to tell).
        var answerStretches = solutionNotebooks.SelectMany(n => NotebookAnswers.Find(n.Notebook)).Select(a => a.Text.Trim('*', ' '))
            .SelectMany(t => Enumerable.Range(0, Math.Max(0, t.Length - 29)).Select(i => t.Substring(i, 30)))
            .ToHashSet(StringComparer.Ordinal);

        Assert.True(solutionLines.Count > 20, $"only {solutionLines.Count} solution lines to look for");
        Assert.True(answerStretches.Count > 50, $"only {answerStretches.Count} answer stretches to look for");
        var files = Directory.EnumerateFiles(_release, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("README.md", StringComparison.Ordinal));
        foreach (var path in files)
        {
            var relative = CourseLayout.ToRelative(_release, path);
            var text = File.ReadAllText(path);
            // A notebook's cell text is JSON-escaped in the file: look in the sources as a student reads them too.
            if (path.EndsWith(".ipynb", StringComparison.Ordinal))
                text += "\n" + string.Join("\n", IpynbNotebook.Load(path).Cells.Select(c => c.Source));
            var line = solutionLines.FirstOrDefault(l => text.Contains(l, StringComparison.Ordinal));
            Assert.True(line is null, $"{relative} holds the solution line '{line}'");
            var stretch = answerStretches.FirstOrDefault(s => text.Contains(s, StringComparison.Ordinal));
            Assert.True(stretch is null, $"{relative} holds the answer text '{stretch}'");
        }
    }

    [Fact]
    public void Should_Ship_Only_The_Students_Tests_Commands_And_Readme()
    {
        Handout.Write(Root, _release, Layout, Layout.Exercises);

        Assert.False(Directory.Exists(Path.Combine(_release, "lib", "DaseCV.Grader")));
        Assert.False(Directory.Exists(Path.Combine(_release, "lib", "DaseCV.Benchmarks")));
        Assert.False(Directory.Exists(Path.Combine(_release, "lib", "DaseCV.Runner.Tests")));
        Assert.False(Directory.Exists(Path.Combine(_release, ".ci")));
        Assert.Equal(["StudentParts"], Directory.EnumerateDirectories(Path.Combine(_release, "lib", "DaseCV.Tests")).Select(Path.GetFileName).Where(d => d is not ("bin" or "obj")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_release, "lib", "DaseCV.Tests"), "*.cs"));
        Assert.False(File.Exists(Path.Combine(_release, "lib/DaseCV.Runner/Commands/GradeCommand.cs")));
        Assert.False(File.Exists(Path.Combine(_release, "lib/DaseCV.Runner/Commands/HandoutCommand.cs")));
        Assert.False(File.Exists(Path.Combine(_release, "lib/DaseCV.Runner/Cli.Instructor.cs")));
        Assert.False(Directory.Exists(Path.Combine(_release, "lib/DaseCV.Runner/Coursework/Grading")));
        var solution = Read("DaseCV.slnx");
        Assert.DoesNotContain("DaseCV.Grader", solution);
        Assert.DoesNotContain("DaseCV.Runner.Tests", solution);
        Assert.Empty(Directory.EnumerateDirectories(_release, "bin", SearchOption.AllDirectories));

        var readme = Read("README.md");
        Assert.Equal(File.ReadAllText(Path.Combine(Root, Layout.StudentReadme)), readme);
        foreach (var instructorOnly in new[] { "For instructors", "handout", "gradescope", " grade ", "DaseCV.Grader", "Checks.cs", "--include-svm-exercise" })
            Assert.DoesNotContain(instructorOnly, readme, StringComparison.OrdinalIgnoreCase);
        foreach (var told in new[] { "SoftmaxLoss.Naive", "SoftmaxLoss.Vectorized", "lib/DaseCV/Classifiers/SoftmaxLoss.cs", "results", "bestVal", "bestSoftmax",
                     "问题 1", "问题 2", "-- submit", "submit --executed", "dotnet test lib/DaseCV.Tests" })
            Assert.Contains(told, readme);
    }
}
