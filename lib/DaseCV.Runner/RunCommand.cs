using DaseCV.Runner.Execution;
using DaseCV.Runner.Notebook;

namespace DaseCV.Runner;

/// <summary><c>run NOTEBOOK.ipynb [--out DIR] [-p NAME=VALUE]...</c></summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = CommandArguments.Parse("run", args, "--out", "-o", "-p", "--parameter", "--cell-timeout");
        if (parsed.Help)
        {
            Console.WriteLine(Cli.HelpText);
            return Cli.Success;
        }

        if (parsed.Notebook is null)
            throw new UsageException("run needs a notebook: run NOTEBOOK.ipynb [--out DIR] [-p NAME=VALUE]...");
        var parameters = parsed.All("-p", "--parameter").Select(NotebookParameters.Parse).ToList();
        var cellTimeout = parsed.Last("--cell-timeout") is { } limit ? CellTimeout.Parse(limit) : CellTimeout.HeadlessDefault;
        return await NotebookRun.RunAsync(parsed.Notebook, parsed.Last("--out", "-o") ?? "artifacts", parameters, TerminalProgress.ForConsole(), cellTimeout);
    }
}
