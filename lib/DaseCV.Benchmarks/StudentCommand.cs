using System.Globalization;
using DaseCV.Classifiers;
using DaseCV.LinearAlgebra;

namespace DaseCV.Benchmarks;

/// <summary>
/// <c>student</c>: the student's own code (<see cref="StudentSoftmax"/>, plain MathNet) on the library's data types,
/// side by side with numpy's CS231n code in the same run: the dev loss, one SGD step as a <see cref="LinearClassifier"/>
/// subclass's <c>Loss</c> (also with <c>X.Transpose() * dScores</c>), and an argmax-of-<c>X * W</c> Predict on 49,000
/// rows. Targets (issue 19): dev ≤ 1×, step ≤ 0.5×, the Transpose() step within 1.2× of the
/// TransposeThisAndMultiply one, Predict ≤ 1×.
/// </summary>
internal static class StudentCommand
{
    public static int Run(NumpyReference numpy, int rounds, int iters)
    {
        Report.Header();
        var rows = DevLoss.TimeAgainstNumpy(numpy, rounds, "student softmax_loss_vectorized", StudentSoftmax.Loss);
        // The dense dev set's Transpose() is MathNet's own strided copy (DenseMatrix storage; no hook): shown, no target.
        rows.AddRange(DevLoss.TimeAgainstNumpy(numpy, 1, "the same with X.Transpose() * dScores",
            (W, X, y, reg) => StudentSoftmax.Loss(W, X, y, reg, transpose: true), target: double.PositiveInfinity));
        Console.WriteLine("building the 49000 × 3073 CIFAR-like training matrix (bytes, as Cifar10.GetForLinearClassifier holds it) …");
        var (XTrain, yTrain, mean) = Workloads.CifarLikePixels(49000, seed: 1);
        var (XVal, _) = Workloads.CifarLike(1000, seed: 2, mean);
        // The first steps of a process run tier-0 JIT code (MathNet's and the student's): timed once, as a note; the
        // rows are the steady state after a 300-step warm-up, as the targets ask.
        double cold = Timing.Once(() => new StudentSoftmax.Classifier(seed: 99).Train(XTrain, yTrain, learningRate: 1e-7, reg: 2.5e4, numIters: 100)) / 100;
        for (int r = 0; r < rounds; r++)
        {
            var np = numpy.Run("train", "--iters", iters.ToString(CultureInfo.InvariantCulture));
            double npStep = np.GetProperty("train_total_s").GetDouble() / iters;
            double step = Timing.Steps(new StudentSoftmax.Classifier(seed: r), XTrain, yTrain, iters, warmup: 300).Seconds;
            double stepT = Timing.Steps(new StudentSoftmax.Classifier(seed: r, transpose: true), XTrain, yTrain, iters, warmup: 300).Seconds;
            rows.Add(Report.Add($"one SGD step, student Loss in a LinearClassifier subclass (mean of {iters})", step, npStep,
                $"round {r + 1}; first 100 steps of the process {Report.Ms(cold)} each", target: 0.5));
            rows.Add(Report.Add($"the same with X.Transpose() * dScores (mean of {iters})", stepT, npStep, $"round {r + 1}", target: 0.5 * 1.2));
            rows.Add(Report.Add("  X.Transpose() * dScores step ÷ TransposeThisAndMultiply step (C# ÷ C#, not numpy)", stepT, step,
                $"round {r + 1}", target: 1.2));
            var student = new StudentSoftmax.Classifier(seed: r);
            student.Train(XTrain, yTrain, learningRate: 1e-7, reg: 2.5e4, numIters: 20);
            double predict = Timing.Median(() => { StudentSoftmax.Predict(student.W!, XTrain); StudentSoftmax.Predict(student.W!, XVal); },
                warmup: 1, repeats: 3);
            rows.Add(Report.Add("student Predict, argmax(X * W) on 49000 + 1000 rows (median of 3)", predict,
                np.GetProperty("predict").GetProperty("median").GetDouble(), $"round {r + 1}", target: 1.0));
        }
        return Report.Table(rows);
    }
}
