using DaseCV;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DaseCV.Classifiers;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Benchmarks;

/// <summary>
/// <c>grid</c>: the seed's tuning cell — 3 learning rates × 14 regularization strengths, 2000 SGD iterations each,
/// then train and validation accuracy — timed wall to wall, with configurations trained concurrently.
/// </summary>
internal static class GridCommand
{
    private static readonly double[] LearningRates = [1e-7, 2e-7, 5e-7];

    private static readonly double[] RegularizationStrengths =
        [.. Enumerable.Range(-3, 7).Select(i => (1 + 0.1 * i) * 1e4), .. Enumerable.Range(-3, 7).Select(i => (5 + 0.1 * i) * 1e4)];

    public static int Run(string? dataRoot, bool synthetic, int parallel, int iters)
    {

        var load = Stopwatch.StartNew();
        Matrix<double> XTrain, XVal;
        int[] yTrain, yVal;
        if (synthetic)
        {
            (var xt, yTrain, var mean) = Workloads.CifarLikePixels(49000, seed: 1);
            (var xv, yVal) = Workloads.CifarLike(1000, seed: 2, mean);
            (XTrain, XVal) = (xt, xv);
        }
        else
        {
            string root = dataRoot
                ?? throw new ArgumentException("grid needs DATA_ROOT (the folder holding cifar-10-batches-bin) or --synthetic.");
            var data = DaseCV.Data.Cifar10.GetForLinearClassifier(root);
            (XTrain, yTrain, XVal, yVal) = (data.XTrain, data.yTrain, data.XVal, data.yVal);
        }
        Report.Header();
        Console.WriteLine($"data: X_train ({XTrain.RowCount}, {XTrain.ColumnCount}), X_val ({XVal.RowCount}, {XVal.ColumnCount}) " +
                          $"in {load.Elapsed.TotalSeconds:0.0} s; {parallel} configuration(s) at a time, {iters} iterations each");

        var configs = (from lr in LearningRates from reg in RegularizationStrengths select (lr, reg)).ToArray();
        var results = new (double Train, double Val)[configs.Length];
        int done = 0;
        var wall = Stopwatch.StartNew();
        Parallel.ForEach(Enumerable.Range(0, configs.Length), new ParallelOptions { MaxDegreeOfParallelism = parallel }, k =>
        {
            var (lr, reg) = configs[k];
            var softmax = new Softmax(seed: k);
            softmax.Train(XTrain, yTrain, learningRate: lr, reg: reg, numIters: iters);
            results[k] = (Accuracy(softmax.Predict(XTrain), yTrain), Accuracy(softmax.Predict(XVal), yVal));
            int n = Interlocked.Increment(ref done);
            Console.WriteLine($"  [{n,2}/{configs.Length}] lr {Py.E(lr)} reg {Py.E(reg)} done at {wall.Elapsed.TotalSeconds:0.0} s");
        });
        double seconds = wall.Elapsed.TotalSeconds;

        var table = new StringBuilder();
        for (int k = 0; k < configs.Length; k++)
            table.AppendLine($"lr {Py.E(configs[k].lr)} reg {Py.E(configs[k].reg)} train accuracy: {Py.F(results[k].Train)} val accuracy: {Py.F(results[k].Val)}");
        Console.Write(table);
        Console.WriteLine($"best validation accuracy achieved during cross-validation: {Py.F(results.Max(r => r.Val))}");
        Console.WriteLine($"table SHA-256 {Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(table.ToString())))[..16]} (same seed → same table, whatever --parallel)");
        Console.WriteLine($"grid: {configs.Length} configurations × {iters} iterations + accuracies in {seconds:0.0} s wall " +
                          $"({parallel} at a time; target ≤ 60 s)");
        return 0;
    }

    private static double Accuracy(int[] predicted, int[] y)
    {
        int correct = 0;
        for (int i = 0; i < y.Length; i++) if (predicted[i] == y[i]) correct++;
        return (double)correct / y.Length;
    }
}
