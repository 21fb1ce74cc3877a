using DaseCV.Runner.Execution;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Execution;

/// <summary>What <c>run</c> prints for a failing cell (the end-to-end runs are in EndToEnd/).</summary>
public sealed class RunFailureTests
{
    public sealed class TheDescribeMethod
    {
        private static IpynbNotebook FailedNotebook(string errorJson) => IpynbNotebook.FromJson(System.Text.Json.Nodes.JsonNode.Parse($$"""
            {"cells": [
              {"cell_type": "markdown", "id": "m", "metadata": {}, "source": "# title"},
              {"cell_type": "code", "id": "p", "metadata": {"tags": ["parameters"]}, "outputs": [], "source": "int n = 1;"},
              {"cell_type": "code", "id": "i", "metadata": {"tags": ["injected-parameters"]}, "outputs": [], "source": "int n = 13;"},
              {"cell_type": "code", "id": "boom", "metadata": {}, "outputs": [{{errorJson}}], "source": "throw new X();"}],
             "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """), "failed.ipynb");

        private const string KernelError = """
            {"output_type": "error", "ename": "InvalidOperationException",
             "evalue": "System.InvalidOperationException: n 13 is unlucky\n   at Submission#4.<<Initialize>>d__0.MoveNext()\n--- End of stack trace from previous location ---\n   at Microsoft.CodeAnalysis.Scripting.ScriptExecutionState.RunSubmissionsAsync()",
             "traceback": ["   at Submission#4.<<Initialize>>d__0.MoveNext()", "--- End of stack trace from previous location ---", "   at Microsoft.CodeAnalysis.Scripting.ScriptExecutionState.RunSubmissionsAsync()"]}
            """;

        private static readonly ExecutionResult Failed = new(TimeSpan.FromSeconds(1), RunEnd.CellFailed, "cell 3", "boom", "kernel message");

        [Fact]
        public void Should_Number_The_Users_Cell_And_Show_Ename_Evalue_Without_The_Trace()
        {
            var message = RunFailure.Describe(FailedNotebook(KernelError), Failed, verbose: false);

            Assert.Equal(
                "错误：第 3 个单元格出错；之后的单元格没有运行。\n" +
                "error: cell 3 (id boom) failed; later cells were not run.\nInvalidOperationException: n 13 is unlucky\n(Run with --verbose for the trace.)",
                message);
        }

        [Fact]
        public void Should_Add_The_Trace_Once_When_Verbose()
        {
            var message = RunFailure.Describe(FailedNotebook(KernelError), Failed, verbose: true);

            Assert.StartsWith("错误：第 3 个单元格出错；之后的单元格没有运行。\n" +
                              "error: cell 3 (id boom) failed; later cells were not run.\nInvalidOperationException: n 13 is unlucky\n   at Submission#4", message);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(message, "RunSubmissionsAsync"));
        }

        [Fact]
        public void Should_Print_A_Traceback_That_Starts_With_Ename_Evalue_Once()
        {
            const string nbconvertStyle = """
                {"output_type": "error", "ename": "IOException", "evalue": "Could not get CIFAR-10.\nWays on:\n  1. ...\n ---> System.Net.Http.HttpRequestException: Name or service not known",
                 "traceback": ["IOException: Could not get CIFAR-10.", "   at DaseCV.Data.Cifar10.EnsureDownloaded()"]}
                """;

            var quiet = RunFailure.Describe(FailedNotebook(nbconvertStyle), Failed, verbose: false);
            var verbose = RunFailure.Describe(FailedNotebook(nbconvertStyle), Failed, verbose: true);

            Assert.Equal("错误：第 3 个单元格出错；之后的单元格没有运行。\n" +
                         "error: cell 3 (id boom) failed; later cells were not run.\nIOException: Could not get CIFAR-10.\nWays on:\n  1. ...\n(Run with --verbose for the trace.)", quiet);
            Assert.Equal("错误：第 3 个单元格出错；之后的单元格没有运行。\n" +
                         "error: cell 3 (id boom) failed; later cells were not run.\nIOException: Could not get CIFAR-10.\nWays on:\n  1. ...\n" +
                         " ---> System.Net.Http.HttpRequestException: Name or service not known\n   at DaseCV.Data.Cifar10.EnsureDownloaded()", verbose);
        }

        [Fact]
        public void Should_Name_The_Injected_Cell_When_It_Is_The_One_That_Failed()
        {
            var message = RunFailure.Describe(FailedNotebook(KernelError), Failed with { FailedCell = "the injected parameters cell", FailedCellId = "i" }, verbose: false);

            Assert.StartsWith("错误：注入参数的单元格出错；之后的单元格没有运行。\nerror: the injected parameters cell failed; later cells were not run.\n", message);
        }

        [Fact]
        public void Should_Say_No_More_For_A_Compile_Error_Without_Trace()
        {
            const string compileError = """{"output_type": "error", "ename": "Error", "evalue": "(1,7): error CS0246: The type or namespace name 'X' could not be found", "traceback": []}""";

            var message = RunFailure.Describe(FailedNotebook(compileError), Failed, verbose: false);

            Assert.Equal("错误：第 3 个单元格出错；之后的单元格没有运行。\nerror: cell 3 (id boom) failed; later cells were not run.\nError: (1,7): error CS0246: The type or namespace name 'X' could not be found", message);
        }
    }
}
