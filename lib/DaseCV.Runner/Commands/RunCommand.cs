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
    /// <summary>
    /// Runs the notebook; returns the exit code (0 every cell ran, 1 a cell failed, timed out or called
    /// Environment.Exit, 3 an output could not be written, 130/143 interrupted by SIGINT/SIGTERM).
    /// </summary>
    /// <exception cref="UsageException">Bad parameters or output folder; nothing has run or been written.</exception>
    public static async Task<int> RunAsync(RunOptions options, TextWriter error)
    {
        var run = Prepare(options);
        return await ExecuteAsync(run, TerminalProgress.ForConsole(), error);
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
    /// and on signals, timeouts and Environment.Exit (see <see cref="NotebookRun"/>); returns the exit code.
    /// </summary>
    public static Task<int> ExecuteAsync(PreparedRun run, TerminalProgress progress, TextWriter error)
    {
        if (run.Options.Parameters.Count == 0 && run.Parameters.Count > 0)
            progress.Line($"Keeping the injected parameters of an earlier run: {string.Join(", ", run.Parameters.Select(p => $"{p.Key}={p.Value}"))}");
        return NotebookRun.ExecuteAsync(
            run.Notebook, run.Options.Notebook, run.IpynbPath, run.HtmlPath, $"--out {run.Options.OutDir}", run.Parameters,
            run.Options.CellTimeout, progress, error, result => FailureMessage(run.Notebook, result, run.Options.Verbose));
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
        var trace = traceback.Select(l => Ansi().Replace(l, "").TrimEnd()).ToList();
        if (trace.Count > 0 && trace[0] == $"{ename}: {evalue.Split('\n')[0].TrimEnd()}")
            trace.RemoveAt(0);

        // Kernel messages may start with the exception's full name ("System.InvalidOperationException: ...").
        var value = evalue.TrimEnd();
        if (value.IndexOf(ename + ": ", StringComparison.Ordinal) is var at and >= 0 && FullTypeName().IsMatch(value[..at]))
            value = value[(at + ename.Length + 2)..];
        var shown = WithoutStackFrames(value);
        var message = $"error: {where} failed; later cells were not run.\n{ename}: {(verbose ? value : shown)}";
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

    // Tracebacks may carry terminal colours (Jupyter's convention); the terminal message is plain text.
    [GeneratedRegex(@"\u001b\[[0-9;]*m")]
    private static partial Regex Ansi();
}
