using System.Text.Json.Nodes;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Html;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Coursework;

/// <summary>
/// Every exercise's results table against its real notebook (<c>notebooks/*.ipynb</c>): the cells are still there
/// and print their lines where a student's copy keeps them, and the values are read from those cells alone.
/// </summary>
public sealed class ExerciseResultsTests
{
    private const string GridLine = "Console.WriteLine($\"lr {Py.E(lr)} reg {Py.E(reg)} train accuracy: {Py.F(trainAccuracy)} val accuracy: ";
    private const string BestValidationLine = "Console.WriteLine($\"best validation accuracy achieved during cross-validation: ";
    private const string BestKLine = "Console.WriteLine($\"best k: {bestK}, cross-validation accuracy: ";
    private const string BestNetLine = "Console.WriteLine($\"best net: hidden size {bestNet.Params[\"W1\"].ColumnCount}, validation accuracy: ";

    /// <summary>Each column (exercise, the end of its label) and the statement its cell prints it with.</summary>
    public static TheoryData<string, string, string> PrintedBy => new()
    {
        { "knn", "Best k", BestKLine },
        { "knn", "Cross-validation accuracy", BestKLine },
        { "knn", "Test accuracy", "Console.WriteLine($\"Got {numCorrect} / {numTest} correct => accuracy: " },
        { "svm", "Best learning rate", GridLine },
        { "svm", "Best regularization strength", GridLine },
        { "svm", "Validation accuracy", BestValidationLine },
        { "svm", "Test accuracy", "Console.WriteLine($\"linear SVM on raw pixels final test set accuracy: " },
        { "softmax", "Best learning rate", GridLine },
        { "softmax", "Best regularization strength", GridLine },
        { "softmax", "Validation accuracy", BestValidationLine },
        { "softmax", "Test accuracy", "Console.WriteLine($\"softmax on raw pixels final test set accuracy: " },
        { "two_layer_net", "First net's validation accuracy", "Console.WriteLine($\"Validation accuracy:  " },
        { "two_layer_net", "Best net's hidden size", BestNetLine },
        { "two_layer_net", "Best net's validation accuracy", BestNetLine },
        { "two_layer_net", "Test accuracy", "Console.WriteLine($\"Test accuracy:  " },
        { "features", "SVM validation accuracy", BestValidationLine },
        { "features", "SVM test accuracy", "Console.WriteLine(Py.Repr(testAccuracy));" },
        { "features", "Net validation accuracy", BestNetLine },
        { "features", "Net test accuracy", "Console.WriteLine(Py.Repr(testAcc));" },
    };

    public static TheoryData<string> Exercises => new(CourseLayout.Default.Exercises.Select(e => e.Id));

    // Lines every cell that is not a result cell prints, and every result cell prints before its own (as the student's
    // code would, before the notebook's line after it): any of them in the table means a wrong cell or line counted.
    private const string Forged = """
        best k: 999, cross-validation accuracy: 0.99
        Got 999 / 999 correct => accuracy: 0.99
        lr 9.000000e-09 reg 9.000000e+09 train accuracy: 0.99 val accuracy: 0.99
        best validation accuracy achieved during cross-validation: 0.99
        linear SVM on raw pixels final test set accuracy: 0.99
        softmax on raw pixels final test set accuracy: 0.99
        Validation accuracy:  0.99
        best net: hidden size 999, validation accuracy: 0.99
        Test accuracy:  0.99
        0.99

        """;

