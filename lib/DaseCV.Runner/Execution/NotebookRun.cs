using System.Diagnostics;
using System.Runtime.InteropServices;
using DaseCV.Runner.IO;
using DaseCV.Runner.Ipynb;
using DaseCV.Runner.Text;

namespace DaseCV.Runner.Execution;

/// <summary>
/// A notebook run inside the kernel process: executes the notebook and writes DIR/NAME.ipynb and DIR/NAME.html,
/// so that the user's work is never lost or overwritten (papermill's guarantees, and a few more):
/// <list type="bullet">
/// <item>after every cell: the executed notebook is saved (atomically), complete up to that cell, later cells not run;</item>
/// <item>on SIGINT/SIGTERM, a cell timeout or <c>Environment.Exit</c> in a cell: both files are written with the
/// remaining cells marked not run, and the exit code says so (130/143, or 1);</item>
/// <item>a failed write is reported (exit 3) and leaves the earlier file, never a partial one.</item>
/// </list>
/// What no code in this process can survive (a stack overflow, <c>Environment.FailFast</c>, an exception on another
/// thread) the runner process that started it handles from the journal (<see cref="KernelProcess"/>).
/// </summary>
internal sealed class NotebookRun : IDisposable
{
    /// <summary>A second signal this soon after the first is the same one: the terminal sends Ctrl-C to the kernel
    /// process and the runner process forwards it too.</summary>
    private static readonly TimeSpan SameSignal = TimeSpan.FromSeconds(1);

    private readonly Lock _writeGate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _sinceSignal = new();
    private readonly TextWriter _stderr;
    private readonly TerminalProgress _progress;
    private readonly RunJournal? _journal;
    private readonly string _notebookDirectory;
    private readonly string _ipynbPath;
    private readonly string _htmlPath;
    private readonly Func<ExecutionResult, string> _describeFailure;
    private readonly Func<IpynbNotebook, string> _renderHtml;
    private NotebookExecutor? _executor;
    private int _signal;
    private int _running;
    private int _exitCode = -1;

    /// <param name="run">The checked run (notebook loaded and parameterized, outputs checked).</param>
    /// <param name="renderHtml">The HTML of an executed notebook.</param>
    /// <param name="progress">Terminal progress.</param>
    /// <param name="stderr">Where errors go: the process's real standard error, not the kernel's capture.</param>
    /// <param name="journal">The journal for the runner process that started this one, if any.</param>
    public NotebookRun(RunRequest run, Func<IpynbNotebook, string> renderHtml, TerminalProgress progress, TextWriter stderr, RunJournal? journal)
    {
        _progress = progress;
        _stderr = stderr;
        _journal = journal;
        _notebookDirectory = Path.GetDirectoryName(run.NotebookPath)!;
        _ipynbPath = run.IpynbPath;
        _htmlPath = run.HtmlPath;
        _describeFailure = r => RunFailure.Describe(run.Notebook, r, run.Verbose);
        _renderHtml = renderHtml;
        Run = run;
    }

    private RunRequest Run { get; }

    /// <summary>Runs the notebook with the guarantees of the class summary; returns the exit code.</summary>
    public async Task<int> ExecuteAsync()
    {
        var notebook = Run.Notebook;
        _executor = new NotebookExecutor(notebook, _notebookDirectory, _progress, Run.Parameters,
                                         new ExecutionOptions(Run.CellTimeout, SaveNotebook, _journal, _stderr));
        _progress.Line($"Running {Run.ShownPath} ({notebook.Cells.Count(c => c.Type == "code")} code cells) in {_notebookDirectory}");

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        Volatile.Write(ref _running, 1);
        try
        {
            ExecutionResult result;
            try
            {
                result = await _executor.RunAsync(SignalName, _stop.Token);
            }
            catch (OutputWriteException e)
            {
                // A per-cell save failed (e.g. the disk filled up): carrying on would only lose more work.
                _stderr.WriteLine(Messages.Error(
                    $"无法写入文件，运行已停止；之前的 {Path.GetFileName(_ipynbPath)}（如有）未被改动。",
                    $"{e.Message}. The run stopped; the earlier {Path.GetFileName(_ipynbPath)} (if any) is unchanged."));
                return Finish(ExitCode.WriteFailed);
            }

            return Finish(WriteResults(result));
        }
        finally
        {
            Volatile.Write(ref _running, 0);
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        }
    }

    public void Dispose() => _stop.Dispose();

    private int Finish(int exitCode)
    {
        lock (_writeGate)
        {
            if (_exitCode < 0)
                _journal?.Ended(exitCode);
            _exitCode = exitCode;
        }

        return exitCode;
    }

    /// <summary>The per-cell save: the document complete up to the cell that just finished.</summary>
    private void SaveNotebook(NotebookExecutor executor)
    {
        lock (_writeGate)
            AtomicFile.WriteAllText(_ipynbPath, executor.SnapshotJson());
        _journal?.Saved();
    }

