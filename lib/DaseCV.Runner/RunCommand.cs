using DaseCV.Runner.Execution;
using DaseCV.Runner.Html;
using DaseCV.Runner.Notebook;

namespace DaseCV.Runner;

/// <summary><c>run NOTEBOOK.ipynb [--out DIR] [-p NAME=VALUE]...</c></summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = CommandArguments.Parse("run", args, "--out", "-o", "-p", "--parameter");
        if (parsed.Help)
        {
            Console.WriteLine(Cli.HelpText);
            return Cli.Success;
        }

        if (parsed.Notebook is null)
            throw new UsageException("run needs a notebook: run NOTEBOOK.ipynb [--out DIR] [-p NAME=VALUE]...");
        var parameters = parsed.All("-p", "--parameter").Select(NotebookParameters.Parse).ToList();
        var outcome = await RunAsync(parsed.Notebook, parsed.Last("--out", "-o") ?? "artifacts", parameters, TerminalProgress.ForConsole());
        return outcome.Succeeded ? Cli.Success : Cli.CellFailed;
    }

    /// <summary>Runs <paramref name="input"/> and writes DIR/NAME.ipynb and DIR/NAME.html.</summary>
    public static async Task<ExecutionResult> RunAsync(
        string input, string outDir, IReadOnlyList<KeyValuePair<string, string>> parameters, TerminalProgress progress)
    {
        var notebookPath = Path.GetFullPath(input);
        if (!File.Exists(notebookPath))
            throw new FileNotFoundException($"Notebook not found: {input}", input);
        var notebook = IpynbNotebook.Load(notebookPath);
        NotebookParameters.Inject(notebook, parameters);

        var outputDirectory = Path.GetFullPath(outDir);
        var ipynbPath = Path.Combine(outputDirectory, notebook.Name + ".ipynb");
        var htmlPath = Path.Combine(outputDirectory, notebook.Name + ".html");
        if (ipynbPath == notebookPath)
            throw new UsageException($"--out {outDir} would overwrite the input notebook {input}; choose another folder.");

        // A failed earlier run must not leave files that pass for this run's results.
        Directory.CreateDirectory(outputDirectory);
        File.Delete(ipynbPath);
        File.Delete(htmlPath);

        var notebookDirectory = Path.GetDirectoryName(notebookPath)!;
        ExecutionResult result;
        using (progress)
        {
            progress.Line($"Running {input} ({notebook.Cells.Count(c => c.Type == "code")} code cells) in {notebookDirectory}");
            result = await NotebookExecutor.RunAsync(notebook, notebookDirectory, progress, parameters);

            notebook.Save(ipynbPath);
            AtomicFile.WriteAllText(htmlPath, HtmlExporter.Render(notebook, notebookDirectory));
            progress.Line($"{(result.Succeeded ? "Finished" : "Stopped")} after {TerminalProgress.Format(result.Elapsed)}.");
            progress.Line($"Wrote {Relative(ipynbPath)} and {Relative(htmlPath)}");
        }

        if (!result.Succeeded)
            Console.Error.WriteLine($"error: cell {result.FailedCellNumber} (id {result.FailedCellId}) failed; later cells were not run.\n{result.Error}");
        return result;
    }

    private static string Relative(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
