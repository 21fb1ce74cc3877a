using System.Runtime.InteropServices;
using DaseCV.Runner.Html;
using DaseCV.Runner.Ipynb;
using DaseCV.Runner.IO;
using DaseCV.Runner.Commands;

namespace DaseCV.Runner.Execution;

/// <summary>
/// The <c>run</c> command behind its options: executes a notebook and writes DIR/NAME.ipynb and DIR/NAME.html,
/// so that the user's work is never lost or overwritten (papermill's guarantees, and a few more):
/// <list type="bullet">
/// <item>before the first cell: the outputs are checked (writable, not folders, not the input notebook as a file on
/// disk) and temporary files left by killed runs are removed;</item>
/// <item>after every cell: the executed notebook is saved (atomically), complete up to that cell, later cells not run;</item>
/// <item>on SIGINT/SIGTERM, a cell timeout or <c>Environment.Exit</c> in a cell: both files are written with the
/// remaining cells marked not run, and the exit code says so (130/143, or 1);</item>
/// <item>a failed write is reported (exit 3) and leaves the earlier file, never a partial one.</item>
/// </list>
/// </summary>
internal sealed class NotebookRun
{
    /// <summary>Exit code when a cell failed, timed out or called <c>Environment.Exit</c> (as <see cref="Cli.CellFailed"/>).</summary>
    public const int CellFailedExitCode = 1;

    private readonly Lock _writeGate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TextWriter _stderr;
    private readonly TerminalProgress _progress;
    private readonly string _notebookDirectory;
    private readonly string _ipynbPath;
    private readonly string _htmlPath;
    private NotebookExecutor? _executor;
    private int _signal;
    private int _running;
    private int _exitCode = -1;
    private Func<ExecutionResult, string>? _describeFailure;

    private NotebookRun(TerminalProgress progress, TextWriter stderr, string notebookDirectory, string ipynbPath, string htmlPath)
    {
        _progress = progress;
        _stderr = stderr;
        _notebookDirectory = notebookDirectory;
        _ipynbPath = ipynbPath;
        _htmlPath = htmlPath;
    }

    /// <summary>
    /// Runs a notebook that is loaded and parameterized, with the guarantees of the class summary; returns the exit code.
    /// </summary>
    /// <param name="notebook">The loaded notebook, parameters injected.</param>
    /// <param name="input">Its path, as the user gave it (relative to the current directory).</param>
    /// <param name="ipynbPath">The executed notebook to write.</param>
    /// <param name="htmlPath">The HTML to write.</param>
    /// <param name="outOption">How the user chose the outputs, for messages (e.g. <c>--out artifacts</c>).</param>
    /// <param name="parameters">The parameters the run uses, recorded in the metadata.</param>
    /// <param name="cellTimeout">Longest a cell may run; null for no limit.</param>
    /// <param name="progress">Terminal progress (disposed here).</param>
    /// <param name="stderr">Where errors go; null for the process's real standard error (not the kernel's capture).</param>
    /// <param name="describeFailure">The terminal message for a failed cell; null for the built-in one.</param>
    /// <exception cref="UsageException">The outputs cannot be written or one is the input; nothing ran.</exception>
    /// <remarks><c>run</c>'s <see cref="RunCommand.Prepare"/> loads the notebook and checks the parameters first.</remarks>
    public static async Task<int> ExecuteAsync(
        IpynbNotebook notebook, string input, string ipynbPath, string htmlPath, string outOption,
        IReadOnlyList<KeyValuePair<string, string>> parameters, TimeSpan? cellTimeout, TerminalProgress progress,
        TextWriter? stderr = null, Func<ExecutionResult, string>? describeFailure = null)
    {
        using (progress)
        {
            var notebookPath = Path.GetFullPath(input);
            var stale = OutputTarget.Check([ipynbPath, htmlPath], [notebookPath], outOption);
            if (stale.Count > 0)
                progress.Line($"Removed temporary files left by killed runs: {string.Join(", ", stale)}");

            stderr ??= new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
            var run = new NotebookRun(progress, stderr, Path.GetDirectoryName(notebookPath)!, ipynbPath, htmlPath)
            {
                _describeFailure = describeFailure,
            };
            return await run.ExecuteAsync(input, notebook, parameters, cellTimeout);
        }
    }

    private async Task<int> ExecuteAsync(
        string input, IpynbNotebook notebook, IReadOnlyList<KeyValuePair<string, string>> parameters, TimeSpan? cellTimeout)
    {
        _executor = new NotebookExecutor(notebook, _notebookDirectory, _progress, parameters,
                                         new ExecutionOptions(cellTimeout, SaveNotebook));
        _progress.Line($"Running {input} ({notebook.Cells.Count(c => c.Type == "code")} code cells) in {_notebookDirectory}");

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        Volatile.Write(ref _running, 1);
        try
        {
            ExecutionResult result;
            try
            {
                result = await _executor.RunAsync(_stop.Token, SignalName);
            }
            catch (OutputWriteException e)
            {
                // A per-cell save failed (e.g. the disk filled up): carrying on would only lose more work.
                _stderr.WriteLine($"error: {e.Message}. The run stopped; the earlier {Path.GetFileName(_ipynbPath)} (if any) is unchanged.");
                return Finish(OutputWriteException.ExitCode);
            }

            return Finish(WriteResults(result));
        }
        finally
        {
            Volatile.Write(ref _running, 0);
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        }
    }

