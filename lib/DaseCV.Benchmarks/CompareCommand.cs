using System.Globalization;
using DaseCV.Classifiers;

namespace DaseCV.Benchmarks;

/// <summary>
/// <c>compare</c>: the library's own solution through its public API — the dev loss, one SGD step of
/// <see cref="Softmax"/>.Train and Predict — with <c>softmax_np.py dev</c> and <c>train</c> in the same run, alternating.
/// </summary>
internal static class CompareCommand
{
    public static int Run(NumpyReference numpy, int rounds, int iters, bool devOnly)
    {
        Report.Header();
        var rows = DevLoss.TimeAgainstNumpy(numpy, rounds, "SoftmaxLoss.Vectorized", SoftmaxLoss.Vectorized);
        if (!devOnly)
        {
            Console.WriteLine("building the 49000 × 3073 + 1000 × 3073 CIFAR-like matrices …");
            // Training rows as bytes, validation rows as doubles: the types Cifar10.GetForLinearClassifier returns.
            var (XTrain, yTrain, mean) = Workloads.CifarLikePixels(49000, seed: 1);
            var (XVal, _) = Workloads.CifarLike(1000, seed: 2, mean);
            // The first steps of a process run tier-0 JIT code (MathNet's and the course code's; the kernels are
            // compiled fully at once): timed once, as a note. The rows are the steady state after a 300-step warm-up.
            double cold = Timing.Once(() => new Softmax(seed: 99).Train(XTrain, yTrain, learningRate: 1e-7, reg: 2.5e4, numIters: 100)) / 100;
            for (int r = 0; r < rounds; r++)
            {
                var np = numpy.Run("train", "--iters", iters.ToString(CultureInfo.InvariantCulture));
                var softmax = new Softmax(seed: r);
                double step = Timing.Steps(softmax, XTrain, yTrain, iters, warmup: 300).Seconds;
                double npIter = np.GetProperty("train_total_s").GetDouble() / iters;
                double npMedian = np.GetProperty("iter").GetProperty("median").GetDouble();
                rows.Add(Report.Add($"one SGD step of Softmax.Train, batch 200 of 49000 × 3073 (mean of {iters})", step, npIter,
                    $"round {r + 1}; numpy median {Report.Ms(npMedian)}; first 100 steps of the process {Report.Ms(cold)} each", target: 0.5));
                double predict = Timing.Median(() => { softmax.Predict(XTrain); softmax.Predict(XVal); }, warmup: 1, repeats: 3);
                rows.Add(Report.Add("Predict on 49000 + 1000 rows (median of 3)", predict,
                    np.GetProperty("predict").GetProperty("median").GetDouble(), $"round {r + 1}", target: 1.0));
            }
        }
        return Report.Table(rows);
    }
}
