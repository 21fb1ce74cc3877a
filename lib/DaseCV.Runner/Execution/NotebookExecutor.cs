using System.Diagnostics;
using System.Globalization;
using System.Reactive.Linq;
using System.Text.Json.Nodes;
using DaseCV.Runner.Ipynb;
using DaseCV.Runner.Text;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace DaseCV.Runner.Execution;

/// <summary>How a run ended.</summary>
internal enum RunEnd
{
    /// <summary>Every code cell ran without error.</summary>
    Succeeded,

    /// <summary>A cell failed (an exception, a compile error, a kernel the runner cannot run).</summary>
    CellFailed,

    /// <summary>A cell ran longer than the per-cell timeout.</summary>
    TimedOut,

    /// <summary>A cell called <c>Environment.Exit</c>, which would end the runner with it.</summary>
    ExitCalled,

    /// <summary>SIGINT (Ctrl-C) or SIGTERM arrived while a cell was running.</summary>
    Interrupted,

    /// <summary>The kernel process ended while a cell ran (stack overflow, FailFast, an exception on another thread).</summary>
    KernelCrashed,
}

/// <summary>Outcome of <see cref="NotebookExecutor.RunAsync"/>.</summary>
/// <param name="End">How the run ended.</param>
/// <param name="FailedCell">The stopping cell as the user numbers it ("cell 7"), or null.</param>
/// <param name="FailedCellId">Its nbformat id.</param>
/// <param name="Error">Why it stopped: the kernel's error message, the timeout, the signal.</param>
internal sealed record ExecutionResult(TimeSpan Elapsed, RunEnd End, string? FailedCell, string? FailedCellId, string? Error)
{
    public bool Succeeded => End == RunEnd.Succeeded;
}

/// <summary>Options of a run.</summary>
/// <param name="CellTimeout">Longest a cell may run; null for no limit.</param>
/// <param name="CellFinished">Called after each finished cell with the document complete up to that cell (later
/// cells not run); the runner saves it. An exception stops the run and propagates.</param>
/// <param name="Journal">Where a kernel process tells its runner process which cell runs and what it printed.</param>
/// <param name="Log">Where console output goes that arrives after the run stopped (no cell to put it in).</param>
internal sealed record ExecutionOptions(
    TimeSpan? CellTimeout = null, Action<NotebookExecutor>? CellFinished = null, RunJournal? Journal = null, TextWriter? Log = null);

/// <summary>
/// Runs a notebook's code cells in order on one in-process kernel, writing outputs and execution counts into
/// the document. Stops at the first failing cell (later cells depend on it); cells after it are left with no
/// outputs and no execution count, so stale results cannot pass for fresh ones. A cell that overruns the timeout,
/// or a stop request (a signal), ends the run with the document as it stood: the cell keeps the outputs it had
/// and gets an error output saying why it stopped.
/// </summary>
/// <remarks>
/// Cells are numbered as the user sees the notebook: every cell counts (markdown too) except the injected
/// parameters cell, which messages call "the injected parameters cell" (papermill's term).
/// </remarks>
internal sealed class NotebookExecutor
{

    private readonly IpynbNotebook _notebook;
    private readonly string _workingDirectory;
    private readonly TerminalProgress _progress;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _parameters;
    private readonly ExecutionOptions _options;
    private readonly CellOutputCollector _collector = new();
    private readonly Lock _gate = new();
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private (IpynbCell Cell, string Label, int ExecutionCount, DateTimeOffset Start)? _current;
    private string? _lastFinished;
    private ExecutionResult? _result;

    /// <param name="notebook">Document to execute, changed in place.</param>
    /// <param name="workingDirectory">The notebook's folder: relative paths and <c>#r</c> resolve against it.</param>
    /// <param name="progress">Terminal progress.</param>
    /// <param name="parameters">The -p overrides, recorded in the metadata.</param>
    /// <param name="options">Timeout and per-cell callback.</param>
    public NotebookExecutor(IpynbNotebook notebook, string workingDirectory, TerminalProgress progress,
                            IReadOnlyList<KeyValuePair<string, string>> parameters, ExecutionOptions? options = null)
    {
        _notebook = notebook;
        _workingDirectory = workingDirectory;
        _progress = progress;
        _parameters = parameters;
        _options = options ?? new ExecutionOptions();
    }