    private int Finish(int exitCode)
    {
        lock (_writeGate)
            _exitCode = exitCode;
        return exitCode;
    }

    /// <summary>The per-cell save: the document complete up to the cell that just finished.</summary>
    private void SaveNotebook(NotebookExecutor executor)
    {
        lock (_writeGate)
            AtomicFile.WriteAllText(_ipynbPath, executor.SnapshotJson());
    }

    /// <summary>Writes both files for a run that ended (in any way) and reports it; returns the exit code.</summary>
    private int WriteResults(ExecutionResult result)
    {
        var executor = _executor!;
        lock (_writeGate)
        {
            try
            {
                AtomicFile.WriteAllText(_ipynbPath, executor.SnapshotJson());
            }
            catch (OutputWriteException e)
            {
                _stderr.WriteLine($"error: {e.Message}. Nothing of this run was saved after the last finished cell.");
                return OutputWriteException.ExitCode;
            }

            try
            {
                AtomicFile.WriteAllText(_htmlPath, executor.Snapshot(nb => HtmlExporter.Render(nb, _notebookDirectory)));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The earlier HTML no longer matches the notebook just written: remove it rather than let it pass for this run.
                var removed = TryDelete(_htmlPath);
                var what = e is OutputWriteException ? e.Message : $"could not render {Path.GetFileName(_htmlPath)}: {e.GetType().Name}: {e.Message}";
                _stderr.WriteLine($"error: {what}. {Relative(_ipynbPath)} holds this run" +
                                  (removed ? $"; the earlier {Path.GetFileName(_htmlPath)} was removed so that it cannot pass for it." : "."));
                return OutputWriteException.ExitCode;
            }
        }

        _progress.Line($"{(result.Succeeded ? "Finished" : "Stopped")} after {TerminalProgress.Format(result.Elapsed)}.");
        _progress.Line($"Wrote {Relative(_ipynbPath)} and {Relative(_htmlPath)}");
        switch (result.End)
        {
            case RunEnd.Succeeded:
                return Volatile.Read(ref _signal) is var signal and > 0 ? 128 + signal : Cli.Success;
            case RunEnd.Interrupted:
                _stderr.WriteLine($"error: {result.Error} Both files hold the cells that ran; later cells are marked not run.");
                return 128 + Volatile.Read(ref _signal);
            case RunEnd.CellFailed:
                _stderr.WriteLine(_describeFailure?.Invoke(result)
                                  ?? $"error: {result.FailedCell} (id {result.FailedCellId}) failed; later cells were not run.\n{result.Error}");
                return CellFailedExitCode;
            case RunEnd.ExitCalled:
                _stderr.WriteLine($"error: {result.FailedCell} (id {result.FailedCellId}) stopped the run: {result.Error} Later cells were not run.");
                return CellFailedExitCode;
            default:
                _stderr.WriteLine($"error: {result.Error} Later cells were not run.");
                return CellFailedExitCode;
        }
    }

    /// <summary>SIGINT (Ctrl-C) or SIGTERM: the first stops the run and writes both files; a second ends the process at once.</summary>
    private void OnSignal(PosixSignalContext context)
    {
        var number = context.Signal == PosixSignal.SIGINT ? 2 : 15;
        if (Interlocked.CompareExchange(ref _signal, number, 0) != 0)
            return;
        context.Cancel = true;
        _progress.Line($"\n{SignalName()}: stopping after saving what ran (again to quit at once)...");
        _stop.Cancel();
    }

    private string SignalName() => Volatile.Read(ref _signal) == 2 ? "SIGINT" : "SIGTERM";

    /// <summary>
    /// The process is ending while cells run: a cell called <c>Environment.Exit</c> (this handler runs on its
    /// thread, before the process ends). Write what ran and make the exit code say the run failed.
    /// </summary>
    private void OnProcessExit(object? sender, EventArgs e)
    {
        if (Volatile.Read(ref _running) == 0 || _executor is not { } executor)
            return;
        var requested = Environment.ExitCode;
        var result = executor.Abandon(RunEnd.ExitCalled,
            $"This cell called Environment.Exit({requested}), which would end the runner; the run stopped here.");
        int exitCode;
        lock (_writeGate)
            exitCode = _exitCode;
        if (exitCode < 0 && result.End == RunEnd.ExitCalled)
        {
            exitCode = WriteResults(result);
            lock (_writeGate)
                _exitCode = exitCode;
        }

        // Environment.Exit(0) must not pass for success: the exit code set here is the one the process ends with.
        Environment.ExitCode = exitCode >= 0 ? exitCode
            : result.End == RunEnd.Interrupted ? 128 + Volatile.Read(ref _signal)
            : CellFailedExitCode;
        _stderr.Flush();
    }

    private static bool TryDelete(string path)
    {
        try
        {
            if (!File.Exists(path))
                return false;
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Relative(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
