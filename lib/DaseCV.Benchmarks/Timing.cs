using System.Diagnostics;

namespace DaseCV.Benchmarks;

/// <summary>Wall-clock medians, for the side-by-side runs against numpy (BenchmarkDotNet covers the kernels).</summary>
internal static class Timing
{
    /// <summary>Runs <paramref name="action"/> warmup times, then returns the median of repeats timings, in seconds.</summary>
    public static double Median(Action action, int warmup, int repeats)
    {
        for (int k = 0; k < warmup; k++) action();
        var samples = new double[repeats];
        for (int k = 0; k < repeats; k++)
        {
            long t0 = Stopwatch.GetTimestamp();
            action();
            samples[k] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        Array.Sort(samples);
        return repeats % 2 == 1 ? samples[repeats / 2] : (samples[repeats / 2 - 1] + samples[repeats / 2]) / 2;
    }

    /// <summary>The fastest of repeats runs, in seconds: on a shared, loaded machine the least disturbed one.</summary>
    public static double Min(Action action, int warmup, int repeats)
    {
        for (int k = 0; k < warmup; k++) action();
        double best = double.PositiveInfinity;
        for (int k = 0; k < repeats; k++)
        {
            long t0 = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        return best;
    }

    /// <summary>Seconds taken by one run of <paramref name="action"/>.</summary>
    public static double Once(Action action)
    {
        long t0 = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }
}
