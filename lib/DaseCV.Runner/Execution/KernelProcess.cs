using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using DaseCV.Runner.IO;
using DaseCV.Runner.Ipynb;
using DaseCV.Runner.Text;

namespace DaseCV.Runner.Execution;

/// <summary>
/// Runs the notebook in a kernel process of its own, so that nothing a cell does can take the user's work with it.
/// A stack overflow, <c>Environment.FailFast</c> or an exception on another thread (an <c>async void</c>, a Task
/// nobody awaited) ends a .NET process before any of its own code can run; in the runner's process that left no
/// HTML and no cell named. The runner starts itself again as the kernel process (the same app, so the same
/// runtime settings, e.g. <c>System.GC.LOHThreshold</c>), which runs the notebook as <see cref="NotebookRun"/> and
/// writes both files itself. If it ends without saying so in its <see cref="RunJournal"/>, this process writes
/// them: the notebook as last saved, the running cell with what it printed and the runtime's error, the HTML.
/// </summary>
internal static class KernelProcess
{
    private const string JournalPrefix = "dasecv-run-";

    /// <summary>Lines of the runtime's crash report kept (a stack overflow prints thousands of frames).</summary>
    private const int ReportLines = 400;

    /// <summary>
    /// Whether this process can start the kernel process: the runner is the entry assembly (not a test host that
    /// calls it in-process), and signals can be forwarded (not Windows).
    /// </summary>
    public static bool IsAvailable =>
        !OperatingSystem.IsWindows() && Assembly.GetEntryAssembly() == typeof(KernelProcess).Assembly && Environment.ProcessPath is not null;

