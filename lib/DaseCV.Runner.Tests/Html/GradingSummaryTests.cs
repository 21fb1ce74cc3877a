using System.Text.Json.Nodes;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Html;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Html;

public sealed class GradingSummaryTests
{
    internal static IpynbNotebook Notebook(params string[] cells) => IpynbNotebook.FromJson(JsonNode.Parse(
        $$"""{"cells": [{{string.Join(",", cells)}}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"""), "demo.ipynb");

    internal static string Code(string id, string source, string stdout = "", string tags = "") => $$"""
        {"cell_type": "code", "id": "{{id}}", "execution_count": 1, "metadata": {"tags": [{{tags}}]}, "source": {{JsonValue.Create(source).ToJsonString()}},
         "outputs": [{"output_type": "stream", "name": "stdout", "text": {{JsonValue.Create(stdout).ToJsonString()}}}]}
        """;

    // Softmax's columns (best learning rate, regularization strength, validation and test accuracy) on cells with short ids.
    private static readonly ResultCells Cells = ExerciseResults.LinearClassifier("p", "tune", "test");

    private static GradingSummary From(IpynbNotebook notebook) => GradingSummary.From(notebook, Cells, HtmlExporter.IsFolded);

    /// <summary>The value of the column whose label ends with <paramref name="english"/>.</summary>
    internal static SummaryValue Column(GradingSummary summary, string english) =>
        Assert.Single(summary.Results, r => r.Label.EndsWith(english, StringComparison.Ordinal)).Value;

    public sealed class TheFromMethod
    {
        [Fact]
        public void Should_Read_Student_Name_And_Id_From_The_Parameters_Cell_Defaults()
        {
            var summary = From(Notebook(Code("p",
                "string Param(string n, string f) => f;\nstring studentName = Param(\"STUDENT_NAME\", \"张三\");\nstring studentId = \"2023001\";",
                tags: "\"parameters\"")));

            Assert.Equal("张三", summary.StudentName);
            Assert.Equal("2023001", summary.StudentId);
        }

        [Fact]
        public void Should_Let_Injected_Parameters_Win_And_Leave_Empty_Defaults_Empty()
        {
            var summary = From(Notebook(
                Code("p", "string studentName = Param(\"STUDENT_NAME\", \"\");\nstring studentId = Param(\"STUDENT_ID\", \"\");", tags: "\"parameters\""),
                Code("i", "string studentName = \"李四\";", tags: "\"injected-parameters\""),
                Code("x", "string studentName = \"not a parameter cell\";")));

            Assert.Equal("李四", summary.StudentName);
            Assert.Equal("", summary.StudentId);
        }

        [Fact]
        public void Should_Find_Best_Configuration_Validation_And_Test_Accuracy_In_The_Outputs()
        {
            var summary = From(Notebook(
                Code("tune", "// tuning", """
                    lr 1.000000e-07 reg 2.500000e+04 train accuracy: 0.330000 val accuracy: 0.341000
                    lr 1.000000e-07 reg 5.000000e+04 train accuracy: 0.310000 val accuracy: 0.352000
                    lr 5.000000e-07 reg 2.500000e+04 train accuracy: 0.320000 val accuracy: 0.352000
                    best validation accuracy achieved during cross-validation: 0.352000

                    """),
                Code("test", "// test", "softmax on raw pixels final test set accuracy: 0.361000\n")));

            // Two configurations reach 0.352: the first in grid order is the one the notebook keeps.
            Assert.Equal(new SummaryValue("1.000000e-07", "tune"), Column(summary, "Best learning rate"));
            Assert.Equal(new SummaryValue("5.000000e+04", "tune"), Column(summary, "Best regularization strength"));
            Assert.Equal(new SummaryValue("0.352000", "tune"), Column(summary, "Validation accuracy"));
            Assert.Equal(new SummaryValue("0.361000", "test"), Column(summary, "Test accuracy"));
        }

        [Fact]
        public void Should_Report_Nothing_For_A_Notebook_That_Has_Not_Run()
        {
            var summary = From(Notebook(Code("tune", "Console.WriteLine($\"best validation accuracy achieved during cross-validation: {bestVal}\");")));

            Assert.Null(summary.StudentName);
            Assert.Equal(SummaryValue.NotFound("单元 tune 没有输出这一行 cell tune printed no such line"), Column(summary, "Validation accuracy"));
            Assert.Equal(SummaryValue.NotFound("没有单元 test no cell test"), Column(summary, "Test accuracy"));
        }

        [Fact]
        public void Should_Ignore_A_Later_Parameters_Cell_That_Forges_The_Name()
        {
            var summary = From(Notebook(
                Code("p", "string studentName = Param(\"STUDENT_NAME\", \"\");", tags: "\"parameters\""),
                Code("i", "string studentName = \"张三\";\nstring studentId = \"2023001\";", tags: "\"injected-parameters\""),
                Code("forged", "string studentName = \"李四\";\nstring studentId = \"9999\";", tags: "\"parameters\""),
                Code("forged2", "string studentName = \"王五\";", tags: "\"injected-parameters\"")));

            Assert.Equal("张三", summary.StudentName);
            Assert.Equal("2023001", summary.StudentId);
        }

        [Fact]
        public void Should_Read_Results_Only_From_The_Result_Cells_Never_Folded_Or_Added_Ones()
        {
            const string fake = "lr 1e-03 reg 1e+00 train accuracy: 0.99 val accuracy: 0.99\nbest validation accuracy achieved during cross-validation: 0.99\n" +
                                "softmax on raw pixels final test set accuracy: 0.99\n";
            var summary = From(Notebook(
                Code("tune", "// grid", "lr 1e-07 reg 2.5e+04 train accuracy: 0.30 val accuracy: 0.35\nbest validation accuracy achieved during cross-validation: 0.35\n"),
                Code("added", "// a cell the student added", fake),
                Code("folded", "// a folded cell", fake, tags: "\"setup\""),
                Code("test", "// test", "softmax on raw pixels final test set accuracy: 0.36\n"),
                Code("after", "// later", fake)));

            Assert.Equal(new SummaryValue("0.35", "tune"), Column(summary, "Validation accuracy"));
            Assert.Equal(new SummaryValue("1e-07", "tune"), Column(summary, "Best learning rate"));
            Assert.Equal(new SummaryValue("0.36", "test"), Column(summary, "Test accuracy"));
        }

        [Fact]
        public void Should_Say_Why_When_A_Result_Cell_Is_Folded_Duplicated_Or_Gone()
        {
            const string line = "softmax on raw pixels final test set accuracy: 0.99\n";
            Assert.Equal("单元 test 被折叠 cell test is folded away",
                Column(From(Notebook(Code("test", "//", line, tags: "\"pdf-ignore\""))), "Test accuracy").Missing);
            Assert.Equal("单元 test 出现 2 次 cell test appears 2 times",
                Column(From(Notebook(Code("test", "//", line), Code("test", "//", line))), "Test accuracy").Missing);
            Assert.Equal("没有单元 tune no cell tune", Column(From(Notebook(Code("test", "//", line))), "Validation accuracy").Missing);
        }
    }
}
