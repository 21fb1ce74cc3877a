using System.Diagnostics;
using System.Text.Json;
using DaseCV.Classifiers;
using DaseCV.Data;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Benchmarks;

/// <summary>
/// The C# side of <c>first-call</c>, run in a process of its own: loads CIFAR-10 as the notebook does, times one
/// operation's first call (the JIT's first sight of it, as a notebook's timing cell sees it in a fresh kernel), then
/// its steady state, and prints one <c>JSON</c> line.
/// </summary>
internal static class FirstCallRun
{
    /// <summary>Every timed operation, in the notebooks' order.</summary>
    public static readonly string[] Ops =
    [
        "knn-two-loops", "knn-one-loop", "knn-no-loops",
        "svm-naive", "svm-vectorized", "softmax-naive", "softmax-vectorized", "student-softmax-vectorized",
        "svm-train", "softmax-train", "student-softmax-train",
    ];

    /// <summary>
    /// Runs <paramref name="op"/> once (the first call), then <paramref name="warmup"/> times untimed and
    /// <paramref name="repeats"/> times timed (the steady state: their median); prints the JSON line.
    /// </summary>
    public static int Run(string op, string root, int warmup, int repeats, int iters)
    {
        Action run;
        if (op.StartsWith("knn-", StringComparison.Ordinal))
        {
            // knn.ipynb: raw pixels, the first 5000 training and 500 test images.
            var (XTrain, yTrain, XTest, _) = Cifar10.Load(root);
            XTrain = XTrain.SubMatrix(0, 5000, 0, XTrain.ColumnCount);
            XTest = XTest.SubMatrix(0, 500, 0, XTest.ColumnCount);
            var classifier = new KNearestNeighbor();
            classifier.Train(XTrain, yTrain[..5000]);
            Func<Matrix<double>, Matrix<double>> distances = op switch
            {
                "knn-two-loops" => classifier.ComputeDistancesTwoLoops,
                "knn-one-loop" => classifier.ComputeDistancesOneLoop,
                "knn-no-loops" => classifier.ComputeDistancesNoLoops,
                _ => throw new ArgumentException($"unknown operation {op}"),
            };
            run = () => distances(XTest);
        }
        else
        {
            // svm.ipynb and softmax.ipynb: get_CIFAR10_data, then W = 0.0001·randn(3073, 10) for the dev-set losses.
            var data = Cifar10.GetForLinearClassifier(root, seed: 0);
            var random = new Random(0);
            var W = Matrix<double>.Build.Dense(data.XDev.ColumnCount, 10, (_, _) => 0.0001 * Normal.Sample(random, 0, 1));
            Func<(double, Matrix<double>)> Dev(Func<Matrix<double>, Matrix<double>, int[], double, (double, Matrix<double>)> loss) =>
                () => loss(W, data.XDev, data.yDev, 0.000005);
            Func<LinearClassifier> Train(Func<LinearClassifier> make) => () =>
            {
                var classifier = make();
                classifier.Train(data.XTrain, data.yTrain, learningRate: 1e-7, reg: 2.5e4, numIters: iters);
                return classifier;
            };
            Func<object> f = op switch
            {
                "svm-naive" => () => Dev(SvmLoss.Naive)(),
                "svm-vectorized" => () => Dev(SvmLoss.Vectorized)(),
                "softmax-naive" => () => Dev(SoftmaxLoss.Naive)(),
                "softmax-vectorized" => () => Dev(SoftmaxLoss.Vectorized)(),
                "student-softmax-vectorized" => () => Dev(StudentSoftmax.Loss)(),
                "svm-train" => Train(() => new LinearSvm(seed: 0)),
                "softmax-train" => Train(() => new Softmax(seed: 0)),
                "student-softmax-train" => Train(() => new StudentSoftmax.Classifier(seed: 0)),
                _ => throw new ArgumentException($"unknown operation {op}"),
            };
            run = () => f();
        }

        long t0 = Stopwatch.GetTimestamp();
        run();
        double first = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        double? steady = repeats > 0 ? Timing.Median(run, warmup, repeats) : null;
        Console.WriteLine("JSON " + JsonSerializer.Serialize(new { op, first, steady, machine = Machine.Description }));
        return 0;
    }
}
