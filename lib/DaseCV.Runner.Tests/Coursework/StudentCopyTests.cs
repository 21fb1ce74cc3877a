using DaseCV.Runner.Coursework;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Coursework;

/// <summary>
/// Plays the student for <c>.ci/run</c>: writes CS231n's own solution (Fixtures/cs231n/) into a handout the way a
/// student does, between the markers only, answers both questions and fills in name and ID. The handout is the
/// folder named by DASECV_STUDENT_COPY; without it the test reports a skip saying so.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class StudentCopyTests
{
    private static readonly string Fixtures = Path.Combine(TestPaths.RepositoryRoot, "lib", "DaseCV.Runner.Tests", "Coursework", "Fixtures", "cs231n");
    private const string SoftmaxFile = "lib/DaseCV/Classifiers/SoftmaxLoss.cs";

    [SkippableFact]
    public void Should_Write_The_Cs231n_Solution_Into_The_Handout_Named_By_DASECV_STUDENT_COPY()
    {
        var release = Environment.GetEnvironmentVariable("DASECV_STUDENT_COPY");
        Skip.If(string.IsNullOrEmpty(release), "DASECV_STUDENT_COPY names no handout folder (.ci/run sets it to play the student there)");

        // SoftmaxLoss.Naive and .Vectorized: the port's code between each pair of markers, nothing else.
        var path = Path.Combine(release, SoftmaxFile);
        Assert.Equal(["SoftmaxLoss.Naive", "SoftmaxLoss.Vectorized"], SolutionMarkers.Find(File.ReadAllText(path), SoftmaxFile).Select(r => r.Function));
        GradingRuns.WriteCs231nPorts(TestPaths.RepositoryRoot, release, only: f => f == SoftmaxFile);

        // The notebook: the nested tuning loop, both answers, name and ID in the parameters cell.
        var notebookPath = Path.Combine(release, CourseLayout.Default.Find("softmax").Notebook);
        var notebook = IpynbNotebook.Load(notebookPath);
        var tuning = File.ReadAllText(Path.Combine(Fixtures, "tuning.cs")).TrimEnd();
        var answers = new Queue<string>(["W 很小，所有类别的得分都差不多，每类的概率约为 1/10，所以损失约为 −log(1/10)。", "对",
            "新数据点在 SVM 中如果满足间隔就贡献 0 损失；softmax 的概率永远小于 1，损失总是正的。"]);
        foreach (var cell in notebook.Cells)
        {
            if (cell.Type == "code" && SolutionMarkers.HasMarkers(cell.Source))
                cell.Json["source"] = IpynbNotebook.SplitLines(SolutionMarkers.Replace(cell.Source, SolutionMarkers.Find(cell.Source, "tuning cell", "tuning"),
                    r => string.Join("\n", SolutionMarkers.Lines(tuning).Select(l => l.Length > 0 ? r.Indent + l : l))));
            else if (cell.Type == "code" && cell.Tags.Contains(NotebookParameters.ParametersTag))
                cell.Json["source"] = IpynbNotebook.SplitLines(cell.Source
                    .Replace("string studentName = \"\";", "string studentName = \"李华\";")
                    .Replace("string studentId = \"\";", "string studentId = \"10225501\";"));
            else if (NotebookAnswers.IsAnswerCell(cell))
            {
                var source = cell.Source;
                while (source.Contains(NotebookAnswers.PlaceholderText, StringComparison.Ordinal))
                {
                    int at = source.IndexOf(NotebookAnswers.PlaceholderText, StringComparison.Ordinal);
                    source = source[..at] + answers.Dequeue() + source[(at + NotebookAnswers.PlaceholderText.Length)..];
                }
                cell.Json["source"] = IpynbNotebook.SplitLines(source);
            }
        }

        notebook.Save(notebookPath);
        var written = IpynbNotebook.Load(notebookPath);
        Assert.Empty(answers);
        Assert.All(NotebookAnswers.Find(written), a => Assert.True(a.IsAnswered, $"{a.Question} {a.Label} is not answered"));
        Assert.DoesNotContain(written.Cells, c => SolutionMarkers.HasMarkers(c.Source) && SolutionMarkers.Find(c.Source, "tuning cell", "tuning").Any(SolutionMarkers.IsStub));
        Assert.DoesNotContain(SolutionMarkers.Find(File.ReadAllText(path), SoftmaxFile), SolutionMarkers.IsStub);
        Assert.Contains(written.Cells, c => c.Source.Contains("\"李华\"", StringComparison.Ordinal));
    }
}
