using System.Collections.Concurrent;
using System.Diagnostics;

namespace DaseCV.Grader;

/// <summary>
/// Starts the sandboxed processes from one thread that lives as long as the grader. bwrap's <c>--die-with-parent</c>
/// is Linux's parent-death signal, which follows the <em>thread</em> that forked: a harness started from a thread-pool
/// thread was killed (exit 137, no limit reached) when the pool retired that thread, which long retraining checks made
/// likely. One process-wide thread, because the signal concerns the whole grader process.
/// </summary>
internal static class SandboxSpawner
{
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process?> Started)> Requests = [];

    static SandboxSpawner()
    {
        var thread = new Thread(() =>
        {
            foreach (var (info, started) in Requests.GetConsumingEnumerable())
            {
                try
                {
                    started.SetResult(Process.Start(info));
                }
                catch (Exception e)
                {
                    started.SetException(e);
                }
            }
        })
        { IsBackground = true, Name = "sandbox spawner" };
        thread.Start();
    }

    /// <summary><see cref="Process.Start(ProcessStartInfo)"/> on the spawner thread.</summary>
    public static Process? Start(ProcessStartInfo info)
    {
        var started = new TaskCompletionSource<Process?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((info, started));
        return started.Task.GetAwaiter().GetResult();
    }
}
