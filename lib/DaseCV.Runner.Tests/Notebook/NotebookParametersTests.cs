using System.Text.Json.Nodes;
using DaseCV.Runner.Notebook;

namespace DaseCV.Runner.Tests.Notebook;

public sealed class NotebookParametersTests
{
    private static IpynbNotebook NotebookWithParameters(string tagsJson) => IpynbNotebook.FromJson(JsonNode.Parse($$"""
        {"cells": [
          {"cell_type": "markdown", "id": "m", "metadata": {}, "source": "# title"},
          {"cell_type": "code", "id": "p", "metadata": {{tagsJson}},
           "source": ["var dataset = \"cifar10\";\n", "int numIters = 1500;\n", "var learningRate = 1e-7;\n", "float scale = 1f;"]},
          {"cell_type": "code", "id": "c", "metadata": {}, "source": "Console.WriteLine(dataset);"}],
         "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        """), "params.ipynb");

    public sealed class TheInjectMethod
    {
        [Theory]
        [InlineData("""{"tags": ["parameters"]}""")]
        [InlineData("""{"polyglot_notebook": {"kernelName": "csharp", "tags": ["parameters"]}}""")]
        public void Should_Insert_A_Tagged_Override_Cell_Right_After_The_Parameters_Cell(string metadata)
        {
            var notebook = NotebookWithParameters(metadata);

            NotebookParameters.Inject(notebook, [new("dataset", "synthetic"), new("numIters", "200"), new("learningRate", "1")]);

            var cells = notebook.Cells;
            Assert.Equal(4, cells.Count);
            Assert.Equal("p", cells[1].Id);
            Assert.Contains(NotebookParameters.InjectedTag, cells[2].Tags);
            Assert.Contains("string dataset = \"synthetic\";", cells[2].Source);
            Assert.Contains("int numIters = 200;", cells[2].Source);
            Assert.Contains("double learningRate = 1;", cells[2].Source);
            Assert.Equal("c", cells[3].Id);
        }

        [Fact]
        public void Should_Name_The_Declared_Parameters_When_One_Is_Unknown()
        {
            var notebook = NotebookWithParameters("""{"tags": ["parameters"]}""");

            var e = Assert.Throws<UsageException>(() => NotebookParameters.Inject(notebook, [new("numIter", "5")]));

            Assert.Contains("numIter", e.Message);
            Assert.Contains("numIters", e.Message);
        }

        [Fact]
        public void Should_Fail_When_No_Cell_Is_Tagged_Parameters()
        {
            var notebook = NotebookWithParameters("{}");

            var e = Assert.Throws<UsageException>(() => NotebookParameters.Inject(notebook, [new("dataset", "x")]));

            Assert.Contains("parameters", e.Message);
        }

        [Fact]
        public void Should_Leave_The_Notebook_Alone_Without_Values()
        {
            var notebook = NotebookWithParameters("{}");

            Assert.Null(NotebookParameters.Inject(notebook, []));
            Assert.Equal(3, notebook.Cells.Count);
        }
    }

    public sealed class TheToLiteralMethod
    {
        [Theory]
        [InlineData("200", "var", "200")]
        [InlineData("-3", "int", "-3")]
        [InlineData("1e-7", "double", "1e-7")]
        [InlineData("0.5", "float", "0.5f")]
        [InlineData("2", "decimal", "2m")]
        [InlineData("true", "var", "true")]
        [InlineData("synthetic", "var", "\"synthetic\"")]
        [InlineData("\"quoted\"", "var", "\"quoted\"")]
        [InlineData("200", "string", "\"200\"")]
        [InlineData("a \"b\" \\ c", "string", "\"a \\\"b\\\" \\\\ c\"")]
        [InlineData("1,5", "var", "\"1,5\"")]
        public void Should_Type_Values_Like_CSharp_Literals(string value, string declaredType, string expected) =>
            Assert.Equal(expected, NotebookParameters.ToLiteral(value, declaredType));
    }

    public sealed class TheParseMethod
    {
        [Fact]
        public void Should_Split_At_The_First_Equals_Sign() =>
            Assert.Equal(new KeyValuePair<string, string>("expr", "a=b"), NotebookParameters.Parse("expr=a=b"));

        [Theory]
        [InlineData("novalue")]
        [InlineData("=5")]
        [InlineData("not-a-name=5")]
        public void Should_Reject_Malformed_Arguments(string argument) =>
            Assert.Throws<UsageException>(() => NotebookParameters.Parse(argument));
    }
}
