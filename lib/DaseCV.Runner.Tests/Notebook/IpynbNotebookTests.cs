using System.Text.Json.Nodes;
using DaseCV.Runner.Notebook;

namespace DaseCV.Runner.Tests.Notebook;

public sealed class IpynbNotebookTests
{
    private static IpynbNotebook Parse(string json) => IpynbNotebook.FromJson(JsonNode.Parse(json), "test.ipynb");

    public sealed class TheNormalizeToNbformat45Method
    {
        [Fact]
        public void Should_Keep_Valid_Ids_And_Give_Missing_Or_Duplicate_Ones_New_Ids()
        {
            var notebook = Parse("""
                {"cells": [
                  {"cell_type": "code", "id": "keep-me", "metadata": {}, "source": "1"},
                  {"cell_type": "code", "metadata": {}, "source": "2"},
                  {"cell_type": "markdown", "id": "keep-me", "metadata": {}, "source": "3"},
                  {"cell_type": "raw", "id": "bad id!", "metadata": {}, "source": "4"}],
                 "metadata": {}, "nbformat": 4, "nbformat_minor": 2}
                """);

            notebook.NormalizeToNbformat45();

            var ids = notebook.Cells.Select(c => c.Id).ToList();
            Assert.Equal("keep-me", ids[0]);
            Assert.All(ids, id => Assert.True(IpynbCell.IsValidId(id!), id));
            Assert.Equal(4, ids.Distinct().Count());
            Assert.Equal(5, notebook.Root["nbformat_minor"]!.GetValue<int>());
        }

        [Fact]
        public void Should_Give_Code_Cells_Outputs_And_An_Execution_Count()
        {
            var notebook = Parse("""{"cells": [{"cell_type": "code", "source": ["a\n", "b"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""");

            notebook.NormalizeToNbformat45();

            var cell = notebook.Cells[0].Json;
            Assert.IsType<JsonArray>(cell["outputs"]);
            Assert.True(cell.ContainsKey("execution_count"));
            Assert.Equal("a\nb", notebook.Cells[0].Source);
        }
    }

    public sealed class TheToJsonMethod
    {
        [Fact]
        public void Should_Keep_Unknown_Metadata_And_Non_Ascii_Text()
        {
            var notebook = Parse("""
                {"cells": [{"cell_type": "markdown", "id": "m", "metadata": {"custom": {"x": 1}}, "source": "作业 <b>"}],
                 "metadata": {"kernelspec": {"name": ".net-csharp"}, "course": "daseCV"}, "nbformat": 4, "nbformat_minor": 5}
                """);

            var text = notebook.ToJson();

            Assert.Contains("\"course\": \"daseCV\"", text);
            Assert.Contains("\"custom\"", text);
            Assert.Contains("作业 <b>", text);
        }
    }

    public sealed class TheLoadMethod
    {
        [Fact]
        public void Should_Name_The_File_When_It_Is_Not_Json()
        {
            var path = Path.Combine(TestPaths.NewTempDirectory(), "broken.ipynb");
            File.WriteAllText(path, "{ not json");

            var e = Assert.Throws<InvalidDataException>(() => IpynbNotebook.Load(path));

            Assert.Contains("broken.ipynb", e.Message);
        }

        [Fact]
        public void Should_Reject_Other_Nbformat_Versions()
        {
            var e = Assert.Throws<InvalidDataException>(() => Parse("""{"cells": [], "metadata": {}, "nbformat": 3}"""));

            Assert.Contains("nbformat 3", e.Message);
        }
    }

    public sealed class TheSplitLinesMethod
    {
        [Theory]
        [InlineData("", 0)]
        [InlineData("one", 1)]
        [InlineData("one\n", 1)]
        [InlineData("one\ntwo", 2)]
        public void Should_Split_Into_Lines_That_Join_Back(string text, int count)
        {
            var lines = IpynbNotebook.SplitLines(text);

            Assert.Equal(count, lines.Count);
            Assert.Equal(text, IpynbNotebook.JoinText(lines));
        }
    }
}