    /// <summary>
    /// Runs <paramref name="run"/> in a kernel process (the runner's <c>kernel-host</c>, given the request as a
    /// file); returns the exit code. Outputs are already checked.
    /// </summary>
    /// <param name="run">The run.</param>
    /// <param name="renderHtml">The HTML of the notebook as it stands, when this process has to write it.</param>
    public static async Task<int> RunAsync(RunRequest run, Func<IpynbNotebook, string> renderHtml, TerminalProgress progress, TextWriter stderr)
    {
        DeleteJournalsOfKilledRuns();
        var stem = Path.Combine(Path.GetTempPath(), $"{JournalPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        var journalPath = stem + ".jsonl";
        var requestPath = stem + ".request.json";
        File.WriteAllText(journalPath, "");
        File.WriteAllText(requestPath, run.ToJson(journalPath));
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        try
        {
            using var process = Process.Start(StartInfo(requestPath))!;
            var signal = 0;
            void Forward(PosixSignalContext context)
            {
                var number = context.Signal == PosixSignal.SIGINT ? 2 : 15;
                // The first signal is the kernel process's to handle (it writes both files); a second quits at once.
                context.Cancel = Interlocked.CompareExchange(ref signal, number, 0) == 0;
                _ = Kill(process.Id, number);
            }

            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Forward);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Forward);

            var report = new List<string>();
            var pump = PumpErrorsAsync(process.StandardError, stderr, report, run.Verbose);
            await WaitForExitAsync(process, journalPath, stderr);
            // A process the kernel started may hold its standard error open after it exited; the report is complete by then.
            await Task.WhenAny(pump, Task.Delay(ExitGrace));

            var journal = RunJournal.Read(journalPath);
            if (journal.Ended is { } exitCode)
                return exitCode;  // what the run meant, also when the process had to be ended on its way out
            return Recover(run, renderHtml, journal, report, process.ExitCode, started, clock.Elapsed, progress, stderr, Volatile.Read(ref signal));
        }
        finally
        {
            File.Delete(journalPath);
            File.Delete(requestPath);
        }
    }

    /// <summary>How long the kernel process may take to exit after its journal says it wrote both files.</summary>
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Waits for the kernel process to exit. Once its journal says both files are written nothing of the run is left
    /// in it, so one still there <see cref="ExitGrace"/> later (held on its way out, e.g. by a cell's thread that
    /// never ends) is killed rather than waited for: a run must end once its files are written.
    /// </summary>
    private static async Task WaitForExitAsync(Process process, string journalPath, TextWriter stderr)
    {
        var exited = process.WaitForExitAsync();
        while (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(1))) != exited)
        {
            if (!RunJournal.HasEnded(journalPath))
                continue;
            if (await Task.WhenAny(exited, Task.Delay(ExitGrace)) != exited)
            {
                stderr.WriteLine(Messages.Warning($"两个文件已写好，但内核进程 {ExitGrace.TotalSeconds:0} 秒后仍未退出（可能是某个单元格启动的前台线程），已将其结束。",
                                                  $"both files were written but the kernel process had not exited {ExitGrace.TotalSeconds:0} s later (a foreground thread a cell started?); it was ended."));
                process.Kill(entireProcessTree: true);
            }
            await exited;
            return;
        }
    }

    /// <summary>
    /// In the kernel process: ends it when the runner process that started it is gone (killed with SIGKILL, say),
    /// seen as the end of standard input, the pipe only the runner process holds open. Without it an orphaned
    /// kernel would go on running, and saving, a notebook nobody waits for.
    /// </summary>
    public static void EndWithRunnerProcess()
    {
        var watch = new Thread(() =>
        {
            using var input = Console.OpenStandardInput();
            var buffer = new byte[256];
            try
            {
                while (input.Read(buffer, 0, buffer.Length) > 0)
                {
                }
            }
            catch (IOException)
            {
            }

            Process.GetCurrentProcess().Kill();
        })
        {
            IsBackground = true,
            Name = "runner process watch",
        };
        watch.Start();
    }

    /// <summary>A runner killed with SIGKILL leaves its journal in the temporary folder; the next run removes it.</summary>
    private static void DeleteJournalsOfKilledRuns()
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(Path.GetTempPath(), JournalPrefix + "*"))
                if (Path.GetFileName(file)[JournalPrefix.Length..].Split('-')[0] is var pid &&
                    int.TryParse(pid, CultureInfo.InvariantCulture, out var id) && !IO.AtomicFile.IsRunning(id))
                    File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another user's journal, or the folder is gone: not this run's business.
        }
    }

    /// <summary>The kernel process: this runner again, as <c>kernel-host REQUEST.json</c>; the request carries everything else.</summary>
    private static ProcessStartInfo StartInfo(string requestPath)
    {
        var host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true, // see EndWithRunnerProcess
            RedirectStandardError = true, // the runtime's crash report is read from here
            UseShellExecute = false,
        };
        // `dotnet DaseCV.Runner.dll ...` (tests, CI) runs the app through the host; `dotnet run` through the app host.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            start.ArgumentList.Add(typeof(KernelProcess).Assembly.Location);
        start.ArgumentList.Add(HostCommand);
        start.ArgumentList.Add(requestPath);
        KernelRuntimeVariables.AddTo(start.Environment);
        return start;
    }

    /// <summary>The hidden command that makes a runner the kernel process of another.</summary>
    public const string HostCommand = "kernel-host";

    /// <summary>In the kernel process: runs the request the runner process wrote, reporting to its journal.</summary>
    /// <param name="requestPath">The request's file.</param>
    /// <param name="renderHtml">The HTML of an executed notebook, for the request.</param>
    public static async Task<int> HostAsync(string requestPath, Func<RunRequest, Func<IpynbNotebook, string>> renderHtml, TerminalProgress progress, TextWriter stderr)
    {
        var (run, journalPath) = RunRequest.Read(requestPath);
        using var journal = RunJournal.Open(journalPath);
        EndWithRunnerProcess();
        using (progress)
        using (var notebookRun = new NotebookRun(run, renderHtml(run), progress, stderr, journal))
            return await notebookRun.ExecuteAsync();
    }

    /// <summary>
    /// Passes the kernel process's standard error on, line by line, up to the runtime's crash report, which is
    /// kept for <see cref="KernelCrash"/> (and shown only with --verbose: it is a stack trace).
    /// </summary>
    private static async Task PumpErrorsAsync(StreamReader from, TextWriter to, List<string> report, bool verbose)
    {
        var inReport = false;
        while (await from.ReadLineAsync() is { } line)
        {
            inReport = inReport || KernelCrash.StartsReport(line);
            if (inReport && report.Count < ReportLines)
                report.Add(line);
            if (!inReport || verbose)
                to.WriteLine(line);
        }
    }

    private static int Recover(RunRequest run, Func<IpynbNotebook, string> renderHtml, RunJournal.Contents journal, IReadOnlyList<string> report, int exitCode,
                               DateTimeOffset started, TimeSpan elapsed, TerminalProgress progress, TextWriter stderr, int signal)
    {
        if (journal.Current is not { } current)
        {
            // It refused to start (bad input, an output that cannot be written) and said why on stderr.
            if (report.Count == 0 && exitCode is ExitCode.UsageError or ExitCode.WriteFailed)
                return exitCode;
            stderr.WriteLine(Messages.Error($"内核进程在第一个单元格之前就结束了（退出码 {exitCode}）；没有运行任何单元格。",
                                            $"the kernel process ended before the first cell (exit code {exitCode}); no cell ran."));
            return ExitCode.Failed;
        }

        // The notebook as the kernel process last saved it (complete up to the last finished cell), or, if it never
        // saved, the notebook as it went in, cleared as a run clears it.
        var notebook = journal.Saved && TryLoad(run.IpynbPath) is { } saved ? saved : Fresh(run.Notebook);
        var cell = notebook.Cells[current.Index];
        if (!journal.CurrentFinished)
        {
            cell.Outputs.Clear();
            cell.Json["execution_count"] = current.Count;
            foreach (var (name, text) in Merged(journal.Streams))
                cell.Outputs.Add(new System.Text.Json.Nodes.JsonObject
                {
                    ["output_type"] = "stream",
                    ["name"] = name,
                    ["text"] = IpynbNotebook.SplitLines(text),
                });
        }

        var error = KernelCrash.ErrorOutput(report, exitCode);
        cell.Outputs.Add(error);
        var result = new ExecutionResult(elapsed, RunEnd.KernelCrashed, current.Label, cell.Id, error["evalue"]!.GetValue<string>());
        notebook.Metadata[IpynbNotebook.RunMetadataKey] =
            NotebookExecutor.RunRecord(started, elapsed, NotebookExecutor.Status(result, null), run.Parameters);

        if (NotebookRun.WriteBoth(run.IpynbPath, run.HtmlPath, notebook.ToJson, () => renderHtml(notebook), stderr) is { } failed)
            return failed;
        return NotebookRun.Report(result, progress, stderr, run.IpynbPath, run.HtmlPath, r => RunFailure.Describe(notebook, r, run.Verbose), signal);
    }

    private static IpynbNotebook? TryLoad(string path)
    {
        try
        {
            return IpynbNotebook.Load(path);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static IpynbNotebook Fresh(IpynbNotebook notebook)
    {
        var copy = IpynbNotebook.FromJson(notebook.Root.DeepClone(), notebook.Name + ".ipynb");
        NotebookExecutor.ClearForRun(copy);
        return copy;
    }

    /// <summary>Consecutive writes to one stream as one text, as a cell's outputs keep them.</summary>
    private static IEnumerable<(string Name, string Text)> Merged(IReadOnlyList<(string Name, string Text)> writes)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < writes.Count; i++)
        {
            text.Append(writes[i].Text);
            if (i + 1 == writes.Count || writes[i + 1].Name != writes[i].Name)
            {
                yield return (writes[i].Name, text.ToString());
                text.Clear();
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