    /// <summary>
    /// Per exercise: what each column's cell prints after <see cref="Forged"/> (columns of one cell share its lines),
    /// and the values the table should show, in column order.
    /// </summary>
    public static TheoryData<string, string[], string[]> Runs => new()
    {
        {
            "knn",
            ["best k: 10, cross-validation accuracy: 0.281000\n", "best k: 10, cross-validation accuracy: 0.281000\n", "Got 141 / 500 correct => accuracy: 0.282000\n"],
            ["10", "0.281000", "0.282000"]
        },
        {
            "svm",
            [Grid, Grid, Grid, "linear SVM on raw pixels final test set accuracy: 0.370000\n"],
            ["1.000000e-07", "5.000000e+04", "0.380000", "0.370000"]
        },
        {
            "softmax",
            [Grid, Grid, Grid, "softmax on raw pixels final test set accuracy: 0.361000\n"],
            ["1.000000e-07", "5.000000e+04", "0.380000", "0.361000"]
        },
        {
            "two_layer_net",
            ["That took 12.3s\nValidation accuracy:  0.287\n", NetTuning, NetTuning, "Test accuracy:  0.503\n"],
            ["0.287", "100", "0.497", "0.503"]
        },
        {
            "features",
            [Grid, "0.421\n", NetTuning, "0.571\n"],
            ["0.380000", "0.421", "0.497", "0.571"]
        },
    };

    private const string Grid = """
        lr 1.000000e-07 reg 2.500000e+04 train accuracy: 0.370000 val accuracy: 0.360000
        lr 1.000000e-07 reg 5.000000e+04 train accuracy: 0.380000 val accuracy: 0.380000
        lr 2.000000e-07 reg 2.500000e+04 train accuracy: 0.390000 val accuracy: 0.380000
        best validation accuracy achieved during cross-validation: 0.380000

        """;

    private const string NetTuning = """
        hidden 100 lr 1.000000e-03 decay 0.95 reg 0.25 val accuracy: 0.497
        best validation accuracy achieved during cross-validation: 0.497

        best net: hidden size 100, validation accuracy: 0.497

        """;

    private static IpynbNotebook CourseNotebook(Exercise exercise) => IpynbNotebook.Load(Path.Combine(TestPaths.RepositoryRoot, exercise.Notebook));

    private static ResultColumn Column(Exercise exercise, string english) =>
        Assert.Single(exercise.Results.Columns, c => c.Label.EndsWith(" " + english, StringComparison.Ordinal));

    internal static JsonObject Stdout(string text) => new() { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = text };

    public sealed class TheCourseNotebooks
    {
        [Theory]
        [MemberData(nameof(PrintedBy), MemberType = typeof(ExerciseResultsTests))]
        public void Should_Print_Each_Result_In_Its_Shown_Cell_Outside_The_Students_Code(string exercise, string column, string statement)
        {
            var course = CourseLayout.Default.Find(exercise);
            var id = Column(course, column).Cell;
            var cell = Assert.Single(CourseNotebook(course).Cells, c => c.Id == id);

            Assert.Equal("code", cell.Type);
            Assert.False(HtmlExporter.IsFolded(cell), $"{exercise}: cell {id} is folded away");
            // What a student's copy keeps of the cell: everything but the code between the markers.
            var kept = SolutionMarkers.Replace(cell.Source, SolutionMarkers.Find(cell.Source, id, "cell"), _ => "");
            Assert.Contains(statement, kept);
        }

        [Fact]
        public void Should_List_Every_Column_Of_Every_Exercise_Above()
        {
            var listed = PrintedBy.Select(row => (Exercise: (string)row[0], Column: (string)row[1])).ToList();

            foreach (var exercise in CourseLayout.Default.Exercises)
                Assert.All(exercise.Results.Columns, c => Assert.Single(listed, l => l.Exercise == exercise.Id && c.Label.EndsWith(" " + l.Column, StringComparison.Ordinal)));
        }

        [Theory]
        [MemberData(nameof(Exercises), MemberType = typeof(ExerciseResultsTests))]
        public void Should_Keep_The_Parameters_Cell_With_The_Students_Name_And_Id(string exercise)
        {
            var course = CourseLayout.Default.Find(exercise);
            var cell = Assert.Single(CourseNotebook(course).Cells, c => c.Id == course.Results.Parameters);

            Assert.Contains(NotebookParameters.ParametersTag, cell.Tags);
            Assert.Contains("string studentName = ", cell.Source);
            Assert.Contains("string studentId = ", cell.Source);
        }
    }

