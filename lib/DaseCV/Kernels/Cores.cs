namespace DaseCV.Kernels;

/// <summary>How many cores a kernel call may split its work over.</summary>
internal static class Cores
{
    /// <summary>
    /// Parts to split <paramref name="work"/> multiply-adds into: 1 below <paramref name="threshold"/>, else one per
    /// idle core, at most <paramref name="maxParts"/>.
    /// </summary>
    /// <remarks>
    /// When the caller already keeps every core busy, e.g. a <c>Parallel.ForEach</c> training one classifier per
    /// core, splitting each step again only adds hand-offs and spinning threads, so the kernel runs inline. The split
    /// never changes a result (each output element is summed in the same order), only the speed.
    /// </remarks>
    public static int Parts(long work, long threshold, int maxParts)
    {
        if (work < threshold || maxParts <= 1) return 1;
        ThreadPool.GetAvailableThreads(out int availableWorkers, out _);
        ThreadPool.GetMaxThreads(out int maxWorkers, out _);
        int busy = maxWorkers - availableWorkers;
        int idle = Environment.ProcessorCount - busy;
        return Math.Clamp(idle, 1, maxParts);
    }
}
