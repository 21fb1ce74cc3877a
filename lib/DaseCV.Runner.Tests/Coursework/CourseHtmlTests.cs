using System.Text.Json.Nodes;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Html;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Coursework;

public sealed class CourseHtmlTests
{
    private static string Header(string html) =>
        html[html.IndexOf("<header", StringComparison.Ordinal)..html.IndexOf("</header>", StringComparison.Ordinal)];

    private static IpynbNotebook Copy(Exercise exercise, string name) =>
        IpynbNotebook.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, exercise.Notebook)), name);

    public sealed class TheRenderMethod
    {
        [Theory]
        [MemberData(nameof(ExerciseResultsTests.Exercises), MemberType = typeof(ExerciseResultsTests))]
        public void Should_Head_A_Course_Notebook_Saved_Under_Any_Name_With_Its_Exercises_Results(string exercise)
        {
            var course = CourseLayout.Default.Find(exercise);

            var header = Header(CourseHtml.Render(Copy(course, "my-copy.ipynb"), null));

            Assert.Contains("<table class=\"results\">\n<tr>" + string.Concat(course.Results.Columns.Select(c => $"<th>{NotebookHtml.Encode(c.Label)}</th>")) + "</tr>", header);
        }

        [Fact]
        public void Should_Link_Each_Value_To_The_Cell_That_Printed_It()
        {
            var knn = CourseLayout.Default.Find("knn");
            var notebook = Copy(knn, "knn.ipynb");
            var id = knn.Results.Columns[0].Cell;
            Assert.Single(notebook.Cells, c => c.Id == id).Json["outputs"] = new JsonArray(
                ExerciseResultsTests.Stdout("best k: 10, cross-validation accuracy: 0.281000\nGot 141 / 500 correct => accuracy: 0.282000\n"));

            var header = Header(CourseHtml.Render(notebook, null));

            Assert.Contains($"<td><a href=\"#cell-{id}\">10</a></td><td><a href=\"#cell-{id}\">0.281000</a></td><td><a href=\"#cell-{id}\">0.282000</a></td>", header);
        }

        [Fact]
        public void Should_Show_No_Results_Table_For_A_Notebook_That_Is_No_Exercises()
        {
            var notebook = IpynbNotebook.Load(Path.Combine(TestPaths.TestData, "vscode-saved.ipynb"));

            var header = Header(CourseHtml.Render(notebook, null));

            Assert.Contains("<dt>学生 Student</dt>", header);
            Assert.DoesNotContain("<table class=\"results\"", header);
        }
    }
}
