namespace DaseCV.Kernels;

/// <summary>How many cores a kernel call may split its work over.</summary>
internal static class Cores
{
    /// <summary>
    /// Parts to split <paramref name="work"/> multiply-adds into: 1 below <paramref name="threshold"/>, else one per
    /// core, at most <paramref name="maxParts"/>.
    /// </summary>
    /// <remarks>
    /// Nested inside a <c>Parallel.ForEach</c> that already keeps every core busy, a split costs little: the caller
    /// runs the parts that no idle core picks up. The split never changes a result (each output element is summed
    /// in the same order), only the speed.
    /// </remarks>
    public static int Parts(long work, long threshold, int maxParts) =>
        work < threshold ? 1 : Math.Clamp(Environment.ProcessorCount, 1, Math.Max(1, maxParts));
}