    /// <summary>The document.</summary>
    public IpynbNotebook Notebook => _notebook;

    /// <summary>Runs every code cell; see the class remarks. Call once.</summary>
    /// <param name="stopReason">Called when <paramref name="stop"/> fires: says what stopped the run, e.g. "SIGINT".</param>
    /// <param name="stop">Requests the run to end now (a signal); the result is then <see cref="RunEnd.Interrupted"/>.</param>
    public async Task<ExecutionResult> RunAsync(Func<string>? stopReason = null, CancellationToken stop = default)
    {
        ClearForRun(_notebook);
        var defaultKernel = DefaultKernelName(_notebook);
        var labels = CellLabels(_notebook.Cells);
        var codeCells = _notebook.Cells.Select((c, i) => (Cell: c, Label: labels[i], Index: i)).Where(x => x.Cell.Type == "code").ToList();

        var previousDirectory = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(_workingDirectory);
        try
        {
            using var kernel = KernelSetup.Create();
            // Text a background task prints after its cell returned goes to that cell, or the log after the run.
            var log = _options.Log ?? TextWriter.Null;
            using var capture = KernelSetup.KeepConsoleCapture(
                (stream, context, text) =>
                {
                    if (!_collector.AddLateOutput(stream, context, text))
                        lock (log)
                            log.Write($"[{stream} after the run ended] {text}");
                },
                _collector.NoteConsoleContext);
            _collector.DisplayChanged += _progress.Display;
            if (_options.Journal is { } journal)
                _collector.StreamKept += journal.Stream;
            using var subscription = kernel.KernelEvents.Subscribe(_collector.Handle);

            for (var k = 0; k < codeCells.Count; k++)
            {
                var (cell, label, index) = codeCells[k];
                var source = cell.Source;
                if (stop.IsCancellationRequested)
                    return Abandon(RunEnd.Interrupted, $"the run was interrupted ({stopReason?.Invoke() ?? "stop requested"}) before {label}.");
                _progress.StartCell(k + 1, codeCells.Count, label, source);
                lock (_gate)
                {
                    if (_result is not null)
                        return _result; // abandoned from another thread (Environment.Exit in a cell)
                    _collector.StartCell(cell, k + 1);
                    _current = (cell, label, k + 1, DateTimeOffset.UtcNow);
                }

                _options.Journal?.CellStarted(index, k + 1, label);

                var kernelName = cell.KernelName(defaultKernel);
                CommandFailed? failed = null;
                if (!IsCSharp(kernelName))
                {
                    failed = new CommandFailed(
                        $"{Capitalize(label)} targets the '{kernelName}' kernel; the runner executes C# cells only.",
                        new SubmitCode(source), null);
                }
                else
                {
                    // Task.Run: SubmitCode may run the cell's code on this thread before its first await, and a cell
                    // that never yields would then keep the timeout and the signals from ever being seen.
                    var send = Task.Run(() => kernel.SendAsync(new SubmitCode(source, KernelSetup.CSharpKernelName), CancellationToken.None));
                    var waited = await WaitAsync(send, _options.CellTimeout, stop);
                    if (waited == Wait.TimedOut)
                        return Abandon(RunEnd.TimedOut,
                            $"{label} timed out after {Durations.Format(_options.CellTimeout!.Value)} (--cell-timeout); the run stopped there.");
                    if (waited == Wait.Stopped)
                        return Abandon(RunEnd.Interrupted,
                            $"the run was interrupted ({stopReason?.Invoke() ?? "stop requested"}) while {label} was running.");
                    failed = (await send).Events.OfType<CommandFailed>().FirstOrDefault();
                }

                lock (_gate)
                {
                    if (_result is not null)
                        return _result;
                    Finish(cell, k + 1, _current!.Value.Start);
                    var error = failed is null ? null : CellOutputCollector.ErrorOutput(failed);
                    if (error is not null)
                        _collector.AddError(error);
                    _current = null;
                    _progress.EndCell(failed is null);
                    if (error is not null)
                    {
                        // "ename: evalue", the first traceback line: the message without the trace.
                        _result = new ExecutionResult(_clock.Elapsed, RunEnd.CellFailed, label, cell.Id, error["traceback"]![0]!.GetValue<string>());
                        RecordRun(_result);
                        return _result;
                    }

                    _lastFinished = label;
                    RecordRun(null);
                }

                _options.CellFinished?.Invoke(this);
            }

            lock (_gate)
            {
                _result ??= new ExecutionResult(_clock.Elapsed, RunEnd.Succeeded, null, null, null);
                RecordRun(_result);
                return _result;
            }
        }
        finally
        {
            // What arrives from now on (a background task still printing) goes to the log, not a document being written.
            _collector.Stop();
            Directory.SetCurrentDirectory(previousDirectory);
        }
    }

