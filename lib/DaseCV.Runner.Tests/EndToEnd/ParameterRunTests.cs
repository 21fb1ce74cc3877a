using DaseCV.Runner.Ipynb;
using Microsoft.CodeAnalysis.CSharp;

namespace DaseCV.Runner.Tests.EndToEnd;

/// <summary>
/// TestData/parameters.ipynb through runner processes: first with a string value that tries to be code, then its
/// executed copy again with -p numIters=13 (its last cell fails on 13), then that copy with no -p and --verbose.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ParameterRuns : IAsyncLifetime
{
    public string Root { get; } = TestPaths.NewTempDirectory();

    /// <summary>The file the attack value tries to write.</summary>
    public string Pwned => Path.Combine(Root, "pwned.txt");

    /// <summary>A -p value that, pasted as code, would end the string and write <see cref="Pwned"/>.</summary>
    public string Attack => $"\"synthetic\"; System.IO.File.WriteAllText(@\"{Pwned}\", \"x\"); var _z = \"\"";

    internal RunnerOutcome Injected { get; private set; } = null!;
    internal RunnerOutcome Rerun { get; private set; } = null!;
    internal RunnerOutcome Verbose { get; private set; } = null!;

    internal IpynbNotebook Executed(string run) => IpynbNotebook.Load(Path.Combine(Root, run, "parameters.ipynb"));

    public async Task InitializeAsync()
    {
        Injected = await RunnerProcess.RunAsync("run", Path.Combine(TestPaths.TestData, "parameters.ipynb"), "--out", Path.Combine(Root, "injected"),
                                                "-p", "dataset", Attack, "-p", "numIters", "200", "-p", "learningRate=2e-7");
        Rerun = await RunnerProcess.RunAsync("run", Path.Combine(Root, "injected", "parameters.ipynb"), $"--out={Path.Combine(Root, "rerun")}",
                                             "-p", "numIters=13");
        Verbose = await RunnerProcess.RunAsync("run", Path.Combine(Root, "rerun", "parameters.ipynb"), "--out", Path.Combine(Root, "verbose"), "--verbose");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[Trait("Category", "EndToEnd")]
public sealed class ParameterRunTests(ParameterRuns runs) : IClassFixture<ParameterRuns>
{
    [Fact]
    public void Should_Run_A_String_Value_That_Looks_Like_Code_As_A_Literal()
    {
        Assert.True(runs.Injected.ExitCode == 0, runs.Injected.StandardError);
        Assert.False(File.Exists(runs.Pwned), "the -p value ran as code");

        var cells = runs.Executed("injected").Cells;
        var injected = Assert.Single(cells, NotebookParameters.IsInjected);
        Assert.Contains($"string dataset = {SymbolDisplay.FormatLiteral(runs.Attack, quote: true)};", injected.Source);
        Assert.Contains("int numIters = 200;", injected.Source);
        Assert.Contains("double learningRate = 2e-7;", injected.Source);
        var show = cells.Single(c => c.Id == "show");
        Assert.Equal($"dataset=[{runs.Attack}] numIters=200 learningRate=2E-07 verbose=False\n", TestNotebookRuns.OutputText(show, "stdout"));
    }

    [Fact]
    public void Should_Replace_The_Injected_Cell_When_An_Executed_Notebook_Runs_Again_With_Parameters()
    {
        var notebook = runs.Executed("rerun");

        var injected = Assert.Single(notebook.Cells, NotebookParameters.IsInjected);
        Assert.Equal("// Parameters injected by the runner (-p)\nint numIters = 13;", injected.Source);
        Assert.Equal("dataset=[cifar10] numIters=13 learningRate=1E-07 verbose=False\n",
                     TestNotebookRuns.OutputText(notebook.Cells.Single(c => c.Id == "show"), "stdout"));
        Assert.Equal("""{"numIters":"13"}""", notebook.Metadata["dasecv_runner"]!["parameters"]!.ToJsonString());
    }

    [Fact]
    public void Should_Name_A_CSharp_Lexer_In_Language_Info_For_Nbconvert()
    {
        var notebook = runs.Executed("rerun");

        Assert.Equal("csharp", notebook.Metadata["language_info"]!["pygments_lexer"]!.GetValue<string>());
    }

    [Fact]
    public void Should_Report_A_Failing_Cell_By_The_Users_Number_With_Ename_And_Evalue_Only()
    {
        Assert.Equal(1, runs.Rerun.ExitCode);

        Assert.Contains(
            "error: cell 4 (id unlucky) failed; later cells were not run.\nInvalidOperationException: numIters 13 is unlucky\n(Run with --verbose for the trace.)",
            runs.Rerun.StandardError.Replace("\r\n", "\n"));
        Assert.DoesNotContain("   at ", runs.Rerun.StandardError);
    }

    [Fact]
    public void Should_Keep_The_Earlier_Injected_Cell_Without_Parameters_And_Print_The_Trace_When_Verbose()
    {
        Assert.Equal(1, runs.Verbose.ExitCode);

        Assert.Contains("Keeping the injected parameters of an earlier run: numIters=13", runs.Verbose.StandardOutput);
        Assert.Single(runs.Executed("verbose").Cells, NotebookParameters.IsInjected);
        Assert.Contains("error: cell 4 (id unlucky) failed; later cells were not run.\nInvalidOperationException: numIters 13 is unlucky\n   at Submission#",
                        runs.Verbose.StandardError.Replace("\r\n", "\n"));
        Assert.Equal("""{"numIters":"13"}""", runs.Executed("verbose").Metadata["dasecv_runner"]!["parameters"]!.ToJsonString());
    }
}
