using DaseCV.Runner.Ipynb;
using Microsoft.DotNet.Interactive.Documents;

namespace DaseCV.Runner.Tests.EndToEnd;

[Trait("Category", "EndToEnd")]
[Collection(TestNotebookRunsCollection.Name)]
public sealed class RunCommandTests(TestNotebookRuns runs)
{
    private IpynbCell Cell(string notebook, string id) => runs.Executed(notebook).Cells.Single(c => c.Id == id);

    [Fact]
    public void Should_Exit_Zero_And_Print_Cell_Progress()
    {
        Assert.True(runs.Features.ExitCode == 0, runs.Features.StandardError);
        Assert.Contains("[1/10] cell 2", runs.Features.StandardOutput);
        // Cells are numbered as the user sees them: the injected parameters cell is named, not counted.
        Assert.Contains("[2/10] the injected parameters cell", runs.Features.StandardOutput);
        Assert.Contains("[10/10] cell 10 done", runs.Features.StandardOutput);
        Assert.Contains("step 0 of 3", runs.Features.StandardOutput); // the cell's own display, live
    }

    [Fact]
    public void Should_Write_Valid_Nbformat_4_5_That_Keeps_The_Notebooks_Metadata()
    {
        var notebook = runs.Executed("features");

        Assert.Equal(4, notebook.Root["nbformat"]!.GetValue<int>());
        Assert.Equal(5, notebook.Root["nbformat_minor"]!.GetValue<int>());
        Assert.All(notebook.Cells, c => Assert.True(c.Id is { } id && IpynbCell.IsValidId(id)));
        Assert.Equal(notebook.Cells.Count, notebook.Cells.Select(c => c.Id).Distinct().Count());
        Assert.Equal("daseCV", notebook.Metadata["course"]!["name"]!.GetValue<string>());
        Assert.Equal(".net-csharp", notebook.Metadata["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal(
            Enumerable.Range(1, 10).Select(i => (int?)i),
            notebook.Cells.Where(c => c.Type == "code").Select(c => c.Json["execution_count"]?.GetValue<int>()));
        Assert.Equal("succeeded", notebook.Metadata["dasecv_runner"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void Should_Read_Back_With_The_Polyglot_Notebooks_Parser()
    {
        var path = Path.Combine(runs.OutputDirectory, "features.ipynb");
        var kernels = new KernelInfoCollection { new KernelInfo("csharp", "C#", ["c#", "C#"]) };
        kernels.DefaultKernelName = "csharp";

        var document = Microsoft.DotNet.Interactive.Documents.Jupyter.Notebook.Parse(File.ReadAllText(path), kernels);

        var cells = runs.Executed("features").Cells;
        Assert.Equal(cells.Select(c => c.Id), document.Elements.Select(e => e.Id));
        Assert.Equal(cells.Select(c => c.Outputs.Count), document.Elements.Select(e => e.Outputs.Count));
        Assert.All(document.Elements.Where(e => e.KernelName != "markdown"), e => Assert.Equal("csharp", e.KernelName));
    }

    [Fact]
    public void Should_Inject_The_Parameters_After_The_Parameters_Cell()
    {
        var cells = runs.Executed("features").Cells.ToList();
        var parameters = cells.FindIndex(c => c.Id == "params");

        Assert.Contains(NotebookParameters.InjectedTag, cells[parameters + 1].Tags);
        Assert.Contains("string label = \"from cli\";", cells[parameters + 1].Source);
        Assert.Contains("""{"label":"from cli","count":5,"rate":0.5}""", TestNotebookRuns.OutputText(Cell("features", "nuget"), "stdout"));
    }

    [Fact]
    public void Should_Keep_Stdout_And_Stderr_Apart_In_Order()
    {
        var outputs = Cell("features", "streams").Outputs.Select(o => (o!["name"]!.GetValue<string>(), IpynbNotebook.JoinText(o["text"]))).ToList();

        Assert.Equal([("stdout", "out 1\n"), ("stderr", "err 1\n"), ("stdout", "out 2\n<not a tag> & more\n")], outputs);
    }

    [Fact]
    public void Should_Keep_One_Output_With_The_Final_State_Of_An_Updated_Display()
    {
        var output = Assert.Single(Cell("features", "progress").Outputs);

        Assert.Equal("step 3 of 3", IpynbNotebook.JoinText(output!["data"]!["text/plain"]));
    }

    [Fact]
    public void Should_Record_Charts_Images_And_Results()
    {
        Assert.Contains("Plotly.newPlot('chart-1'", TestNotebookRuns.OutputText(Cell("features", "chart"), "text/html"));
        Assert.StartsWith("iVBORw0KGgo", TestNotebookRuns.OutputText(Cell("features", "image"), "image/png"));
        var result = Assert.Single(Cell("features", "result").Outputs)!;
        Assert.Equal("execute_result", result["output_type"]!.GetValue<string>());
        Assert.Contains("10", IpynbNotebook.JoinText(result["data"]!["text/html"]));
    }

    [Fact]
    public void Should_Write_Html_With_Every_Output_And_Plotly_Once()
    {
        var html = File.ReadAllText(runs.FeaturesHtmlPath);

        Assert.Contains("<h1>features.ipynb</h1>", html);
        Assert.Contains(".NET 10", html);
        Assert.Contains("label=from cli", html);
        Assert.Contains("&lt;not a tag&gt; &amp; more", html);
        Assert.Contains("step 3 of 3", html);
        Assert.DoesNotContain("step 0 of 3</pre>", html);
        Assert.Contains("src=\"data:image/png;base64,iVBORw0KGgo", html);
        Assert.Contains("<p class=\"from-cell\">raw <em>html</em> output</p>", html); // as the sanitiser writes it back
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "id=\"plotly-js\""));
    }

    [Fact]
    public async Task Should_Export_The_Executed_Notebook_To_The_Same_Html()
    {
        var exported = Path.Combine(TestPaths.NewTempDirectory(), "exported.html");

        var outcome = await RunnerProcess.RunAsync("export", Path.Combine(runs.OutputDirectory, "features.ipynb"), "--out", exported);

        Assert.True(outcome.ExitCode == 0, outcome.StandardError);
        Assert.DoesNotContain("warning", outcome.StandardError); // every cell ran
        Assert.Equal(File.ReadAllText(runs.FeaturesHtmlPath), File.ReadAllText(exported));
    }

    [Fact]
    public void Should_Stop_At_The_First_Failing_Cell_And_Still_Write_Both_Files()
    {
        Assert.Equal(1, runs.Failing.ExitCode);
        Assert.Contains("error: cell 2 (id boom) failed; later cells were not run.\nInvalidOperationException: deliberate failure <42>", runs.Failing.StandardError);
        Assert.DoesNotContain("   at ", runs.Failing.StandardError); // the trace is in the notebook, not on the terminal

        Assert.Contains("before the error", TestNotebookRuns.OutputText(Cell("failing", "boom"), "stdout"));
        Assert.Contains("deliberate failure <42>", TestNotebookRuns.OutputText(Cell("failing", "boom"), "error"));
        var after = Cell("failing", "after");
        Assert.Empty(after.Outputs); // the stale output saved in the input is gone
        Assert.Null(after.Json["execution_count"]);

        var html = File.ReadAllText(Path.Combine(runs.OutputDirectory, "failing.html"));
        Assert.Contains("class=\"output error\"", html);
        Assert.Contains("deliberate failure &lt;42&gt;", html);
        Assert.Contains("failed at cell 2", html);
    }

    [Fact]
    public void Should_Bind_A_Relative_Dll_Reference_To_That_File_Alone()
    {
        Assert.True(runs.LibraryReference.ExitCode == 0, runs.LibraryReference.StandardError);
        var stdout = TestNotebookRuns.OutputText(Cell("library-reference", "use"), "stdout");

        Assert.Contains("product[1,1]=22", stdout);
        Assert.Contains("DaseCV copies=1", stdout);
        Assert.Contains("MathNet copies=1", stdout);
        Assert.Contains("provider=SimdLinearAlgebraProvider", stdout);  // installed by DaseCV's module initializer
        Assert.Contains("same Matrix type=True", stdout);
        var expected = Path.Combine(TestPaths.RepositoryRoot, "lib", "DaseCV", "bin", "Release", "net10.0", "DaseCV.dll");
        Assert.Contains($"DaseCV at {expected}", stdout);
    }

    [Fact]
    public async Task Should_Exit_Two_With_A_Clear_Message_For_An_Unknown_Parameter()
    {
        var outcome = await RunnerProcess.RunAsync("run", Path.Combine(TestPaths.TestData, "features.ipynb"),
                                                   "--out", TestPaths.NewTempDirectory(), "-p", "nosuch=1");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("nosuch", outcome.StandardError);
        Assert.Contains("label, count, rate", outcome.StandardError);
    }

    [Fact]
    public async Task Should_Dispatch_Get_Data_With_DaseCV_Loaded_From_Its_Build()
    {
        var outcome = await RunnerProcess.RunAsync("get-data", "--help");

        Assert.True(outcome.ExitCode == 0, outcome.StandardError);
        Assert.Contains("--data-dir <DIR>", outcome.StandardOutput);
    }

    [Fact]
    public async Task Should_Document_Every_Command_In_Help()
    {
        var outcome = await RunnerProcess.RunAsync("--help");

        Assert.Equal(0, outcome.ExitCode);
        foreach (var part in new[] { "run <NOTEBOOK.ipynb>", "export <EXECUTED.ipynb>", "get-data", "Exit codes" })
            Assert.Contains(part, outcome.StandardOutput);
    }
}