    /// <summary>
    /// Brings the document to nbformat 4.5 and clears every code cell's outputs, execution count and timing, so
    /// that no result of an earlier run can pass for one of this run.
    /// </summary>
    public static void ClearForRun(IpynbNotebook notebook)
    {
        notebook.NormalizeToNbformat45();
        foreach (var cell in notebook.Cells.Where(c => c.Type == "code"))
        {
            cell.Outputs.Clear();
            cell.Json["execution_count"] = null;
            cell.Metadata.Remove("execution");
        }
    }

    /// <summary>
    /// Ends the run where it stands, from any thread: later kernel events are ignored, the running cell (if any)
    /// keeps its outputs so far and gets an error output with <paramref name="message"/>, the run record says why.
    /// Returns the first result if the run had already ended.
    /// </summary>
    public ExecutionResult Abandon(RunEnd end, string message)
    {
        lock (_gate)
        {
            if (_result is not null)
                return _result;
            _collector.Stop();
            var current = _current;
            if (current is { } c)
            {
                Finish(c.Cell, c.ExecutionCount, c.Start);
                c.Cell.Outputs.Add(CellOutputCollector.ErrorOutput(end switch
                {
                    RunEnd.TimedOut => "TimeoutException",
                    RunEnd.ExitCalled => "EnvironmentExit",
                    _ => "Interrupted",
                }, message, null));
                _progress.EndCell(false);
            }

            // No current cell: a background task of an earlier cell ended the run between cells.
            _result = new ExecutionResult(_clock.Elapsed, end, current?.Label ?? (end == RunEnd.Interrupted ? null : "a task left running by an earlier cell"),
                                          current?.Cell.Id, message);
            RecordRun(_result);
            return _result;
        }
    }

    /// <summary>The document as .ipynb text, taken while no kernel event can change it.</summary>
    public string SnapshotJson()
    {
        lock (_gate)
            return _collector.WhileHeld(_notebook.ToJson);
    }

    /// <summary>Renders the document while no kernel event can change it (e.g. the HTML export).</summary>
    public T Snapshot<T>(Func<IpynbNotebook, T> render)
    {
        lock (_gate)
            return _collector.WhileHeld(() => render(_notebook));
    }

    /// <summary>
    /// How each cell is named in messages: "cell N" with N its position among the user's cells (the injected
    /// parameters cell not counted, as in <see cref="NotebookParameters.UserCellNumber"/>), or "the injected
    /// parameters cell".
    /// </summary>
    public static IReadOnlyList<string> CellLabels(IReadOnlyList<IpynbCell> cells)
    {
        var labels = new List<string>(cells.Count);
        var number = 0;
        foreach (var cell in cells)
            labels.Add(NotebookParameters.IsInjected(cell)
                ? "the injected parameters cell"
                : $"cell {++number}");
        return labels;
    }

