namespace DaseCV.Kernels;

/// <summary>How many cores a kernel call may split its work over.</summary>
internal static class Cores
{
    // Trainings running right now, across threads. When several run at once (the notebook's tuning cell trains its
    // (lr, reg) configurations in a Parallel.ForEach), they already keep every core busy, and splitting each kernel
    // call on top only adds hand-offs: the 42-configuration grid took 71 s with nested splits, 58 s without.
    // It decides speed only: a split never changes a result.
    private static int s_activeTrainings;

    /// <summary>
    /// Parts to split <paramref name="work"/> multiply-adds into: 1 below <paramref name="threshold"/> or while other
    /// trainings keep the cores busy, else one per core, at most <paramref name="maxParts"/>.
    /// </summary>
    /// <remarks>
    /// The split never changes a result (each output element is summed in the same order), only the speed.
    /// </remarks>
    public static int Parts(long work, long threshold, int maxParts) =>
        work < threshold || Volatile.Read(ref s_activeTrainings) > 1
            ? 1
            : Math.Clamp(Environment.ProcessorCount, 1, Math.Max(1, maxParts));

    /// <summary>Marks a training as running until the returned scope is disposed.</summary>
    public static TrainingScope EnterTraining()
    {
        Interlocked.Increment(ref s_activeTrainings);
        return new TrainingScope();
    }

    /// <summary>A running training; see <see cref="EnterTraining"/>.</summary>
    public readonly struct TrainingScope : IDisposable
    {
        /// <summary>Marks the training as finished.</summary>
        public void Dispose() => Interlocked.Decrement(ref s_activeTrainings);
    }
}
