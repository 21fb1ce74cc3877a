using System.Runtime.ExceptionServices;

namespace DaseCV.LinearAlgebra.Kernels;

/// <summary>
/// The threads a large product is shared between: the calling thread plus helper threads started once per process
/// and kept waiting. Work is claimed in chunks as each thread gets to it, so a helper the OS is slow to schedule
/// costs nothing: the calling thread takes its share.
/// </summary>
/// <remarks>
/// <para>Why not <c>Parallel.For</c>: its first call in a process took 35-90 ms on the project's 2-core machine (the task
/// library and the thread pool starting up, their generic code compiled), and a notebook's first timed product paid
/// it, where numpy pays nothing of the kind (OpenBLAS starts its threads when numpy is imported). Starting a thread
/// here costs about 1 ms, once (<see cref="Warmup"/> does it when the library loads); waking a waiting one, microseconds.</para>
/// <para>Why claimed chunks rather than one fixed half each: on a machine shared with other work (these 2-core machines
/// run builds beside a notebook) a fixed split waits for its slowest thread, and was slower than one thread.</para>
/// </remarks>
internal static class ProductThreads
{
    private static readonly Lock Gate = new();

    private static readonly List<Helper> Helpers = [];

    /// <summary>
    /// Runs <paramref name="body"/> over [0, <paramref name="units"/>) in ranges of <paramref name="chunk"/> units,
    /// claimed by the calling thread and up to <paramref name="ways"/> − 1 idle helpers; returns when every claimed
    /// range is done, and rethrows the first exception any of them threw. Each unit is computed whole by one thread.
    /// </summary>
    public static void Share(int units, int chunk, int ways, Action<int, int> body)
    {
        var work = new SharedWork(units, Math.Max(1, chunk), body);
        if (ways > 1)
        {
            lock (Gate)
            {
                EnsureHelpersLocked(ways - 1);
                for (int h = 0, offered = 0; h < Helpers.Count && offered < ways - 1; h++)
                    if (Helpers[h].TryStart(work)) offered++;
            }
        }
        work.Claim();
        work.WaitForClaimed();
        if (work.Error is Exception error) ExceptionDispatchInfo.Throw(error);
    }

    /// <summary>Starts helpers until there are <paramref name="count"/>, so that the first large product does not pay for it.</summary>
    public static void EnsureHelpers(int count)
    {
        lock (Gate) EnsureHelpersLocked(count);
    }

    /// <summary>Helper threads started so far.</summary>
    internal static int HelperCount
    {
        get
        {
            lock (Gate) return Helpers.Count;
        }
    }

    private static void EnsureHelpersLocked(int count)
    {
        while (Helpers.Count < count) Helpers.Add(new Helper(Helpers.Count + 1));
    }

    /// <summary>One product's units, claimed chunk by chunk by whichever threads run <see cref="Claim"/>.</summary>
    private sealed class SharedWork(int units, int chunk, Action<int, int> body)
    {
        private int _next;
        private int _active;  // threads inside Claim's loop body: the product is done when none is and no unit is left
        private Exception? _error;

        public Exception? Error => Volatile.Read(ref _error);

        public void Claim()
        {
            while (true)
            {
                Interlocked.Increment(ref _active);
                try
                {
                    int from = Interlocked.Add(ref _next, chunk) - chunk;
                    if (from >= units) return;
                    body(from, Math.Min(units, from + chunk));
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _error, e, null);
                    Volatile.Write(ref _next, units);  // nothing more is started
                    return;
                }
                finally
                {
                    Interlocked.Decrement(ref _active);
                }
            }
        }

        /// <summary>
        /// Waits for the ranges other threads claimed. A helper that wakes later finds nothing left and never runs the
        /// body: it claims (under <c>_active</c>) only after every unit was already taken.
        /// </summary>
        public void WaitForClaimed()
        {
            // Never Thread.Sleep(1), which SpinOnce() does after about 20 turns: on Linux it sleeps a millisecond or more,
            // and a helper's last chunk takes tens of microseconds (it made a 0.25 ms product of an SGD step 1.4 ms).
            var spin = new SpinWait();
            while (Volatile.Read(ref _active) != 0) spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>A background thread that claims units of a product each time it is started.</summary>
    private sealed class Helper
    {
        private readonly SemaphoreSlim _start = new(0);
        private SharedWork? _work;
        private int _busy;

        public Helper(int number)
        {
            new Thread(Loop) { IsBackground = true, Name = $"DaseCV product {number}" }.Start();
        }

        /// <summary>Hands this helper a product, unless it is still on an earlier one.</summary>
        public bool TryStart(SharedWork work)
        {
            if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
            _work = work;
            _start.Release();
            return true;
        }

        private void Loop()
        {
            while (true)
            {
                _start.Wait();
                var work = _work!;
                _work = null;  // an idle helper keeps no product's arrays alive
                work.Claim();
                Volatile.Write(ref _busy, 0);
            }
        }
    }
}
