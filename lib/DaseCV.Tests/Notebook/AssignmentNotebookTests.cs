using System.Text.Json;
using System.Text.RegularExpressions;

namespace DaseCV.Tests.Notebook;

/// <summary>
/// Checks every committed assignment notebook (<c>notebooks/*.ipynb</c>) as a file: what VS Code and the runner need,
/// the answer cells the grading HTML boxes, and nothing left in it. Exercise-specific checks live in
/// <see cref="SoftmaxNotebookTests"/>.
/// </summary>
public sealed class AssignmentNotebookTests
{
    private static readonly string[] Names =
        [.. Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "notebooks"), "*.ipynb").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Notebooks => new(Names);

    private static JsonElement Load(string name)
    {
        using var stream = File.OpenRead(Path.Combine(RepositoryPaths.Root, "notebooks", name));
        return JsonDocument.Parse(stream).RootElement.Clone();
    }

    private static List<JsonElement> Cells(string name) => [.. Load(name).GetProperty("cells").EnumerateArray()];

    private static bool IsCode(JsonElement cell) => cell.GetProperty("cell_type").GetString() == "code";

    private static string Source(JsonElement cell) => SoftmaxNotebookTests.Source(cell);

    private static IEnumerable<string> Tags(JsonElement cell) => SoftmaxNotebookTests.Tags(cell);

    [Fact]
    public void Should_Check_Every_Exercise_Notebook()
    {
        Assert.Contains("knn.ipynb", Names);
        Assert.Contains("softmax.ipynb", Names);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Should_Carry_The_Polyglot_Notebook_Metadata(string name)
    {
        var notebook = Load(name);
        var metadata = notebook.GetProperty("metadata");
        Assert.Equal(".net-csharp", metadata.GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.Equal("csharp", metadata.GetProperty("polyglot_notebook").GetProperty("kernelInfo").GetProperty("defaultKernelName").GetString());
        Assert.Equal(4, notebook.GetProperty("nbformat").GetInt32());
        Assert.True(notebook.GetProperty("nbformat_minor").GetInt32() >= 5, "cell ids need nbformat 4.5");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Every_Cell_Should_Have_A_Unique_Id_And_Code_Cells_A_Kernel_Name(string name)
    {
        var cells = Cells(name);
        var ids = cells.Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.All(ids, id => Assert.False(string.IsNullOrWhiteSpace(id)));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var cell in cells.Where(IsCode))
            Assert.Equal("csharp", cell.GetProperty("metadata").GetProperty("polyglot_notebook").GetProperty("kernelName").GetString());
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Should_Be_Committed_Without_Outputs(string name)
    {
        foreach (var cell in Cells(name).Where(IsCode))
        {
            Assert.Equal(0, cell.GetProperty("outputs").GetArrayLength());
            Assert.Equal(JsonValueKind.Null, cell.GetProperty("execution_count").ValueKind);
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Should_Have_One_Parameters_Cell_Near_The_Top_That_Can_Run_On_Synthetic_Data(string name)
    {
        var cells = Cells(name);
        var source = Source(Assert.Single(cells, c => Tags(c).Contains("parameters")));

        // The runner's -p finds "TYPE NAME = ..." declarations; the grading header reads the student's name and ID.
        Assert.Matches(@"string dataset = ""cifar10"";", source);
        Assert.Matches(@"string dataDir = ""\.\./data"";", source);
        Assert.Matches(@"string studentName = """";", source);
        Assert.Matches(@"string studentId = """";", source);
        Assert.DoesNotContain("Environment", source, StringComparison.Ordinal);
        Assert.True(cells.TakeWhile(c => !Tags(c).Contains("parameters")).Count() <= 2, "the parameters cell is near the top");
        Assert.Contains(cells, c => Source(c).Contains("\"synthetic\" => Path.Combine(dataDir,"));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Should_Build_And_Reference_The_Library_From_One_Fixed_Path(string name)
    {
        var sources = Cells(name).Select(Source).ToList();
        Assert.Contains(sources, s => s.Contains("dotnet\", \"build ../lib/DaseCV.Notebook -c Release"));
        Assert.Single(sources, s => Regex.IsMatch(s, @"^#r ""\.\./lib/DaseCV\.Notebook/bin/Release/net10\.0/DaseCV\.dll""", RegexOptions.Multiline));
        Assert.Single(sources, s => Regex.IsMatch(s, @"^#r ""\.\./lib/DaseCV\.Notebook/bin/Release/net10\.0/DaseCV\.Notebook\.dll""", RegexOptions.Multiline));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void The_Build_Cell_Should_Print_The_Build_Log_Only_When_The_Build_Fails(string name)
    {
        var build = Source(Assert.Single(Cells(name), c => Source(c).Contains("dotnet\", \"build ../lib/DaseCV.Notebook")));

        // The one Console.WriteLine of the cell is inside the failure branch, before the throw.
        Assert.Matches(@"if \(buildProcess\.ExitCode != 0\)\s*\{\s*Console\.WriteLine\([^;]*\);\s*throw ", build);
        Assert.Equal(1, Regex.Count(build, @"Console\.Write"));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void The_Reference_Cell_Should_Check_The_Loaded_Library_In_The_Folder_It_References(string name)
    {
        var reference = Source(Assert.Single(Cells(name), c => Source(c).StartsWith("#r ", StringComparison.Ordinal)));

        // Before anything else of the library runs, so a stale library stops the notebook at once.
        int check = reference.IndexOf("LoadedLibrary.ThrowIfChanged(\"../lib/DaseCV.Notebook/bin/Release/net10.0\");", StringComparison.Ordinal);
        Assert.True(check > 0, "the #r cell calls LoadedLibrary.ThrowIfChanged on its #r folder");
        Assert.True(check < reference.IndexOf("NotebookFormatters.Register()", StringComparison.Ordinal));
        Assert.DoesNotContain("GetFullPath", reference); // no absolute path of the machine in the output
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Every_Inline_Question_Should_Be_A_Pdf_Inline_Cell_With_An_Answer(string name)
    {
        var questions = Cells(name).Where(c => !IsCode(c) && Regex.IsMatch(Source(c), @"^\*\*问题 ?\d+\*\*", RegexOptions.Multiline)).ToList();
        Assert.NotEmpty(questions);

        foreach (var question in questions)
        {
            var source = Source(question);
            Assert.Contains("pdf-inline", Tags(question));
            // The grading HTML boxes what follows each label; this is the instructor's solved copy, so none is empty.
            var labels = Regex.Matches(source, @"\\textit (答|你的回答|你的解释):\}\$(.*?)(?=\$\\color|\z)", RegexOptions.Singleline);
            Assert.NotEmpty(labels);
            Assert.All(labels, label => Assert.True(label.Groups[2].Value.Trim().Length > 0, $"{name}: an empty answer after {label.Groups[1].Value}: in\n{source}"));
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Code_Cells_With_Student_Parts_Should_Be_Tagged_Code(string name)
    {
        var marked = Cells(name).Where(c => IsCode(c) && Source(c).Contains("// *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****")).ToList();

        Assert.NotEmpty(marked);
        Assert.All(marked, cell => Assert.Contains("code", Tags(cell)));
    }

    [Fact]
    public void The_Knn_Parameters_Should_Default_To_The_Assignments_Subsample()
    {
        var source = Source(Assert.Single(Cells("knn.ipynb"), c => Tags(c).Contains("parameters")));

        Assert.Matches(@"int numTraining = 5000;", source);
        Assert.Matches(@"int numTest = 500;", source);
    }
}
