using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DaseCV.Grader;

/// <summary>The harness stopped answering: killed for a limit, crashed, or wrote something that is not a reply.</summary>
internal sealed class HarnessFailure(string message, bool timedOut = false) : Exception(message)
{
    /// <summary>Stopped for the time limit.</summary>
    public bool TimedOut { get; } = timedOut;
}

/// <summary>The sandbox itself failed (its wrapper could not join the cgroup or start bwrap): the machine's fault, never the student's.</summary>
internal sealed class SandboxFault(string message) : Exception(message);

/// <summary>
/// One sandboxed process (a submission's harness, or the compiler): requests go to its stdin, replies come from its
/// stdout. The kernel enforces memory and task limits through the process's cgroup; a watchdog enforces the time of
/// each check (<see cref="BeginCheck"/>) and what it prints, and kills the tree at the first breach, naming the
/// limit; <see cref="FinishAsync"/> counts the results only when the process then exits 0 within the limits.
/// Dispose kills whatever is left and removes the cgroup.
/// </summary>
internal sealed class HarnessSession : IAsyncDisposable
{
    private const int KeptStderrChars = 1500;
    private readonly Process _process;
    private readonly BinaryWriter _requests;
    private readonly BinaryReader _replies;
    private readonly Limits _limits;

    /// <summary>The current check's time limit (<see cref="BeginCheck"/>).</summary>
    private TimeSpan _budget;
    private readonly SandboxRun _run;
    private readonly Cgroups.Group? _group;
    private Stopwatch _clock = Stopwatch.StartNew();
    private readonly StringBuilder _stderr = new();
    private readonly Task _stderrPump;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watchdog;
    private long _stderrBytes;
    private volatile string? _killedFor;

    private readonly Sandbox _sandbox;

    private readonly int _uid;

    private HarnessSession(Process process, Sandbox sandbox, SandboxRun run, Cgroups.Group? group, int uid)
    {
        _uid = uid;
        _process = process;
        _sandbox = sandbox;
        _run = run;
        _limits = run.Limits;
        _budget = run.Limits.Time;
        _group = group;
        _requests = new BinaryWriter(new BufferedStream(process.StandardInput.BaseStream, 1 << 16));
        _replies = new BinaryReader(new BufferedStream(process.StandardOutput.BaseStream, 1 << 16));
        _stderrPump = PumpStderrAsync();
        _watchdog = WatchAsync();
    }

    /// <summary>Starts <paramref name="run"/> in the sandbox, in a cgroup of its own where the machine has one.</summary>
    public static HarnessSession Start(Sandbox sandbox, SandboxRun run)
    {
        var group = sandbox.Cgroups.Create(run.Limits.MemoryBytes, run.Limits.Tasks);
        var uid = sandbox.NewUid();
        try
        {
            var process = SandboxSpawner.Start(sandbox.StartInfo(run, group, uid: uid)) ?? throw new SandboxFault("could not start the sandbox");
            return new HarnessSession(process, sandbox, run, group, uid);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            group?.Remove();
            throw new SandboxFault($"could not start the sandbox: {e.Message}");
        }
    }

    /// <summary>The time limit counts from here: each check (or compilation) gets the whole of it, or <paramref name="times"/> of it.</summary>
    public void BeginCheck(int times = 1)
    {
        _budget = _limits.Time * times;
        _clock = Stopwatch.StartNew();
    }

