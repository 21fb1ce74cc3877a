using System.Diagnostics;
using System.Globalization;
using DaseCV.Classifiers;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Grader;

/// <summary>
/// The checks that run the student's code (<see cref="Runner.Coursework.Grading.CheckCatalog"/>), each against the
/// reference on cases generated here, which students never see.
/// </summary>
internal static class Checks
{
    /// <summary>One loss case: W (D, C), X (N, D), y, reg, and what it exercises.</summary>
    private sealed record LossCase(string Name, Matrix<double> W, Matrix<double> X, int[] y, double Reg);

    public static CheckOutcome Run(string id, ReferenceLibrary reference) => id switch
    {
        "naive-loss" => MatchesReference(SoftmaxLoss.Naive, reference.SoftmaxNaive, LossCases()),
        "naive-large-scores" => MatchesReference(SoftmaxLoss.Naive, reference.SoftmaxNaive, LargeScoreCases()),
        "vectorized-loss" => MatchesReference(SoftmaxLoss.Vectorized, reference.SoftmaxVectorized, LossCases()),
        "vectorized-large-scores" => MatchesReference(SoftmaxLoss.Vectorized, reference.SoftmaxVectorized, LargeScoreCases()),
        "naive-equals-vectorized" => NaiveEqualsVectorized(),
        "naive-gradient-check" => GradientCheck(SoftmaxLoss.Naive),
        "vectorized-gradient-check" => GradientCheck(SoftmaxLoss.Vectorized),
        "vectorized-speed" => Speed(reference),
        "predict" => Predict(reference),
        "training-accuracy" => TrainingAccuracy(reference),
        _ => new CheckOutcome(0, $"no check '{id}' in the grader"),
    };

    private static IReadOnlyList<LossCase> LossCases() =>
    [
        Case("small", 8, 5, 3, reg: 0.0, wScale: 0.5, xScale: 1, seed: 11),
        Case("CIFAR-like (N=40, D=30, C=10) with reg", 40, 30, 10, reg: 0.1, wScale: 0.01, xScale: 10, seed: 12),
        Case("one example", 1, 4, 2, reg: 2.5, wScale: 1, xScale: 1, seed: 13),
    ];

    // Scores of order 1e4: exp overflows unless each row's maximum is subtracted first.
    private static IReadOnlyList<LossCase> LargeScoreCases() =>
    [
        Case("large scores (~1e4)", 16, 6, 5, reg: 0.0, wScale: 300, xScale: 10, seed: 14),
        Case("large scores (~1e4) with reg", 9, 7, 4, reg: 1e-4, wScale: 300, xScale: 10, seed: 15),
    ];

    /// <summary>All or nothing: every case must match; the message lists the ones that do not.</summary>
    private static CheckOutcome MatchesReference(LossFunction student, LossFunction reference, IReadOnlyList<LossCase> cases)
    {
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var expected = reference(c.W, c.X, c.y, c.Reg);
            var actual = student(c.W.Clone(), c.X.Clone(), (int[])c.y.Clone(), c.Reg);
            if (Compare(actual, expected) is { } difference)
                failures.Add($"{c.Name}: {difference}");
        }

