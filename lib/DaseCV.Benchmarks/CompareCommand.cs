using System.Globalization;
using System.Text.Json;
using DaseCV.Classifiers;

namespace DaseCV.Benchmarks;

/// <summary>
/// <c>compare</c>: times the issue-5 workloads through the public API and runs <c>softmax_np.py dev</c> and
/// <c>train</c> in the same run, alternating, and prints each C# time, numpy's, and their ratio.
/// </summary>
internal static class CompareCommand
{
    public static int Run(string[] args)
    {
        var options = Options.Parse(args);
        var numpy = new NumpyReference(options.Get("--python", "/usr/bin/python3"), options.Get("--script", NumpyReference.DefaultScript()));
        int rounds = int.Parse(options.Get("--rounds", "2"), CultureInfo.InvariantCulture);
        int iters = int.Parse(options.Get("--iters", "1500"), CultureInfo.InvariantCulture);
        bool train = !options.Has("--dev-only");

        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, Vector<double>.Count = {System.Numerics.Vector<double>.Count}, " +
                          $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
        var rows = new List<(string Workload, double Ours, double Numpy, string Note)>();

        var (XDev, yDev, WDev) = Workloads.Dev();
        for (int r = 0; r < rounds; r++)
        {
            var np = numpy.Run("dev", "--naive", "0");
            double ours = Timing.Median(() => SoftmaxLoss.Vectorized(WDev, XDev, yDev, 5e-6), warmup: 20, repeats: 200);
            rows.Add(("SoftmaxLoss.Vectorized, dev 500 × 3073 (median of 200)", ours, np.GetProperty("vectorized").GetProperty("median").GetDouble(), $"round {r + 1}"));
            Report(rows[^1]);
        }
        if (train)
        {
            Console.WriteLine("building the 49000 × 3073 + 1000 × 3073 CIFAR-like matrices …");
            // Training rows as bytes, validation rows as doubles: the layouts Cifar10.GetForLinearClassifier returns.
            var (XTrain, yTrain, mean) = Workloads.CifarLikePixels(49000, seed: 1);
            var (XVal, yVal) = Workloads.CifarLike(1000, seed: 2, mean);
            for (int r = 0; r < rounds; r++)
            {
                var np = numpy.Run("train", "--iters", iters.ToString(CultureInfo.InvariantCulture));
                var softmax = new Softmax(seed: r);
                double total = Timing.Once(() => softmax.Train(XTrain, yTrain, learningRate: 1e-7, reg: 2.5e4, numIters: iters, batchSize: 200));
                double npIter = np.GetProperty("train_total_s").GetDouble() / iters;
                double npMedian = np.GetProperty("iter").GetProperty("median").GetDouble();
                rows.Add(($"one SGD iteration of Softmax.Train, batch 200 of 49000 × 3073 (mean of {iters})", total / iters, npIter,
                    $"round {r + 1}; numpy median {Ms(npMedian)}"));
                Report(rows[^1]);
                double predict = Timing.Median(() => { softmax.Predict(XTrain); softmax.Predict(XVal); }, warmup: 1, repeats: 3);
                rows.Add(("Predict on 49000 + 1000 rows (median of 3)", predict, np.GetProperty("predict").GetProperty("median").GetDouble(), $"round {r + 1}"));
                Report(rows[^1]);
            }
        }

        Console.WriteLine();
        Console.WriteLine("| workload | C# | numpy (same run) | ratio | note |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var row in rows)
            Console.WriteLine($"| {row.Workload} | {Ms(row.Ours)} | {Ms(row.Numpy)} | {row.Ours / row.Numpy:0.00}× | {row.Note} |");
        return 0;
    }

    private static void Report((string Workload, double Ours, double Numpy, string Note) row) =>
        Console.WriteLine($"{row.Workload}: C# {Ms(row.Ours)}, numpy {Ms(row.Numpy)}, ratio {row.Ours / row.Numpy:0.00} ({row.Note})");

    internal static string Ms(double seconds) => (seconds * 1e3).ToString("0.000", CultureInfo.InvariantCulture) + " ms";
}
