using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DaseCV.Runner.Execution;
using DaseCV.Runner.Ipynb;
using DaseCV.Runner.IO;

namespace DaseCV.Runner.Commands;

/// <summary>What <c>run</c> was asked to do.</summary>
/// <param name="Notebook">The notebook to run, as given.</param>
/// <param name="OutDir">Output folder (default <c>artifacts</c>, relative to the current directory).</param>
/// <param name="Parameters">The <c>-p</c> values, NAME → VALUE as typed, in order (checked against the notebook later).</param>
/// <param name="CellTimeout">Per-cell time limit, null for none (<c>--cell-timeout</c>).</param>
/// <param name="Verbose">Print a failing cell's trace (<c>--verbose</c>).</param>
internal sealed record RunOptions(
    string Notebook,
    string OutDir,
    IReadOnlyList<KeyValuePair<string, string>> Parameters,
    TimeSpan? CellTimeout,
    bool Verbose);

/// <summary>A run checked and ready: nothing has been run or written yet.</summary>
/// <param name="Parameters">The parameters this run uses (the -p values, or those an earlier run injected).</param>
internal sealed record PreparedRun(
    RunOptions Options, IpynbNotebook Notebook, string NotebookPath, IReadOnlyList<KeyValuePair<string, string>> Parameters,
    string IpynbPath, string HtmlPath);

