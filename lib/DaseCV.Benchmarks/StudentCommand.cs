using System.Globalization;
using DaseCV.Classifiers;
using DaseCV.LinearAlgebra;

namespace DaseCV.Benchmarks;

/// <summary>
/// <c>student</c>: the student's own code (<see cref="StudentSoftmax"/>, plain MathNet) on the library's data types,
/// side by side with numpy's CS231n code in the same run: the dev loss, one SGD step as a <see cref="LinearClassifier"/>
/// subclass's <c>Loss</c>, and an argmax-of-<c>X * W</c> Predict on 49,000 rows.
/// </summary>
internal static class StudentCommand
{
    public static int Run(NumpyReference numpy, int rounds, int iters)
    {
        Report.Header();
        var rows = DevLoss.TimeAgainstNumpy(numpy, rounds, "student softmax_loss_vectorized", StudentSoftmax.Loss);
        Console.WriteLine("building the 49000 × 3073 CIFAR-like training matrix (bytes, as Cifar10.GetForLinearClassifier holds it) …");
        var (XTrain, yTrain, mean) = Workloads.CifarLikePixels(49000, seed: 1);
        var (XVal, _) = Workloads.CifarLike(1000, seed: 2, mean);
        for (int r = 0; r < rounds; r++)
        {
            var np = numpy.Run("train", "--iters", iters.ToString(CultureInfo.InvariantCulture));
            var student = new StudentSoftmax.Classifier(seed: r);
            student.Train(XTrain, yTrain, learningRate: 1e-7, reg: 2.5e4, numIters: 20);  // JIT warm-up
            double total = Timing.Once(() => student.Train(XTrain, yTrain, learningRate: 1e-7, reg: 2.5e4, numIters: iters));
            rows.Add(Report.Add($"one SGD step, student Loss in a LinearClassifier subclass (mean of {iters})", total / iters,
                np.GetProperty("train_total_s").GetDouble() / iters, $"round {r + 1}", target: 1.0));
            double predict = Timing.Median(() => { StudentSoftmax.Predict(student.W!, XTrain); StudentSoftmax.Predict(student.W!, XVal); },
                warmup: 1, repeats: 3);
            rows.Add(Report.Add("student Predict, argmax(X * W) on 49000 + 1000 rows (median of 3)", predict,
                np.GetProperty("predict").GetProperty("median").GetDouble(), $"round {r + 1}", target: 1.0));
        }
        return Report.Table(rows);
    }
}
