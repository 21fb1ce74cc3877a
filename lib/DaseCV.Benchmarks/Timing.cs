using System.Diagnostics;
using DaseCV.Classifiers;
using MathNet.Numerics.LinearAlgebra;

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

    /// <summary>
    /// The steady-state SGD step of <paramref name="classifier"/>: <paramref name="warmup"/> steps first (JIT tiers),
    /// then the mean of <paramref name="iters"/>, with gen-2 collections per 1000 steps and GC pause seconds per step.
    /// </summary>
    public static (double Seconds, double Gen2PerThousand, double GcPauseSeconds) Steps(LinearClassifier classifier,
        Matrix<double> X, int[] y, int iters, int warmup)
    {
        classifier.Train(X, y, learningRate: 1e-7, reg: 2.5e4, numIters: warmup);
        int gen2 = GC.CollectionCount(2);
        var pause = GC.GetTotalPauseDuration();
        long t0 = Stopwatch.GetTimestamp();
        classifier.Train(X, y, learningRate: 1e-7, reg: 2.5e4, numIters: iters, batchSize: 200);
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds / iters;
        return (seconds, (GC.CollectionCount(2) - gen2) * 1000.0 / iters, (GC.GetTotalPauseDuration() - pause).TotalSeconds / iters);
    }
}
