using System.Text.Json.Nodes;
using DaseCV.Runner.Ipynb;

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
        public void Should_Read_And_Write_Metadata_Nested_Deeper_Than_64_Levels()
        {
            // Valid JSON that Jupyter reads; System.Text.Json's default limit of 64 called it "not valid JSON".
            var deep = string.Concat(Enumerable.Repeat("{\"d\": ", 200)) + "1" + new string('}', 200);
            var path = Path.Combine(TestPaths.NewTempDirectory(), "deep.ipynb");
            File.WriteAllText(path, $$"""{"cells": [], "metadata": {"deep": {{deep}}}, "nbformat": 4, "nbformat_minor": 5}""");

            var notebook = IpynbNotebook.Load(path);
            var written = notebook.ToJson();

            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(deep, documentOptions: new() { MaxDepth = 300 }),
                                            JsonNode.Parse(written, documentOptions: new() { MaxDepth = 300 })!["metadata"]!["deep"]));
        }

        [Fact]
        public void Should_Name_The_File_And_The_Limit_When_Nesting_Is_Deeper_Than_It()
        {
            var deep = new string('[', IpynbNotebook.MaxDepth + 1) + new string(']', IpynbNotebook.MaxDepth + 1);
            var path = Path.Combine(TestPaths.NewTempDirectory(), "too-deep.ipynb");
            File.WriteAllText(path, $$"""{"cells": [], "metadata": {"deep": {{deep}}}, "nbformat": 4}""");

            var e = Assert.Throws<InvalidDataException>(() => IpynbNotebook.Load(path));

            Assert.Contains("too-deep.ipynb", e.Message);
            Assert.Contains(IpynbNotebook.MaxDepth.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
        }

        [Fact]
        public void Should_Name_The_File_When_It_Cannot_Be_Read()
        {
            // A folder named like a notebook cannot be read even by root (unlike a chmod 000 file).
            var path = Path.Combine(TestPaths.NewTempDirectory(), "folder.ipynb");
            Directory.CreateDirectory(path);

            var e = Assert.Throws<InvalidDataException>(() => IpynbNotebook.Load(path));

            Assert.StartsWith($"cannot read the notebook {path}: ", e.Message);
        }

        [Fact]
        public void Should_Reject_Other_Nbformat_Versions()
        {
            var e = Assert.Throws<InvalidDataException>(() => Parse("""{"cells": [], "metadata": {}, "nbformat": 3}"""));

            Assert.Contains("nbformat 3", e.Message);
        }
    }

    public sealed class TheFromJsonMethod
    {
        [Fact]
        public void Should_Read_Fields_Nbformat_Does_Not_Define_And_Repeated_Tags_As_Jupyter_Does()
        {
            // Jupyter warns and opens such a notebook; refusing it would cost a student the answers it holds.
            var notebook = IpynbNotebook.Parse("""
                {"cells": [{"cell_type": "markdown", "source": "答: 因为", "metadata": {"tags": ["a,b", "a,b"]}, "editor_extra": 1}],
                 "metadata": {}, "nbformat": 4, "nbformat_minor": 5, "extra_top_level": true}
                """, "odd.ipynb");

            Assert.Equal("答: 因为", notebook.Cells.Single().Source);
        }

        [Theory]
        [InlineData("""{"cells": [], "metadata": {}, "nbformat": "4"}""", "$.nbformat is the string \"4\"; expected the number 4")]
        [InlineData("""{"cells": [{"cell_type": 1, "source": ""}], "nbformat": 4}""", "$.cells[0].cell_type is the number 1; expected \"code\", \"markdown\" or \"raw\". (That is cell 1")]
        [InlineData("""{"cells": [{"cell_type": "markdown", "source": ""}, {"cell_type": "code", "source": ["a = 1;\n", 2]}], "nbformat": 4}""", "$.cells[1].source[1] is the number 2; expected a string. (That is cell 2")]
        [InlineData("""{"cells": [], "metadata": {"dasecv_runner": {"run_seconds": "12.5"}}, "nbformat": 4}""", "$.metadata.dasecv_runner.run_seconds is the string \"12.5\"; expected a number")]
        [InlineData("""{"cells": [], "metadata": {"kernelspec": ["C#"]}, "nbformat": 4}""", "$.metadata.kernelspec is an array; expected an object")]
        [InlineData("""{"cells": {}, "nbformat": 4}""", "$.cells is an object; expected an array.")]
        [InlineData("""{"cells": [{"cell_type": "code", "source": "", "execution_count": "3"}], "nbformat": 4}""", "$.cells[0].execution_count is the string \"3\"; expected a whole number")]
        [InlineData("""{"cells": [{"cell_type": "code", "source": "", "outputs": [{"output_type": "stream", "name": "stdout", "text": [1]}]}], "nbformat": 4}""", "$.cells[0].outputs[0].text[0] is the number 1; expected a string")]
        [InlineData("""{"cells": [{"cell_type": "code", "source": "", "outputs": [{"output_type": "error", "ename": "E", "evalue": "v", "traceback": "x"}]}], "nbformat": 4}""", "$.cells[0].outputs[0].traceback is the string \"x\"; expected an array of strings")]
        [InlineData("""{"cells": [{"cell_type": "code", "source": "", "outputs": [{"output_type": "display_data", "data": {"text/plain": 5}}]}], "nbformat": 4}""", "$.cells[0].outputs[0].data[\"text/plain\"] is the number 5")]
        [InlineData("""{"cells": [{"cell_type": "code", "source": "", "metadata": {"polyglot_notebook": "csharp"}}], "nbformat": 4}""", "$.cells[0].metadata.polyglot_notebook is the string \"csharp\"; expected an object")]
        [InlineData("""{"cells": [{"cell_type": "code", "source": "", "metadata": {"tags": ["parameters", 7]}}], "nbformat": 4}""", "$.cells[0].metadata.tags[1] is the number 7; expected a string")]
        public void Should_Name_The_File_And_The_Json_Path_Of_A_Field_With_The_Wrong_Type(string json, string expected)
        {
            var e = Assert.Throws<InvalidDataException>(() => Parse(json));

            Assert.StartsWith("test.ipynb: ", e.Message);
            Assert.Contains(expected, e.Message);
        }

        [Fact]
        public void Should_Report_A_Key_Repeated_In_One_Object()
        {
            var e = Assert.Throws<InvalidDataException>(() => Parse("""{"cells": [{"cell_type": "code", "source": "a", "source": "b"}], "nbformat": 4}"""));

            Assert.Contains("test.ipynb repeats a key", e.Message);
            Assert.Contains("source", e.Message);
        }

        [Fact]
        public void Should_Accept_What_Jupyter_And_VS_Code_Write()
        {
            var notebook = Parse("""
                {"cells": [
                  {"cell_type": "code", "metadata": {}, "execution_count": null, "id": "a", "outputs": [], "source": ""},
                  {"cell_type": "code", "metadata": {}, "execution_count": 3, "outputs": [
                     {"output_type": "stream", "name": "stdout", "text": "one\n"},
                     {"output_type": "execute_result", "execution_count": 3, "metadata": {}, "data": {"text/plain": ["4"], "application/json": {"a": [1, 2]}}},
                     {"output_type": "error", "ename": "E", "evalue": "v", "traceback": []}],
                   "source": ["x\n", "y"]},
                  {"cell_type": "markdown", "metadata": {}, "attachments": {"i.png": {"image/png": "iVBOR"}}, "source": "![](attachment:i.png)"}],
                 "metadata": {"kernelspec": {"name": ".net-csharp", "language": "C#"}, "dasecv_runner": {"run_seconds": 12}},
                 "nbformat": 4, "nbformat_minor": 5}
                """);

            Assert.Equal(3, notebook.Cells.Count);
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

    [Fact]
    public void Should_Accept_A_Notebook_Built_In_Memory()
    {
        var root = new JsonObject
        {
            ["cells"] = new JsonArray(),
            ["metadata"] = new JsonObject(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };

        var notebook = IpynbNotebook.FromJson(root, "built.ipynb");

        Assert.Empty(notebook.Cells);
    }
}
