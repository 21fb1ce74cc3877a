using System.Text.Json.Nodes;
using DaseCV.Runner.IO;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Notebook;

public sealed class NotebookParametersTests
{
    private static IpynbNotebook NotebookWithParameters(string tagsJson, string source =
        "var dataset = \"cifar10\";\nint numIters = 1500;\nvar learningRate = 1e-7;\nfloat scale = 1f;") =>
        IpynbNotebook.FromJson(JsonNode.Parse($$"""
        {"cells": [
          {"cell_type": "markdown", "id": "m", "metadata": {}, "source": "# title"},
          {"cell_type": "code", "id": "p", "metadata": {{tagsJson}}, "source": {{JsonValue.Create(source).ToJsonString()}}},
          {"cell_type": "code", "id": "c", "metadata": {}, "source": "Console.WriteLine(dataset);"}],
         "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        """), "params.ipynb");

    private static List<KeyValuePair<string, string>> Values(params string[] nameEqualsValue) =>
        [.. nameEqualsValue.Select(NotebookParameters.Parse)];

    public sealed class TheApplyMethod
    {
        [Theory]
        [InlineData("""{"tags": ["parameters"]}""")]
        [InlineData("""{"polyglot_notebook": {"kernelName": "csharp", "tags": ["parameters"]}}""")]
        public void Should_Insert_A_Tagged_Override_Cell_Right_After_The_Parameters_Cell(string metadata)
        {
            var notebook = NotebookWithParameters(metadata);

            NotebookParameters.Apply(notebook, Values("dataset=synthetic", "numIters=200", "learningRate=1"));

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
        public void Should_Replace_The_Injected_Cell_Of_An_Earlier_Run_Instead_Of_Adding_A_Second()
        {
            var notebook = NotebookWithParameters("""{"tags": ["parameters"]}""");
            NotebookParameters.Apply(notebook, Values("dataset=synthetic", "numIters=200"));

            var used = NotebookParameters.Apply(notebook, Values("numIters=13"));

            var injected = Assert.Single(notebook.Cells, NotebookParameters.IsInjected);
            Assert.Equal(4, notebook.Cells.Count);
            Assert.Same(injected.Json, notebook.Cells[2].Json);
            Assert.Contains("int numIters = 13;", injected.Source);
            Assert.DoesNotContain("200", injected.Source);
            Assert.DoesNotContain("dataset", injected.Source); // papermill: only this run's values
            Assert.Equal(Values("numIters=13"), used);
        }

        [Fact]
        public void Should_Keep_An_Earlier_Injected_Cell_And_Report_Its_Values_When_None_Are_Given()
        {
            var notebook = NotebookWithParameters("""{"tags": ["parameters"]}""");
            NotebookParameters.Apply(notebook, Values("dataset=a \"quoted\" name", "numIters=200"));

            var used = NotebookParameters.Apply(notebook, []);

            Assert.Single(notebook.Cells, NotebookParameters.IsInjected);
            Assert.Equal(Values("dataset=a \"quoted\" name", "numIters=200"), used);
        }

        [Fact]
        public void Should_Make_A_String_That_Looks_Like_Code_A_Literal()
        {
            const string attack = "\"synthetic\"; System.IO.File.WriteAllText(\"/tmp/pwned\", \"x\"); var _z = \"\"";
            var notebook = NotebookWithParameters("""{"tags": ["parameters"]}""");

            NotebookParameters.Apply(notebook, [new("dataset", attack)]);

            var source = notebook.Cells[2].Source;
            Assert.Contains("string dataset = \"\\\"synthetic\\\"; System.IO.File.WriteAllText(\\\"/tmp/pwned\\\", \\\"x\\\"); var _z = \\\"\\\"\";", source);
            // The whole cell is the comment and one declaration whose initializer is a single string literal.
            var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source,
                new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(kind: Microsoft.CodeAnalysis.SourceCodeKind.Script));
            var member = Assert.Single(((Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax)tree.GetRoot()).Members);
            var field = Assert.IsType<Microsoft.CodeAnalysis.CSharp.Syntax.FieldDeclarationSyntax>(member);
            var literal = Assert.IsType<Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax>(Assert.Single(field.Declaration.Variables).Initializer!.Value);
            Assert.Equal(attack, literal.Token.ValueText);
        }