    /// <summary>Writes a request (timed from here) and reads its reply; the elapsed time is the round trip.</summary>
    public async Task<(T Reply, TimeSpan Elapsed)> CallAsync<T>(Action<BinaryWriter> request, Func<BinaryReader, T> reply)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            await Task.Run(() =>
            {
                request(_requests);
                _requests.Flush();
            });
            var result = await Task.Run(() => reply(_replies));
            return (result, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or InvalidDataException or ObjectDisposedException)
        {
            var described = Describe(e);
            await StopAsync();
            if (_process.ExitCode == 125 && _killedFor is null)
                throw new SandboxFault("the sandbox's wrapper failed (exit code 125: it could not join its cgroup or start bwrap)" + StderrTail());
            throw new HarnessFailure(_killedFor ?? described, _killedFor is not null && _killedFor == TimedOut());
        }
    }

    /// <summary>Ends the harness; null when it exited 0 within its limits, else why the check does not count.</summary>
    public async Task<string?> FinishAsync()
    {
        try
        {
            _requests.Write(Harness.Wire.End);
            _requests.Flush();
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone: the exit code says why.
        }

        await Task.WhenAny(_process.WaitForExitAsync(), Task.Delay(Remaining()));
        if (!_process.HasExited)
            _killedFor ??= TimedOut();
        _killedFor ??= KernelStopped();
        await StopAsync();
        if (_killedFor is not null)
            return _killedFor;
        return _process.ExitCode == 0 ? null : Zh($"检查进程以退出码 {_process.ExitCode} 结束", $"the check process exited with code {_process.ExitCode}") + StderrTail();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        _stop.Dispose();
    }

    private async Task StopAsync()
    {
        _stop.Cancel();
        Kill();
        await _process.WaitForExitAsync();
        _sandbox.KillLeftovers(_uid);
        await Task.WhenAny(_stderrPump, Task.Delay(2000));
        await _watchdog;
        if (Interlocked.Exchange(ref _removed, 1) == 0)
            _group?.Remove();
    }

    private int _removed;

    /// <summary>What the kernel counted against a limit (memory, tasks, CPU time) so far, or null.</summary>
    public string? KernelStopped()
    {
        if (_group?.Breach() is { } breach)
            return breach;
        if (_group?.CpuTime() is { } cpu && cpu.TotalSeconds >= _run.CpuSeconds * 0.98)
            return Zh($"CPU 时间超过 {_run.CpuSeconds} 秒，已被系统终止", $"used more than {_run.CpuSeconds} s of CPU time and was stopped by the kernel");
        return null;
    }

    private string Describe(Exception e)
    {
        _process.WaitForExit(2000);
        if (KernelStopped() is { } kernel)
            return kernel;
        if (_process.HasExited)
            return Zh($"检查进程在给出结果前结束（退出码 {_process.ExitCode}；Environment.Exit、崩溃或栈溢出？）",
                $"the check process ended with exit code {_process.ExitCode} before replying (Environment.Exit, a crash or a stack overflow?)") + StderrTail();
        return Zh("检查进程的输出通道被破坏或提前关闭", "the check process's result channel was corrupted or closed early") +
            $" ({e.GetType().Name})" + StderrTail();
    }

    private TimeSpan Remaining() => _budget - _clock.Elapsed is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    private string TimedOut() => Zh($"超时：{_budget.TotalSeconds:F0} 秒后仍在运行（死循环？）",
        $"timed out: still running after {_budget.TotalSeconds:F0} s (an endless loop?)");

    private async Task WatchAsync()
    {
        while (!_stop.IsCancellationRequested && !_process.HasExited)
        {
            string? breach = null;
            if (_clock.Elapsed > _budget)
                breach = TimedOut();
            else if (Interlocked.Read(ref _stderrBytes) > _limits.OutputBytes)
                breach = Zh($"输出超过 {_limits.OutputBytes / 1024} KB，已停止", $"printed more than {_limits.OutputBytes / 1024} KB; stopped");
            else if (_group is not null)
                breach = _group.Breach();
            else if (ProcessTree.Measure(_process.Id) is var (count, resident))
            {
                // No cgroup here (the instructor allowed grading without one): the tree is measured from /proc instead.
                if (resident > _limits.MemoryBytes + (256L << 20))
                    breach = Zh($"内存超过 {(_limits.MemoryBytes >> 20) + 256} MB，已停止", $"used more than {(_limits.MemoryBytes >> 20) + 256} MB of memory; stopped");
                else if (count > _limits.Tasks)
                    breach = Zh($"启动了过多进程（{count}），已停止", $"started too many processes ({count}); stopped");
            }

            if (breach is not null)
            {
                _killedFor ??= breach;
                Kill();
                return;
            }

            try
            {
                await Task.Delay(50, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Kill()
    {
        try
        {
            // Killing bwrap ends its init (--die-with-parent) and with it the PID namespace: every process inside.
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    private async Task PumpStderrAsync()
    {
        var buffer = new char[8192];
        int read;
        try
        {
            while ((read = await _process.StandardError.ReadAsync(buffer)) > 0)
            {
                if (Interlocked.Add(ref _stderrBytes, read) > _limits.OutputBytes)
                    continue;  // keep draining so the process never blocks on a full pipe before it is killed
                lock (_stderr)
                    if (_stderr.Length < KeptStderrChars)
                        _stderr.Append(buffer, 0, Math.Min(read, KeptStderrChars - _stderr.Length));
            }
        }
        catch (IOException)
        {
        }
    }

    private string StderrTail()
    {
        lock (_stderr)
            return _stderr.Length == 0 ? "" : "\n" + Zh("程序输出", "the code printed") + ":\n" + Feedback.Clean(_stderr.ToString(), KeptStderrChars);
    }

    private static string Zh(string zh, string en) => Feedback.Say(zh, en);
}

/// <summary>The processes under a root process, read from /proc (Linux; elsewhere nothing is measured).</summary>
internal static class ProcessTree
{
    /// <summary>Process count and total resident bytes of <paramref name="root"/> and its descendants, or null.</summary>
    public static (int Count, long ResidentBytes)? Measure(int root)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
            {
            }
        }

        var tree = new HashSet<int> { root };
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (pid, parent) in parents)
                if (tree.Contains(parent) && tree.Add(pid))
                    grew = true;
        }

        long resident = 0;
        foreach (var pid in tree)
        {
            try
            {
                var statm = File.ReadAllText($"/proc/{pid}/statm").Split(' ');
                resident += long.Parse(statm[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
            }
        }

        return (tree.Count, resident);
    }
}