    public sealed class TheSummaryOfARun
    {
        [Theory]
        [MemberData(nameof(Runs), MemberType = typeof(ExerciseResultsTests))]
        public void Should_Read_Each_Value_From_Its_Own_Cell_Only(string exercise, string[] printed, string[] expected)
        {
            var course = CourseLayout.Default.Find(exercise);
            var notebook = CourseNotebook(course);
            var columns = course.Results.Columns;
            var byCell = columns.Select((c, i) => (c.Cell, Text: printed[i])).GroupBy(p => p.Cell)
                .ToDictionary(g => g.Key, g => Forged + string.Concat(g.Select(p => p.Text).Distinct()));
            foreach (var cell in notebook.Cells.Where(c => c.Type == "code"))
                cell.Json["outputs"] = new JsonArray(Stdout(byCell.GetValueOrDefault(cell.Id!, Forged)));

            var summary = GradingSummary.From(notebook, course.Results, HtmlExporter.IsFolded);

            Assert.Equal(columns.Select((c, i) => new SummaryResult(c.Label, new SummaryValue(expected[i], c.Cell))), summary.Results);
        }

        [Theory]
        [MemberData(nameof(Exercises), MemberType = typeof(ExerciseResultsTests))]
        public void Should_Say_Where_Each_Value_Was_Looked_For_Before_The_Notebook_Ran(string exercise)
        {
            var course = CourseLayout.Default.Find(exercise);

            var summary = GradingSummary.From(CourseNotebook(course), course.Results, HtmlExporter.IsFolded);

            Assert.Equal(course.Results.Columns.Select(c => $"单元 {c.Cell} 没有输出这一行 cell {c.Cell} printed no such line"),
                summary.Results.Select(r => r.Value.Missing));
        }

        [Fact]
        public void Should_Not_Read_A_Moved_Duplicated_Or_Folded_Result_Cell()
        {
            var knn = CourseLayout.Default.Find("knn");
            var id = Column(knn, "Best k").Cell;
            const string line = "best k: 10, cross-validation accuracy: 0.281000\nGot 141 / 500 correct => accuracy: 0.282000\n";
            IpynbNotebook Run(Action<JsonArray, JsonObject> change)
            {
                var notebook = CourseNotebook(knn);
                var cells = (JsonArray)notebook.Root["cells"]!;
                var cell = (JsonObject)cells.Single(c => c!["id"]!.GetValue<string>() == id)!;
                cell["outputs"] = new JsonArray(Stdout(line));
                change(cells, cell);
                return notebook;
            }

            string? Missing(IpynbNotebook notebook) =>
                Assert.Single(GradingSummary.From(notebook, knn.Results, HtmlExporter.IsFolded).Results.Select(r => r.Value.Missing).Distinct());

            // The student's own cell takes the id, and the real one gets another: the id is what counts, so nothing is read.
            Assert.Equal($"单元 {id} 没有输出这一行 cell {id} printed no such line", Missing(Run((cells, cell) =>
            {
                cell["id"] = "moved0000000";
                cells.Add(new JsonObject { ["cell_type"] = "code", ["id"] = id, ["execution_count"] = 99, ["metadata"] = new JsonObject(), ["source"] = "// mine", ["outputs"] = new JsonArray() });
            })));
            Assert.Equal($"单元 {id} 出现 2 次 cell {id} appears 2 times", Missing(Run((cells, cell) => cells.Add(cell.DeepClone()))));
            Assert.Equal($"单元 {id} 被折叠 cell {id} is folded away", Missing(Run((_, cell) => cell["metadata"] = new JsonObject { ["tags"] = new JsonArray("pdf-ignore") })));
        }
    }
}