        return Outcome(cases.Count - failures.Count, cases.Count, failures);
    }

    private static CheckOutcome NaiveEqualsVectorized()
    {
        var failures = new List<string>();
        var cases = LossCases().Concat(LargeScoreCases()).ToList();
        foreach (var c in cases)
            if (Compare(SoftmaxLoss.Vectorized(c.W, c.X, c.y, c.Reg), SoftmaxLoss.Naive(c.W, c.X, c.y, c.Reg)) is { } difference)
                failures.Add($"{c.Name}: Vectorized vs Naive: {difference}");
        return failures.Count == 0 ? new CheckOutcome(1, $"Naive and Vectorized agree on {cases.Count} cases") : new CheckOutcome(0, string.Join("\n", failures));
    }

    private static CheckOutcome GradientCheck(LossFunction loss)
    {
        var c = Case("gradient check", 30, 12, 6, reg: 0.3, wScale: 0.1, xScale: 1, seed: 21);
        var (_, grad) = loss(c.W, c.X, c.y, c.Reg);
        var random = new Random(22);
        const double h = 1e-5;
        var failures = new List<string>();
        const int numChecks = 12;
        for (var k = 0; k < numChecks; k++)
        {
            int i = random.Next(c.W.RowCount), j = random.Next(c.W.ColumnCount);
            var W = c.W.Clone();
            var old = W[i, j];
            W[i, j] = old + h;
            var plus = loss(W, c.X, c.y, c.Reg).Loss;
            W[i, j] = old - h;
            var minus = loss(W, c.X, c.y, c.Reg).Loss;
            var numerical = (plus - minus) / (2 * h);
            var analytic = grad[i, j];
            var denominator = Math.Abs(numerical) + Math.Abs(analytic);
            var relError = denominator == 0 ? 0 : Math.Abs(numerical - analytic) / denominator;
            if (!(relError < 1e-5))
                failures.Add(F($"dW[{i}, {j}]: numerical {numerical:G6}, analytic {analytic:G6}, relative error {relError:E2}"));
        }

        return failures.Count == 0
            ? new CheckOutcome(1, $"{numChecks} elements: relative error < 1e-5")
            : new CheckOutcome(0, $"{failures.Count} of {numChecks} elements disagree with the numerical gradient:\n" + string.Join("\n", failures));
    }

    private static CheckOutcome Speed(ReferenceLibrary reference)
    {
        var c = Case("dev set", 500, 3073, 10, reg: 5e-6, wScale: 1e-4, xScale: 60, seed: 31);
        for (var warmUp = 0; warmUp < 2; warmUp++)
        {
            reference.SoftmaxVectorized(c.W, c.X, c.y, c.Reg);
            SoftmaxLoss.Vectorized(c.W, c.X, c.y, c.Reg);
        }

        // Interleaved rounds, best of each: a busy machine slows both alike.
        double best = double.MaxValue, bestReference = double.MaxValue;
        for (var round = 0; round < 7; round++)
        {
            var start = Stopwatch.GetTimestamp();
            reference.SoftmaxVectorized(c.W, c.X, c.y, c.Reg);
            bestReference = Math.Min(bestReference, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            start = Stopwatch.GetTimestamp();
            SoftmaxLoss.Vectorized(c.W, c.X, c.y, c.Reg);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        var ratio = best / bestReference;
        var summary = F($"yours {best:F2} ms, reference {bestReference:F2} ms ({ratio:F1}×)");
        // Plain MathNet matrix code counts as fast; an explicit loop over examples is an order of magnitude slower.
        if (best <= 4 * bestReference + 2)
            return new CheckOutcome(1, summary);
        if (best <= 10 * bestReference + 2)
            return new CheckOutcome(0.5, summary + "; within 10× of the reference earns half: use matrix operations, not loops over examples");
        return new CheckOutcome(0, summary + "; more than 10× slower than the reference: use matrix operations, not loops over examples");
    }

    private static CheckOutcome Predict(ReferenceLibrary reference)
    {
        var c = Case("predict", 200, 20, 10, reg: 0, wScale: 1, xScale: 1, seed: 41);
        var expected = reference.Predict(reference.NewSoftmax(0, c.W.Clone()), c.X);
        var actual = new Softmax(seed: 0) { W = c.W.Clone() }.Predict(c.X.Clone());
        if (actual is null || actual.Length != expected.Length)
            return new CheckOutcome(0, $"Predict returned {actual?.Length.ToString(CultureInfo.InvariantCulture) ?? "null"} labels for {expected.Length} rows");
        var wrong = expected.Zip(actual).Count(p => p.First != p.Second);
        return wrong == 0
            ? new CheckOutcome(1, $"all {expected.Length} labels equal the reference's")
            : new CheckOutcome(0, $"{wrong} of {expected.Length} labels differ from argmax(X·W)");
    }

    private static CheckOutcome TrainingAccuracy(ReferenceLibrary reference)
    {
        var (XTrain, yTrain, XVal, yVal) = SeparableData(seed: 51);
        const double learningRate = 1e-3, reg = 1e-2;
        const int numIters = 300, batchSize = 100;

        var referenceSoftmax = reference.NewSoftmax(0);
        reference.Train(referenceSoftmax, XTrain, yTrain, learningRate, reg, numIters, batchSize);
        var referenceAccuracy = Accuracy(yVal, reference.Predict(referenceSoftmax, XVal));

        var softmax = new Softmax(seed: 0);
        var history = softmax.Train(XTrain, yTrain, learningRate: learningRate, reg: reg, numIters: numIters, batchSize: batchSize);
        if (history is null || history.Count != numIters)
            return new CheckOutcome(0, $"Train returned {history?.Count.ToString(CultureInfo.InvariantCulture) ?? "no"} losses; expected one per iteration ({numIters})");
        var accuracy = Accuracy(yVal, softmax.Predict(XVal));
        var summary = F($"validation accuracy {accuracy:F3}, reference {referenceAccuracy:F3} (lr {learningRate}, reg {reg}, {numIters} iterations, batch {batchSize})");
        // Minibatch sampling may differ from the reference's; a correct SGD loop lands within a few points of it.
        return accuracy >= referenceAccuracy - 0.05 ? new CheckOutcome(1, summary) : new CheckOutcome(0, summary + "; expected at least the reference's minus 0.05");
    }

    /// <summary>Ten Gaussian clusters in 32 dimensions plus a bias column: learnable, not trivially so.</summary>
    private static (Matrix<double> XTrain, int[] yTrain, Matrix<double> XVal, int[] yVal) SeparableData(int seed)
    {
        const int classes = 10, features = 32;
        var random = new Random(seed);
        var means = Matrix<double>.Build.Random(classes, features, new Normal(0, 1, random));
        (Matrix<double>, int[]) Sample(int n)
        {
            var y = Enumerable.Range(0, n).Select(_ => random.Next(classes)).ToArray();
            var X = Matrix<double>.Build.Dense(n, features + 1, (i, j) => j == features ? 1.0 : means[y[i], j] + Normal.Sample(random, 0, 1.2));
            return (X, y);
        }

        var (XTrain, yTrain) = Sample(2000);
        var (XVal, yVal) = Sample(500);
        return (XTrain, yTrain, XVal, yVal);
    }

    private static double Accuracy(int[] y, int[] yPred) => y.Zip(yPred).Average(p => p.First == p.Second ? 1.0 : 0.0);

    private static LossCase Case(string name, int N, int D, int C, double reg, double wScale, double xScale, int seed)
    {
        var random = new Random(seed);
        var W = Matrix<double>.Build.Random(D, C, new Normal(0, 1, random)) * wScale;
        var X = Matrix<double>.Build.Random(N, D, new Normal(0, 1, random)) * xScale;
        var y = Enumerable.Range(0, N).Select(_ => random.Next(C)).ToArray();
        return new LossCase(F($"{name} (N={N}, D={D}, C={C}, reg={reg})"), W, X, y, reg);
    }

    /// <summary>Null when equal within tolerance, else what differs.</summary>
    private static string? Compare((double Loss, Matrix<double> Grad) actual, (double Loss, Matrix<double> Grad) expected)
    {
        if (actual.Grad is null)
            return "the gradient is null";
        if (actual.Grad.RowCount != expected.Grad.RowCount || actual.Grad.ColumnCount != expected.Grad.ColumnCount)
            return $"dW is ({actual.Grad.RowCount}, {actual.Grad.ColumnCount}); expected ({expected.Grad.RowCount}, {expected.Grad.ColumnCount})";
        var problems = new List<string>();
        if (!(Math.Abs(actual.Loss - expected.Loss) <= 1e-8 * Math.Max(1, Math.Abs(expected.Loss))))
            problems.Add(F($"loss {actual.Loss:G10}, expected {expected.Loss:G10}"));
        var scale = Math.Max(1, expected.Grad.Enumerate().Max(Math.Abs));
        var maxDifference = (actual.Grad - expected.Grad).Enumerate().Select(Math.Abs).Max();
        if (!(maxDifference <= 1e-7 * scale))
            problems.Add(F($"dW differs by up to {maxDifference:G4} (largest |dW| {scale:G4})"));
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private static CheckOutcome Outcome(int passed, int total, List<string> failures) =>
        new(failures.Count == 0 ? 1 : 0, failures.Count == 0 ? $"all {total} cases match" : $"{passed} of {total} cases match:\n" + string.Join("\n", failures));

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