        [Fact]
        public void Should_Name_The_Declared_Parameters_When_One_Is_Unknown()
        {
            var notebook = NotebookWithParameters("""{"tags": ["parameters"]}""");

            var e = Assert.Throws<UsageException>(() => NotebookParameters.Apply(notebook, Values("numIter=5")));

            Assert.Equal("-p numIter: the parameters cell (cell 2) declares no 'numIter'; it declares: dataset, numIters, learningRate, scale.", e.Message);
            Assert.Equal(3, notebook.Cells.Count);
        }

        [Fact]
        public void Should_Refuse_The_Same_Name_Twice_And_Leave_The_Notebook_Alone()
        {
            var notebook = NotebookWithParameters("""{"tags": ["parameters"]}""");

            var e = Assert.Throws<UsageException>(() => NotebookParameters.Apply(notebook, Values("numIters=200", "numIters=300")));

            Assert.Equal("-p numIters is given twice ('200' and '300'); give each parameter once.", e.Message);
            Assert.Equal(3, notebook.Cells.Count);
        }

        [Fact]
        public void Should_Refuse_A_Value_Of_The_Wrong_Type_Before_Changing_Anything()
        {
            var notebook = NotebookWithParameters("""{"tags": ["parameters"]}""");

            var e = Assert.Throws<UsageException>(() => NotebookParameters.Apply(notebook, Values("dataset=ok", "numIters=abc")));

            Assert.Equal("numIters is declared int in the parameters cell; 'abc' is not an int.", e.Message);
            Assert.Equal(3, notebook.Cells.Count);
        }

        [Fact]
        public void Should_Fail_When_No_Cell_Is_Tagged_Parameters()
        {
            var notebook = NotebookWithParameters("{}");

            var e = Assert.Throws<UsageException>(() => NotebookParameters.Apply(notebook, Values("dataset=x")));

            Assert.Contains("has no code cell tagged 'parameters'", e.Message);
        }

        [Fact]
        public void Should_Refuse_A_Parameter_Whose_Type_Cannot_Be_Written_As_A_Literal()
        {
            var notebook = NotebookWithParameters("""{"tags": ["parameters"]}""",
                "List<int> sizes = new() { 1, 2 };\nvar seed = Environment.TickCount;");

            var list = Assert.Throws<UsageException>(() => NotebookParameters.Apply(notebook, Values("sizes=1")));
            var inferred = Assert.Throws<UsageException>(() => NotebookParameters.Apply(notebook, Values("seed=1")));

            Assert.StartsWith("sizes is declared List<int> in the parameters cell; -p can set parameters of type string, bool", list.Message);
            Assert.StartsWith("seed is declared with var in the parameters cell and its type cannot be read", inferred.Message);
        }

        [Fact]
        public void Should_Leave_The_Notebook_Alone_Without_Values()
        {
            var notebook = NotebookWithParameters("{}");

            Assert.Empty(NotebookParameters.Apply(notebook, []));
            Assert.Equal(3, notebook.Cells.Count);
        }
    }

    public sealed class TheFindDeclarationsMethod
    {
        [Fact]
        public void Should_Read_Each_Top_Level_Variable_With_Its_Type()
        {
            var declared = NotebookParameters.FindDeclarations("""
                // 参数单元
                string Param(string name, string fallback) => Environment.GetEnvironmentVariable(name) ?? fallback;
                string dataset = Param("DATASET", "cifar10");   // "cifar10" or "synthetic"
                int numIters = int.Parse(Param("NUM_ITERS", "2000")), numDev = 500;
                var lr = 1e-7;
                var reg = 2.5e4f;
                var name = $"run {numIters}";
                var big = -3L;
                var on = true;
                int? limit = null;
                System.Collections.Generic.List<int> sizes = new();
                const double Eps = 1e-8;
                if (numIters > 0) { int inner = 1; }
                """);

            Assert.Equal(new Dictionary<string, string>
            {
                ["dataset"] = "string", ["numIters"] = "int", ["numDev"] = "int", ["lr"] = "double", ["reg"] = "float",
                ["name"] = "string", ["big"] = "long", ["on"] = "bool", ["limit"] = "int?",
                ["sizes"] = "System.Collections.Generic.List<int>", ["Eps"] = "double",
            }, declared);
        }
    }

