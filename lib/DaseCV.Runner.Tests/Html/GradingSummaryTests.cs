using System.Text.Json.Nodes;
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

    public sealed class TheFromMethod
    {
        [Fact]
        public void Should_Read_Student_Name_And_Id_From_The_Parameters_Cell_Defaults()
        {
            var summary = GradingSummary.From(Notebook(Code("p",
                "string Param(string n, string f) => f;\nstring studentName = Param(\"STUDENT_NAME\", \"张三\");\nstring studentId = \"2023001\";",
                tags: "\"parameters\"")));

            Assert.Equal("张三", summary.StudentName);
            Assert.Equal("2023001", summary.StudentId);
        }

        [Fact]
        public void Should_Let_Injected_Parameters_Win_And_Leave_Empty_Defaults_Empty()
        {
            var summary = GradingSummary.From(Notebook(
                Code("p", "string studentName = Param(\"STUDENT_NAME\", \"\");\nstring studentId = Param(\"STUDENT_ID\", \"\");", tags: "\"parameters\""),
                Code("i", "string studentName = \"李四\";", tags: "\"injected-parameters\""),
                Code("x", "string studentName = \"not a parameter cell\";")));

            Assert.Equal("李四", summary.StudentName);
            Assert.Equal("", summary.StudentId);
        }

        [Fact]
        public void Should_Find_Best_Configuration_Validation_And_Test_Accuracy_In_The_Outputs()
        {
            var summary = GradingSummary.From(Notebook(
                Code("tune", "// tuning", """
                    lr 1.000000e-07 reg 2.500000e+04 train accuracy: 0.330000 val accuracy: 0.341000
                    lr 1.000000e-07 reg 5.000000e+04 train accuracy: 0.310000 val accuracy: 0.352000
                    lr 5.000000e-07 reg 2.500000e+04 train accuracy: 0.320000 val accuracy: 0.352000
                    best validation accuracy achieved during cross-validation: 0.352000

                    """),
                Code("test", "// test", "softmax on raw pixels final test set accuracy: 0.361000\n")));

            // Two configurations reach 0.352: the first in grid order is the one the notebook keeps.
            Assert.Equal(new SummaryValue("1.000000e-07", "tune"), summary.BestLearningRate);
            Assert.Equal(new SummaryValue("5.000000e+04", "tune"), summary.BestReg);
            Assert.Equal(new SummaryValue("0.352000", "tune"), summary.ValAccuracy);
            Assert.Equal(new SummaryValue("0.361000", "test"), summary.TestAccuracy);
        }

        [Fact]
        public void Should_Report_Nothing_For_A_Notebook_That_Has_Not_Run()
        {
            var summary = GradingSummary.From(Notebook(Code("tune", "Console.WriteLine($\"best validation accuracy achieved during cross-validation: {bestVal}\");")));

            Assert.Equal(new GradingSummary(null, null, null, null, null, null), summary);
        }
    }
}