/// <summary><c>run NOTEBOOK.ipynb [--out DIR] [-p NAME VALUE]...</c></summary>
internal static partial class RunCommand
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

    /// <summary>The command for the runner's parser; its action checks (<see cref="Prepare"/>), then runs (<see cref="ExecuteAsync"/>).</summary>
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
        CommandArguments.NotBlank(outDir);

        var command = new Command("run", "Run a notebook top to bottom; write the executed notebook and its HTML.")
        {
            notebook, outDir, parameters, cellTimeout,
        };
        command.SetAction(async (result, _) =>
        {
            var options = new RunOptions(
                result.GetRequiredValue(notebook),
                result.GetRequiredValue(outDir),
                [.. (result.GetValue(parameters) ?? []).Select(Ipynb.NotebookParameters.Parse)],
                result.GetResult(cellTimeout) is null ? Cli.DefaultCellTimeout : result.GetValue(cellTimeout),
                result.GetValue(verbose));
            return await ExecuteAsync(Prepare(options), TerminalProgress.ForConsole(), result.InvocationConfiguration.Error);
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
    /// Loads the notebook and checks everything that can be checked before running: the notebook, every -p value
    /// against its declared type, the output paths. Writes nothing.
    /// </summary>
    /// <exception cref="UsageException">A bad parameter or output folder.</exception>
    /// <exception cref="FileNotFoundException">No such notebook.</exception>
    /// <exception cref="InvalidDataException">Not a notebook.</exception>
    public static PreparedRun Prepare(RunOptions options)
    {
        var input = options.Notebook;
        var notebookPath = Path.GetFullPath(input);
        if (!File.Exists(notebookPath))
            throw new FileNotFoundException($"Notebook not found: {input}", input);
        var notebook = IpynbNotebook.Load(notebookPath);
        var parameters = NotebookParameters.Apply(notebook, options.Parameters);

        var outputDirectory = Path.GetFullPath(options.OutDir);
        var ipynbPath = Path.Combine(outputDirectory, notebook.Name + ".ipynb");
        var htmlPath = Path.Combine(outputDirectory, notebook.Name + ".html");
        if (FileIdentity.AreSame(ipynbPath, notebookPath))
            throw new UsageException($"--out {options.OutDir} would overwrite the input notebook {input}; choose another folder.");
        return new PreparedRun(options, notebook, notebookPath, parameters, ipynbPath, htmlPath);
    }

    /// <summary>
    /// Runs a prepared notebook and writes DIR/NAME.ipynb and DIR/NAME.html, saving the notebook after every cell
    /// and on signals, timeouts, Environment.Exit and crashes of the kernel process; returns the exit code.
    /// The runner process checks the outputs and starts the kernel process (<see cref="KernelProcess"/>), which
    /// runs the same command again and executes the notebook (<see cref="NotebookRun"/>).
    /// </summary>
    /// <exception cref="UsageException">The outputs cannot be written or one is the input; nothing ran.</exception>
    public static async Task<int> ExecuteAsync(PreparedRun run, TerminalProgress progress, TextWriter error)
    {
        using (progress)
        {
            var stale = OutputTarget.Check([run.IpynbPath, run.HtmlPath], [run.NotebookPath], $"--out {run.Options.OutDir}");
            if (stale.Count > 0)
                progress.Line($"Removed temporary files left by killed runs: {string.Join(", ", stale)}");
            string Describe(IpynbNotebook notebook, ExecutionResult result) => FailureMessage(notebook, result, run.Options.Verbose);

            using var journal = RunJournal.OpenForKernelProcess();
            if (journal is not null)
            {
                KernelProcess.EndWithRunnerProcess();
                return await new NotebookRun(run, progress, error, r => Describe(run.Notebook, r), journal).ExecuteAsync();
            }

            if (run.Options.Parameters.Count == 0 && run.Parameters.Count > 0)
                progress.Line($"Keeping the injected parameters of an earlier run: {string.Join(", ", run.Parameters.Select(p => $"{p.Key}={p.Value}"))}");
            return KernelProcess.IsAvailable
                ? await KernelProcess.RunAsync(run, progress, error, Describe)
                : await new NotebookRun(run, progress, error, r => Describe(run.Notebook, r), null).ExecuteAsync();
        }
    }

    /// <summary>
    /// The terminal's report of a failed cell: its number as the user counts cells (the injected-parameters cell
    /// not counted) and <c>ename: evalue</c>; the trace only when <paramref name="verbose"/>.
    /// </summary>
    internal static string FailureMessage(IpynbNotebook notebook, ExecutionResult result, bool verbose)
    {
        var cell = notebook.Cells.FirstOrDefault(c => c.Id == result.FailedCellId);
        var where = NotebookParameters.UserCellNumber(notebook, result.FailedCellId) is { } number
            ? $"cell {number} (id {result.FailedCellId})"
            : cell is not null && NotebookParameters.IsInjected(cell) ? "the injected parameters cell" : result.FailedCell ?? "a cell";
        var error = cell?.Outputs.OfType<JsonObject>().LastOrDefault(o => o["output_type"]?.GetValue<string>() == "error");
        var ename = error?["ename"]?.GetValue<string>() is { Length: > 0 } name ? name : "Error";
        var evalue = (error?["evalue"]?.GetValue<string>() ?? result.Error ?? "").Replace("\r\n", "\n");
        var traceback = error?["traceback"] is JsonArray lines ? lines.Select(l => l?.GetValue<string>() ?? "").ToList() : [];

        // The traceback may repeat "ename: evalue" as its first line (nbconvert's form); that is printed once.
        var trace = traceback.Select(l => AnsiCodes.Strip(l).TrimEnd()).ToList();
        if (trace.Count > 0 && trace[0] == $"{ename}: {evalue.Split('\n')[0].TrimEnd()}")
            trace.RemoveAt(0);

        // Kernel messages may start with the exception's full name ("System.InvalidOperationException: ...").
        var value = evalue.TrimEnd();
        if (value.IndexOf(ename + ": ", StringComparison.Ordinal) is var at and >= 0 && FullTypeName().IsMatch(value[..at]))
            value = value[(at + ename.Length + 2)..];
        var shown = WithoutStackFrames(value);
        var (zh, en) = result.End == RunEnd.KernelCrashed
            ? ($"{Messages.Cell(result.FailedCell)}运行时内核进程崩溃；之后的单元格没有运行。", $"{where} crashed the kernel process; later cells were not run.")
            : ($"{Messages.Cell(result.FailedCell)}出错；之后的单元格没有运行。", $"{where} failed; later cells were not run.");
        var message = $"{Messages.Error(zh, en)}\n{ename}: {(verbose ? value : shown)}";
        if (verbose)
        {
            // The traceback's lines that the message does not already carry inline.
            var extra = trace.Where(l => l.Trim().Length > 0 && !value.Contains(l, StringComparison.Ordinal)).ToList();
            if (extra.Count > 0)
                message += "\n" + string.Join("\n", extra);
        }
        else if (trace.Count > 0 || shown != value)
            message += "\n(Run with --verbose for the trace.)";
        return message.TrimEnd();
    }

    /// <summary>
    /// The message without what some kernel errors carry inline after it: .NET stack frames (<c>   at ...</c>) and
    /// the inner exceptions' headers (<c> ---> System.Net.Http.HttpRequestException: ...</c>).
    /// </summary>
    private static string WithoutStackFrames(string text) =>
        string.Join("\n", text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !StackFrame().IsMatch(l))).TrimEnd();

    [GeneratedRegex(@"^\s*(System\.)?([A-Za-z_]\w*\.)*$")]
    private static partial Regex FullTypeName();

    [GeneratedRegex(@"^\s+at \S|^\s*--- End of (inner exception )?stack trace|^\s*---> ")]
    private static partial Regex StackFrame();
}