    /// <summary>Writes both files for a run that ended (in any way) and reports it; returns the exit code.</summary>
    private int WriteResults(ExecutionResult result)
    {
        var executor = _executor!;
        lock (_writeGate)
        {
            if (WriteBoth(_ipynbPath, _htmlPath, executor.SnapshotJson,
                          () => executor.Snapshot(_renderHtml), _stderr) is { } failed)
                return failed;
        }

        return Report(result, _progress, _stderr, _ipynbPath, _htmlPath, _describeFailure, Volatile.Read(ref _signal));
    }

    /// <summary>
    /// Writes the executed notebook, then its HTML; null when both were written, else the exit code after saying
    /// what was not written. An HTML that cannot be written is removed rather than left to pass for this run.
    /// </summary>
    internal static int? WriteBoth(string ipynbPath, string htmlPath, Func<string> json, Func<string> html, TextWriter stderr)
    {
        try
        {
            AtomicFile.WriteAllText(ipynbPath, json());
        }
        catch (OutputWriteException e)
        {
            stderr.WriteLine(Messages.Error("无法写入文件；最后一个完成的单元格之后的结果没有保存。",
                                            $"{e.Message}. Nothing of this run was saved after the last finished cell."));
            return ExitCode.WriteFailed;
        }

        try
        {
            AtomicFile.WriteAllText(htmlPath, html());
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The earlier HTML no longer matches the notebook just written: remove it rather than let it pass for this run.
            var removed = TryDelete(htmlPath);
            var what = e is OutputWriteException ? e.Message : $"could not render {Path.GetFileName(htmlPath)}: {e.GetType().Name}: {e.Message}";
            stderr.WriteLine(Messages.Error(
                $"无法写入 {Path.GetFileName(htmlPath)}；本次运行保存在 {Relative(ipynbPath)}。",
                $"{what}. {Relative(ipynbPath)} holds this run" +
                (removed ? $"; the earlier {Path.GetFileName(htmlPath)} was removed so that it cannot pass for it." : ".")));
            return ExitCode.WriteFailed;
        }
    }

    /// <summary>Says how a run whose two files were written ended; returns its exit code.</summary>
    internal static int Report(ExecutionResult result, TerminalProgress progress, TextWriter stderr, string ipynbPath, string htmlPath,
                               Func<ExecutionResult, string> describeFailure, int signal)
    {
        progress.Line($"{(result.Succeeded ? "Finished" : "Stopped")} after {Durations.Format(result.Elapsed)}.");
        progress.Line($"Wrote {Relative(ipynbPath)} and {Relative(htmlPath)}");
        switch (result.End)
        {
            case RunEnd.Succeeded:
                return signal > 0 ? ExitCode.Signaled(signal) : ExitCode.Success;
            case RunEnd.Interrupted:
                stderr.WriteLine(Messages.Error("运行被中断；两个文件保存了已运行的单元格，之后的单元格标为未运行。",
                                                $"{result.Error} Both files hold the cells that ran; later cells are marked not run."));
                return ExitCode.Signaled(signal);
            case RunEnd.CellFailed or RunEnd.KernelCrashed:
                stderr.WriteLine(describeFailure(result));
                return ExitCode.Failed;
            case RunEnd.ExitCalled:
                stderr.WriteLine(Messages.Error($"{Messages.Cell(result.FailedCell)}调用了 Environment.Exit，运行在此停止；之后的单元格没有运行。",
                                                $"{result.FailedCell} (id {result.FailedCellId}) stopped the run: {result.Error} Later cells were not run."));
                return ExitCode.Failed;
            default:
                stderr.WriteLine(Messages.Error($"{Messages.Cell(result.FailedCell)}超时，运行在此停止；之后的单元格没有运行。",
                                                $"{result.Error} Later cells were not run."));
                return ExitCode.Failed;
        }
    }

    /// <summary>SIGINT (Ctrl-C) or SIGTERM: the first stops the run and writes both files; a second ends the process at once.</summary>
    private void OnSignal(PosixSignalContext context)
    {
        var number = context.Signal == PosixSignal.SIGINT ? 2 : 15;
        if (Interlocked.CompareExchange(ref _signal, number, 0) != 0)
        {
            lock (_sinceSignal)
                if (_sinceSignal.Elapsed < SameSignal)
                    context.Cancel = true; // the terminal's and the forwarded copy of one Ctrl-C
            return;
        }

        lock (_sinceSignal)
            _sinceSignal.Start();
        context.Cancel = true;
        _progress.Line($"\n{SignalName()}: stopping after saving what ran (again to quit at once)...");
        // Not on this thread: the run's continuations would run inside the runtime's signal dispatch, the whole
        // ending of the run (files, disposal, the process's exit) with it.
        _ = Task.Run(() =>
        {
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run had already ended.
            }
        });
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
            exitCode = Finish(WriteResults(result));

        // Environment.Exit(0) must not pass for success: the exit code set here is the one the process ends with.
        Environment.ExitCode = exitCode >= 0 ? exitCode
            : result.End == RunEnd.Interrupted ? ExitCode.Signaled(Volatile.Read(ref _signal))
            : ExitCode.Failed;
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

    internal static string Relative(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