    private enum Wait { Completed, TimedOut, Stopped }

    private static async Task<Wait> WaitAsync(Task send, TimeSpan? timeout, CancellationToken stop)
    {
        using var cancelDelay = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var delay = Task.Delay(timeout ?? Timeout.InfiniteTimeSpan, cancelDelay.Token);
        var first = await Task.WhenAny(send, delay);
        await cancelDelay.CancelAsync();
        if (first == send)
            return Wait.Completed;
        return stop.IsCancellationRequested ? Wait.Stopped : Wait.TimedOut;
    }

    private static void Finish(IpynbCell cell, int executionCount, DateTimeOffset start)
    {
        cell.Json["execution_count"] = executionCount;
        cell.Metadata["execution"] = new JsonObject
        {
            ["iopub.execute_input"] = Timestamp(start),
            ["shell.execute_reply"] = Timestamp(DateTimeOffset.UtcNow),
        };
    }

    /// <param name="result">The end of the run, or null while it is still going (the document saved after a cell).</param>
    private void RecordRun(ExecutionResult? result)
    {
        _notebook.Metadata[IpynbNotebook.RunMetadataKey] = RunRecord(_started, result?.Elapsed ?? _clock.Elapsed, Status(result, _lastFinished), _parameters);
        // nbconvert (and GitHub's viewer) pick a highlighter from language_info; Polyglot's name for it,
        // "polyglot-notebook", is no lexer they know.
        if (IsCSharp(DefaultKernelName(_notebook)))
        {
            if (_notebook.Metadata["language_info"] is not JsonObject info)
                _notebook.Metadata["language_info"] = info = new JsonObject { ["name"] = "C#" };
            info["pygments_lexer"] = "csharp";
        }
    }

    /// <summary>The run record kept in the notebook metadata under <see cref="IpynbNotebook.RunMetadataKey"/> (the HTML header shows it).</summary>
    public static JsonObject RunRecord(DateTimeOffset started, TimeSpan elapsed, string status, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var record = new JsonObject
        {
            ["run_date"] = Timestamp(started),
            ["dotnet_version"] = RunnerVersions.Runtime,
            ["kernel"] = RunnerVersions.Kernel,
            ["run_seconds"] = Math.Round(elapsed.TotalSeconds, 3),
            ["status"] = status,
        };
        if (parameters.Count > 0)
            record["parameters"] = new JsonObject(parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        return record;
    }

    /// <summary>The run's status as the record and the HTML header say it.</summary>
    /// <param name="lastFinished">The last cell that finished, for a run still going.</param>
    public static string Status(ExecutionResult? result, string? lastFinished) => result?.End switch
    {
        null => $"incomplete: saved after {lastFinished}; the run had not finished, later cells not run",
        RunEnd.Succeeded => "succeeded",
        RunEnd.CellFailed => $"failed at {result.FailedCell}",
        RunEnd.TimedOut => $"failed at {result.FailedCell}: timed out",
        RunEnd.ExitCalled => $"failed at {result.FailedCell}: it called Environment.Exit",
        RunEnd.KernelCrashed => $"failed at {result.FailedCell}: the kernel process crashed",
        _ => result.FailedCell is null ? "interrupted" : $"interrupted at {result.FailedCell}",
    };

    /// <summary>The notebook's default kernel: VS Code's kernelInfo, else the kernelspec language, else C#.</summary>
    private static string DefaultKernelName(IpynbNotebook notebook)
    {
        var meta = notebook.Metadata;
        if (meta["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"] is JsonValue v && v.TryGetValue<string>(out var name))
            return name;
        var language = meta["kernelspec"]?["language"]?.GetValue<string>() ?? meta["language_info"]?["name"]?.GetValue<string>();
        return language is null or "C#" or "c#" or "csharp" ? KernelSetup.CSharpKernelName : language;
    }

    private static bool IsCSharp(string kernelName) => kernelName is "csharp" or "c#" or "C#";

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string Timestamp(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
