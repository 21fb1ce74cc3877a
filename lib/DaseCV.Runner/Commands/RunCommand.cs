using System.CommandLine;
using System.CommandLine.Parsing;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Execution;
using DaseCV.Runner.IO;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Commands;

/// <summary><c>run NOTEBOOK.ipynb [--out DIR] [-p NAME VALUE]...</c></summary>
internal static class RunCommand
{
    /// <summary>What the command does, after its options in <c>run --help</c>.</summary>
    public const string HelpNotes = $"""

        Executes every code cell in order on the .NET Interactive C# kernel (as VS Code Polyglot Notebooks;
        #r "nuget:..." works), in a kernel process of its own, with the notebook's folder as current directory.
        Writes DIR/NAME.ipynb (executed, nbformat 4.5) and DIR/NAME.html (self-contained). On the first failing cell the run stops,
        still writes both files with the error in place, prints the cell number and `ename: evalue`, exits 1.
        The executed notebook is saved after every cell; Ctrl-C or SIGTERM writes both files with the cells that
        ran (later cells marked not run) and exits 130/143; a cell past --cell-timeout, calling
        Environment.Exit or crashing the kernel process (a stack overflow, Environment.FailFast, an exception
        on another thread) fails like any failing cell. Output over 1,000,000 characters per stream and cell is
        cut with a note; text a background task prints after its cell returned goes to that cell.

        Parameters (papermill convention): -p NAME VALUE or -p NAME=VALUE overrides a variable declared in the
        cell tagged "parameters"; the values go into one cell tagged "injected-parameters" right after it
        (replacing the one an earlier run left). Each value must be a value of the declared C# type (string,
        bool, char, int, long, double, float, decimal, ...) and becomes a literal of it: a string is always an
        escaped string literal, never code. An unknown name, a name given twice or a value of the wrong type
        stops the run before anything is run or written (exit 2).

        Examples:
          {Cli.Invocation} run notebooks/softmax.ipynb
          {Cli.Invocation} run notebooks/softmax.ipynb -p dataset synthetic -p numIters 200
          {Cli.Invocation} run notebooks/softmax.ipynb --out=artifacts/quick -p dataset=synthetic
        """;

    /// <summary>The command for the runner's parser; its action checks (<see cref="RunRequest.Prepare"/>), then runs (<see cref="ExecuteAsync"/>).</summary>
    /// <param name="verbose">The root's recursive <c>--verbose</c>.</param>
    public static Command CommandLine(Option<bool> verbose)
    {
        var notebook = new Argument<string>("NOTEBOOK.ipynb") { Description = "The notebook to run." };
        var outDir = new Option<string>("--out", "-o")
        {
            Description = "Output folder for NAME.ipynb and NAME.html.",
            HelpName = "DIR",
            DefaultValueFactory = _ => "artifacts",
        };
        var parameters = new Option<string[]>(CommandArguments.ParameterAliases[0], CommandArguments.ParameterAliases[1..])
        {
            Description = "Override a variable of the notebook's parameters cell (repeatable; also -p NAME VALUE).",
            HelpName = "NAME=VALUE",
        };
        var cellTimeout = new Option<TimeSpan?>("--cell-timeout")
        {
            Description = $"Stop a cell that runs longer than this and report it as failed: seconds or 90s, 20m, 1.5h; 0 or off for no limit [default: {Cli.DefaultCellTimeout.TotalMinutes:0}m].",
            HelpName = "TIME",
            CustomParser = ParseTimeout,
        };
        var prepareOnly = new Option<bool>("--prepare-only")
        {
            Description = "Only write DIR/NAME.ipynb with the -p values injected, without running it (papermill's --prepare-only).",
        };
        CommandArguments.NotBlank(outDir);

        var command = new Command("run", "Run a notebook top to bottom; write the executed notebook and its HTML.")
        {
            notebook, outDir, parameters, cellTimeout, prepareOnly,
        };
        command.SetAction(async (result, _) =>
        {
            var run = RunRequest.Prepare(
                result.GetRequiredValue(notebook),
                result.GetRequiredValue(outDir),
                [.. (result.GetValue(parameters) ?? []).Select(NotebookParameters.Parse)],
                result.GetResult(cellTimeout) is null ? Cli.DefaultCellTimeout : result.GetValue(cellTimeout),
                result.GetValue(verbose));
            if (!result.GetValue(prepareOnly))
                return await ExecuteAsync(run, TerminalProgress.ForConsole(), result.InvocationConfiguration.Error);
            OutputTarget.Check([run.IpynbPath], [run.NotebookPath], $"--out {run.OutDir}");
            AtomicFile.WriteAllText(run.IpynbPath, run.Notebook.ToJson());
            result.InvocationConfiguration.Output.WriteLine($"Wrote {NotebookRun.Relative(run.IpynbPath)} (parameterised, not run)");
            return ExitCode.Success;
        });
        return command;
    }

    private static TimeSpan? ParseTimeout(ArgumentResult result)
    {
        try
        {
            return CommandArguments.ParseTimeout(result.Tokens.Single().Value);
        }
        catch (FormatException e)
        {
            result.AddError($"--cell-timeout: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Runs a prepared notebook and writes DIR/NAME.ipynb and DIR/NAME.html, saving the notebook after every cell
    /// and on signals, timeouts, Environment.Exit and crashes of the kernel process; returns the exit code.
    /// The notebook runs in a kernel process of its own (<see cref="KernelProcess"/>) where it can.
    /// </summary>
    /// <exception cref="UsageException">The outputs cannot be written or one is the input; nothing ran.</exception>
    public static async Task<int> ExecuteAsync(RunRequest run, TerminalProgress progress, TextWriter error)
    {
        using (progress)
        {
            var stale = OutputTarget.Check([run.IpynbPath, run.HtmlPath], [run.NotebookPath], $"--out {run.OutDir}");
            if (stale.Count > 0)
                progress.Line($"Removed temporary files left by killed runs: {string.Join(", ", stale)}");
            if (run.KeepsEarlierParameters)
                progress.Line($"Keeping the injected parameters of an earlier run: {string.Join(", ", run.Parameters.Select(p => $"{p.Key}={p.Value}"))}");
            if (KernelProcess.IsAvailable)
                return await KernelProcess.RunAsync(run, Html(run), progress, error);
            using var inProcess = new NotebookRun(run, Html(run), progress, error, null);
            return await inProcess.ExecuteAsync();
        }
    }

    /// <summary>The run's HTML: the course's page for the notebook, with the student's code beside it.</summary>
    public static Func<IpynbNotebook, string> Html(RunRequest run) => notebook => CourseHtml.Render(notebook, run.NotebookFolder);
}
