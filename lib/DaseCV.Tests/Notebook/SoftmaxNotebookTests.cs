using System.Text.Json;
using System.Text.RegularExpressions;

namespace DaseCV.Tests.Notebook;

/// <summary>Checks of the committed <c>notebooks/softmax.ipynb</c> that only the softmax exercise has; <see cref="AssignmentNotebookTests"/> checks every notebook.</summary>
public sealed class SoftmaxNotebookTests
{
    private static readonly JsonElement Notebook = Load();

    private static JsonElement Load()
    {
        using var stream = File.OpenRead(Path.Combine(RepositoryPaths.Root, "notebooks", "softmax.ipynb"));
        return JsonDocument.Parse(stream).RootElement.Clone();
    }

    internal static IEnumerable<JsonElement> Cells => Notebook.GetProperty("cells").EnumerateArray();

    internal static IEnumerable<JsonElement> CodeCells => Cells.Where(c => c.GetProperty("cell_type").GetString() == "code");

    internal static string Source(JsonElement cell) =>
        string.Concat(cell.GetProperty("source").EnumerateArray().Select(line => line.GetString()));

    internal static IEnumerable<string> Tags(JsonElement cell) =>
        cell.GetProperty("metadata").TryGetProperty("tags", out var tags) ? tags.EnumerateArray().Select(t => t.GetString()!) : [];

    [Fact]
    public void The_Parameters_Cell_Should_Declare_The_Assignment_Defaults()
    {
        var parameters = Assert.Single(Cells, c => Tags(c).Contains("parameters"));
        var source = Source(parameters);

        // The runner's -p finds "TYPE NAME = ..." declarations; the defaults are the assignment's (dataset, dataDir and
        // the student's name and ID: AssignmentNotebookTests). Values come only from here and -p, never the environment.
        Assert.Matches(@"int numIters = 2000;", source);
        Assert.Matches(@"int numTraining = 49000;", source);
        Assert.DoesNotContain("Environment", source, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Tuning_Cell_Should_Enable_Nullable_Annotations_Before_Softmax_Question_Mark()
    {
        // Without it the kernel reports warning CS8632 on "Softmax?" (checked against the kernel by hand).
        var tuning = Source(Assert.Single(CodeCells, c => Source(c).Contains("START OF YOUR CODE")));

        int nullable = tuning.IndexOf("#nullable enable\n", StringComparison.Ordinal);
        Assert.True(nullable >= 0 && nullable < tuning.IndexOf("Softmax? bestSoftmax", StringComparison.Ordinal));
    }

    [Fact]
    public void The_Tuning_Cell_Should_Show_Progress_Outside_The_Student_Block()
    {
        // Progress comes from the results dictionary created above the markers, so a student's own nested loop,
        // which only fills results[(lr, reg)], shows a moving line as well.
        var tuning = Source(Assert.Single(CodeCells, c => Source(c).Contains("START OF YOUR CODE")));

        int results = tuning.IndexOf("var results = TuningResults.InNotebook(learningRates.Length * regularizationStrengths.Length);", StringComparison.Ordinal);
        Assert.True(results >= 0, "the tuning cell creates results with TuningResults.InNotebook");
        Assert.True(results < tuning.IndexOf("START OF YOUR CODE", StringComparison.Ordinal));
        Assert.DoesNotContain("ProgressDisplay", tuning);
    }

    [Fact]
    public void Cells_After_The_Tuning_Block_Should_Use_Only_The_Names_Its_Todo_Names()
    {
        // CS231n's contract: the block fills results, bestVal and bestSoftmax; nothing it declares may be needed later.
        var cells = Cells.Where(c => c.GetProperty("cell_type").GetString() == "code").Select(Source).ToList();
        int tuningIndex = cells.FindIndex(c => c.Contains("START OF YOUR CODE"));
        var tuning = cells[tuningIndex];
        int start = tuning.IndexOf("START OF YOUR CODE", StringComparison.Ordinal), end = tuning.IndexOf("END OF YOUR CODE", StringComparison.Ordinal);
        var block = tuning[start..end];
        // Code, not comments or text: a string keeps only its interpolation holes.
        var later = Regex.Replace(Regex.Replace(string.Join("\n", cells.Skip(tuningIndex + 1)) + tuning[end..], "//.*", ""),
            "\"[^\"\n]*\"", m => string.Join(" ", Regex.Matches(m.Value, @"\{[^}]*\}").Select(h => h.Value)));
        var declared = Declarations(block).Except(["results", "bestVal", "bestSoftmax"]).Except(Declarations(later)).ToList();
        Assert.Contains("configs", declared); // the solution's own names were found

        foreach (var name in declared)
            Assert.False(Regex.IsMatch(later, $@"(?<![\w.]){Regex.Escape(name)}\b"),
                $"a cell after the tuning block uses {name}, which only the solution declares");
    }

    // Names declared as locals: "var x =", "int x =", "T[] x =", "var (a, b) =".
    private static IEnumerable<string> Declarations(string code) =>
        Regex.Matches(code, @"\b(?:var|int|double|[A-Z]\w*\??(?:\[\])?)\s+(\w+)\s*=[^=]").Select(m => m.Groups[1].Value)
            .Concat(Regex.Matches(code, @"\bvar\s+\(([^)]*)\)").SelectMany(m => m.Groups[1].Value.Split(',').Select(n => n.Trim())))
            .Distinct();

    [Fact]
    public void Should_Not_Need_The_Svm_Exercise()
    {
        // SvmLoss and LinearSvm belong to the SVM exercise; in the softmax release they may be unwritten.
        Assert.All(Cells.Where(c => c.GetProperty("cell_type").GetString() == "code").Select(Source), source =>
        {
            Assert.DoesNotContain("SvmLoss.", source);
            Assert.DoesNotContain("LinearSvm", source);
        });
    }
}