    public sealed class TheToLiteralMethod
    {
        [Theory]
        [InlineData("200", "int", "200")]
        [InlineData("-3", "int", "-3")]
        [InlineData(" 7 ", "long", "7")]
        [InlineData("5000000000", "long", "5000000000")]
        [InlineData("1e-7", "double", "1e-7")]
        [InlineData("200", "double", "200")]
        [InlineData("5.", "double", "5")]
        [InlineData("+2.5", "double", "2.5")]
        [InlineData("0.5", "float", "0.5f")]
        [InlineData("2", "decimal", "2m")]
        [InlineData("True", "bool", "true")]
        [InlineData("false", "Boolean", "false")]
        [InlineData("x", "char", "'x'")]
        [InlineData("'", "char", "'\\''")]
        [InlineData("null", "int?", "null")]
        [InlineData("4", "int?", "4")]
        [InlineData("synthetic", "string", "\"synthetic\"")]
        [InlineData("\"quoted\"", "string", "\"\\\"quoted\\\"\"")]
        [InlineData("200", "string", "\"200\"")]
        [InlineData("null", "string", "\"null\"")]
        [InlineData("a \"b\" \\ c", "string", "\"a \\\"b\\\" \\\\ c\"")]
        [InlineData("line\nbreak", "String", "\"line\\nbreak\"")]
        public void Should_Write_A_Literal_Of_The_Declared_Type(string value, string declaredType, string expected) =>
            Assert.Equal(expected, NotebookParameters.ToLiteral("x", value, declaredType));

        [Theory]
        [InlineData("numIters", "abc", "int", "numIters is declared int in the parameters cell; 'abc' is not an int.")]
        [InlineData("numIters", "200.5", "int", "numIters is declared int in the parameters cell; '200.5' is not an int.")]
        [InlineData("numIters", "1e3", "int", "numIters is declared int in the parameters cell; '1e3' is not an int.")]
        [InlineData("numIters", "3000000000", "int", "numIters is declared int in the parameters cell; '3000000000' is not an int (out of range: int holds -2147483648 to 2147483647).")]
        [InlineData("count", "-1", "uint", "count is declared uint in the parameters cell; '-1' is not a uint (out of range: uint holds 0 to 4294967295).")]
        [InlineData("lr", "1,5", "double", "lr is declared double in the parameters cell; '1,5' is not a double.")]
        [InlineData("lr", "NaN", "double", "lr is declared double in the parameters cell; 'NaN' is not a double.")]
        [InlineData("lr", "1e999", "double", "lr is declared double in the parameters cell; '1e999' is not a double (out of range).")]
        [InlineData("lr", "1e-7); File.Delete(\"x\"", "double", "lr is declared double in the parameters cell; '1e-7); File.Delete(\"x\"' is not a double.")]
        [InlineData("on", "yes", "bool", "on is declared bool in the parameters cell; 'yes' is not a bool (true or false).")]
        [InlineData("c", "ab", "char", "c is declared char in the parameters cell; 'ab' is not a char (one character).")]
        [InlineData("n", "null", "int", "n is declared int in the parameters cell; 'null' is not an int.")]
        public void Should_Name_The_Parameter_Its_Type_And_The_Value_That_Is_Not_One(string name, string value, string declaredType, string message)
        {
            var e = Assert.Throws<UsageException>(() => NotebookParameters.ToLiteral(name, value, declaredType));

            Assert.Equal(message, e.Message);
        }
    }

    public sealed class TheUserCellNumberMethod
    {
        [Fact]
        public void Should_Count_Cells_As_The_User_Sees_Them_Without_The_Injected_One()
        {
            var notebook = NotebookWithParameters("""{"tags": ["parameters"]}""");
            NotebookParameters.Apply(notebook, Values("numIters=1"));
            var injectedId = notebook.Cells[2].Id;

            Assert.Equal(3, NotebookParameters.UserCellNumber(notebook, "c"));
            Assert.Equal(2, NotebookParameters.UserCellNumber(notebook, "p"));
            Assert.Null(NotebookParameters.UserCellNumber(notebook, injectedId));
            Assert.Null(NotebookParameters.UserCellNumber(notebook, "nosuch"));
        }
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
        [InlineData("x;y=5")]
        public void Should_Reject_Malformed_Arguments(string argument) =>
            Assert.Throws<UsageException>(() => NotebookParameters.Parse(argument));
    }
}
