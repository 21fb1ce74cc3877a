using System.Diagnostics;
using System.Text;

namespace DaseCV.Runner.Tests.EndToEnd;

/// <summary>
/// A runner process the test watches while it runs: wait for a line of its output, send it a signal, then
/// collect its exit code and output. Optionally started through a wrapper command (e.g. <c>unshare</c>).
/// </summary>
internal sealed class RunningRunner : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    private RunningRunner(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { lock (_gate) if (e.Data is not null) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_gate) if (e.Data is not null) _stderr.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The runner's own process id (the dotnet host runs the app in its process).</summary>
    public int Id => _process.Id;

    /// <summary>Starts <c>dotnet DaseCV.Runner.dll ARGS</c>, after <paramref name="wrapper"/> when given.</summary>
    public static RunningRunner Start(string[] args, string[]? wrapper = null)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        string[] command = [.. wrapper ?? [], dotnet, Path.Combine(AppContext.BaseDirectory, "DaseCV.Runner.dll"), .. args];
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestPaths.RepositoryRoot,
        };
        foreach (var arg in command.Skip(1))
            start.ArgumentList.Add(arg);
        return new RunningRunner(Process.Start(start)!);
    }

    /// <summary>Runs to the end and returns the outcome.</summary>
    public static async Task<RunnerOutcome> RunAsync(string[] args, string[]? wrapper = null)
    {
        using var runner = Start(args, wrapper);
        return await runner.WaitForExitAsync();
    }

    /// <summary>Waits until the standard output contains <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text)
    {
        var clock = Stopwatch.StartNew();
        while (!StandardOutput.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || clock.Elapsed > TimeSpan.FromMinutes(2))
                throw new TimeoutException($"the runner never printed '{text}'. stdout:\n{StandardOutput}\nstderr:\n{StandardError}");
            await Task.Delay(100);
        }
    }

    /// <summary>Sends a signal by name (INT, TERM, KILL) with kill(1).</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-s", name, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    public async Task<RunnerOutcome> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Say what was still there (the runner, its kernel process, anything holding the output open), then end it.
            var tree = ProcessTree(_process.Id);
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the runner had not exited after 5 minutes (exited: {_process.HasExited}). Processes:\n{tree}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        }

        _process.WaitForExit(); // drains the redirected streams
        return new RunnerOutcome(_process.ExitCode, StandardOutput, StandardError);
    }

    /// <summary>A process and its descendants, one a line: pid, state, threads' kernel wait channels, command line.</summary>
    private static string ProcessTree(int pid, string indent = "")
    {
        string Read(string path)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (IOException)
            {
                return "";
            }
        }

        var state = Read($"/proc/{pid}/stat").Split(") ") is [_, var rest, ..] ? rest[..1] : "?";
        var waits = Directory.Exists($"/proc/{pid}/task")
            ? string.Join(",", Directory.GetDirectories($"/proc/{pid}/task").Select(t => Read(Path.Combine(t, "wchan"))).GroupBy(w => w).Select(g => $"{g.Key}×{g.Count()}"))
            : "";
        var line = $"{indent}{pid} [{state}] waits {waits}: {Read($"/proc/{pid}/cmdline").Replace('\0', ' ')}\n";
        var children = Directory.Exists($"/proc/{pid}/task")
            ? Directory.GetDirectories($"/proc/{pid}/task").SelectMany(t => Read(Path.Combine(t, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            : [];
        return line + string.Concat(children.Select(c => ProcessTree(int.Parse(c, System.Globalization.CultureInfo.InvariantCulture), indent + "  ")));
    }

    private string StandardOutput
    {
        get { lock (_gate) return _stdout.ToString(); }
    }

    private string StandardError
    {
        get { lock (_gate) return _stderr.ToString(); }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
