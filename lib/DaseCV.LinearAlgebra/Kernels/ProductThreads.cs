using System.Runtime.ExceptionServices;

namespace DaseCV.LinearAlgebra.Kernels;

/// <summary>
/// The threads a large product is split over: the calling thread plus helper threads started once per process and
/// kept waiting, one per extra way.
/// </summary>
/// <remarks>
/// Why not <c>Parallel.For</c>: its first call in a process took 35-90 ms on the project's 2-core machine (the task
/// library and the thread pool starting up, their generic code compiled), and a notebook's first timed product paid
/// it, where numpy pays nothing of the kind (OpenBLAS starts its threads when numpy is imported). Starting a thread
/// here costs about 1 ms, once (<see cref="Warmup"/> does it when the library loads); waking a waiting one, microseconds.
/// </remarks>
internal static class ProductThreads
{
    /// <summary>One product at a time uses the helpers; another that arrives meanwhile runs on its own thread.</summary>
    private static readonly Lock Gate = new();

    private static readonly List<Helper> Helpers = [];

    /// <summary>
    /// Runs <c>body(0)</c> … <c>body(ways − 1)</c>, <c>body(0)</c> on the calling thread and the others on helpers
    /// (or all on the calling thread while another product holds the helpers); returns when every one is done and
    /// rethrows the first exception any of them threw.
    /// </summary>
    public static void Run(int ways, Action<int> body)
    {
        if (ways <= 1 || !Gate.TryEnter())
        {
            for (int w = 0; w < ways; w++) body(w);
            return;
        }
        try
        {
            EnsureHelpersLocked(ways - 1);
            for (int w = 1; w < ways; w++) Helpers[w - 1].Start(body, w);
            Exception? error = null;
            try
            {
                body(0);
            }
            catch (Exception e)
            {
                error = e;
            }
            for (int w = 1; w < ways; w++)
            {
                var helperError = Helpers[w - 1].Wait();  // every helper is waited for, whatever failed
                error ??= helperError;
            }
            if (error is not null) ExceptionDispatchInfo.Throw(error);
        }
        finally
        {
            Gate.Exit();
        }
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

    /// <summary>A background thread that runs one piece of a product each time it is started.</summary>
    private sealed class Helper
    {
        private readonly SemaphoreSlim _start = new(0);
        private readonly SemaphoreSlim _done = new(0);
        private Action<int>? _body;
        private int _index;
        private Exception? _error;

        public Helper(int number)
        {
            new Thread(Loop) { IsBackground = true, Name = $"DaseCV product {number}" }.Start();
        }

        public void Start(Action<int> body, int index)
        {
            _body = body;
            _index = index;
            _error = null;
            _start.Release();
        }

        public Exception? Wait()
        {
            _done.Wait();
            _body = null;  // the product's arrays are not kept alive by an idle helper
            return _error;
        }

        private void Loop()
        {
            while (true)
            {
                _start.Wait();
                try
                {
                    _body!(_index);
                }
                catch (Exception e)
                {
                    _error = e;
                }
                _done.Release();
            }
        }
    }
}
