using System.Diagnostics;
using System.Globalization;
using DaseCV.Classifiers;
using DaseCV.Grader.Harness;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using static DaseCV.Grader.Feedback;

namespace DaseCV.Grader;

/// <summary>
/// The code checks of one submission. Cases are generated here; the expected results come from the instructor's
/// DaseCV, referenced by this project and called in this process only. The student's code runs in one sandboxed
/// harness for all checks (started again after a check that kills it, so a loop or crash costs that check), which
/// only ever receives inputs.
/// </summary>
internal sealed class Checks(Sandbox sandbox, SandboxRun harness)
{
    /// <summary>What one check may tell the student, all cases together.</summary>
    private const int MaxMessageChars = 1500;

    private sealed record LossCase(string Name, Matrix<double> W, Matrix<double> X, int[] y, double Reg);

    private sealed record LossReply(double Loss, Matrix<double>? Grad, string? Threw);

    /// <summary>Every check in <paramref name="checks"/>, in order; a reply counts once the harness that gave it exits cleanly or fails later, in another check.</summary>
    /// <exception cref="SandboxFault">The sandbox itself failed: nothing of this submission can be judged.</exception>
    public async Task<IReadOnlyList<CheckVerdict>> RunAllAsync(IReadOnlyList<CatalogEntry> checks)
    {
        var verdicts = new List<CheckVerdict>();
        var session = new List<(CatalogEntry Check, (double Fraction, string Message, string Detail) Result)>();
        HarnessSession? current = null;
        try
        {
            foreach (var check in checks)
            {
                current ??= HarnessSession.Start(sandbox, harness);
                current.BeginCheck();
                try
                {
                    var result = await RunAsync(check, current);
                    // A limit the kernel enforced during this check (a refused thread the code caught, say) is this check's.
                    if (current.KernelStopped() is { } breach)
                        throw new HarnessFailure(breach);
                    session.Add((check, result));
                }
                catch (HarnessFailure failure)
                {
                    // The replies before this check came from a harness that was still well then.
                    verdicts.AddRange(session.Select(s => Verdict(s.Check, s.Result)));
                    session.Clear();
                    verdicts.Add(new CheckVerdict(check.Id, 0, Clean(failure.Message, MaxMessageChars), ""));
                    await current.DisposeAsync();
                    current = null;
                }
            }

            // Only a clean exit within the limits counts for the last harness's results: a crash, a kill or a hang at
            // the end zeroes them.
            if (current is not null && await current.FinishAsync() is { } problem)
                verdicts.AddRange(session.Select(s => new CheckVerdict(s.Check.Id, 0, Clean(problem, MaxMessageChars), s.Result.Detail)));
            else
                verdicts.AddRange(session.Select(s => Verdict(s.Check, s.Result)));
        }
        finally
        {
            if (current is not null)
                await current.DisposeAsync();
        }

        return checks.Select(c => verdicts.Single(v => v.Id == c.Id)).ToList();
    }

    private static CheckVerdict Verdict(CatalogEntry check, (double Fraction, string Message, string Detail) result) =>
        new(check.Id, result.Fraction, Clean(result.Message, MaxMessageChars), Clean(result.Detail, 4000));

    private static Task<(double, string, string)> RunAsync(CatalogEntry check, HarnessSession harness) => check.Id switch
    {
        "naive-loss" => MatchesReference(harness, Wire.Naive, SoftmaxLoss.Naive, LossCases()),
        "naive-large-scores" => MatchesReference(harness, Wire.Naive, SoftmaxLoss.Naive, LargeScoreCases()),
        "vectorized-loss" => MatchesReference(harness, Wire.Vectorized, SoftmaxLoss.Vectorized, LossCases()),
        "vectorized-large-scores" => MatchesReference(harness, Wire.Vectorized, SoftmaxLoss.Vectorized, LargeScoreCases()),
        "naive-equals-vectorized" => NaiveEqualsVectorized(harness),
        "naive-gradient-check" => GradientCheck(harness, Wire.Naive),
        "vectorized-gradient-check" => GradientCheck(harness, Wire.Vectorized),
        "vectorized-speed" => Speed(harness),
        "training-accuracy" => TrainingAccuracy(harness),
        _ => throw new InvalidOperationException($"no code check '{check.Id}' in the grader"),
    };

    // ---- the checks ----

    private static async Task<(double, string, string)> MatchesReference(HarnessSession harness, byte function, Func<Matrix<double>, Matrix<double>, int[], double, (double, Matrix<double>)> reference, IReadOnlyList<LossCase> cases)
    {
        var failures = new List<string>();
        var detail = new List<string>();
        foreach (var c in cases)
        {
            var expected = reference(c.W, c.X, c.y, c.Reg);
            var actual = (await Call(harness, function, c)).Reply;
            if (Compare(actual, expected, c) is { } difference)
            {
                failures.Add($"{c.Name}: {difference}");
                detail.Add(F($"{c.Name}: expected loss {expected.Item1:G12}, got {actual.Loss:G12}"));
            }
        }

        return failures.Count == 0
            ? (1, Say($"全部 {cases.Count} 个用例一致", $"all {cases.Count} cases match"), "")
            : (0, Say($"{cases.Count} 个用例中 {cases.Count - failures.Count} 个一致", $"{cases.Count - failures.Count} of {cases.Count} cases match") + ":\n" + string.Join("\n", failures),
                string.Join("\n", detail));
    }

    private static async Task<(double, string, string)> NaiveEqualsVectorized(HarnessSession harness)
    {
        var cases = LossCases().Concat(LargeScoreCases()).ToList();
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var naive = (await Call(harness, Wire.Naive, c)).Reply;
            var vectorized = (await Call(harness, Wire.Vectorized, c)).Reply;
            var difference = naive.Threw is not null ? "Naive " + naive.Threw
                : vectorized.Threw is not null ? "Vectorized " + vectorized.Threw
                : naive.Grad is null ? Say("Naive 返回的梯度为 null", "Naive returned a null gradient")
                // Agreeing on a wrong loss (zeros for both, say) is no agreement that counts.
                : LossDiffers(naive.Loss, SoftmaxLoss.Naive(c.W, c.X, c.y, c.Reg).Loss) is { } wrongLoss ? "Naive: " + wrongLoss
                : Compare(vectorized, (naive.Loss, naive.Grad), c);
            if (difference is not null)
                failures.Add($"{c.Name}: Vectorized vs Naive: {difference}");
        }

        return failures.Count == 0
            ? (1, Say($"Naive 与 Vectorized 在 {cases.Count} 个用例上一致", $"Naive and Vectorized agree on {cases.Count} cases"), "")
            : (0, string.Join("\n", failures), "");
    }

    private static async Task<(double, string, string)> GradientCheck(HarnessSession harness, byte function)
    {
        var c = Case("gradient check", 30, 12, 6, reg: 0.3, wScale: 0.1, xScale: 1, seed: 21);
        var first = (await Call(harness, function, c)).Reply;
        if (first.Threw is not null)
            return (0, first.Threw, "");
        if (first.Grad is null || first.Grad.RowCount != c.W.RowCount || first.Grad.ColumnCount != c.W.ColumnCount)
            return (0, Say("梯度为 null 或形状不对", "the gradient is null or has the wrong shape"), "");
        // A gradient consistent with a wrong loss (zeros for both, say) is no gradient check passed.
        if (LossDiffers(first.Loss, SoftmaxLoss.Vectorized(c.W, c.X, c.y, c.Reg).Loss) is { } wrongLoss)
            return (0, Say("损失值本身不正确，梯度检验不计分", "the loss itself is wrong, so the gradient check does not count") + ": " + wrongLoss, "");
        var random = new Random(22);
        const double h = 1e-5;
        const int numChecks = 12;
        var failures = new List<string>();
        for (var k = 0; k < numChecks; k++)
        {
            int i = random.Next(c.W.RowCount), j = random.Next(c.W.ColumnCount);
            var plusW = c.W.Clone();
            plusW[i, j] += h;
            var minusW = c.W.Clone();
            minusW[i, j] -= h;
            var plus = (await Call(harness, function, c with { W = plusW }, sameX: true)).Reply;
            var minus = (await Call(harness, function, c with { W = minusW }, sameX: true)).Reply;
            if ((plus.Threw ?? minus.Threw) is { } threw)
                return (0, threw, "");
            var numerical = (plus.Loss - minus.Loss) / (2 * h);
            var analytic = first.Grad[i, j];
            var denominator = Math.Abs(numerical) + Math.Abs(analytic);
            var relError = denominator == 0 ? 0 : Math.Abs(numerical - analytic) / denominator;
            if (!(relError < 1e-5))
                failures.Add(F($"dW[{i}, {j}]: numerical {numerical:G6}, analytic {analytic:G6}, relative error {relError:E2}"));
        }

        return failures.Count == 0
            ? (1, Say($"{numChecks} 个元素的相对误差均 < 1e-5", $"{numChecks} elements: relative error < 1e-5"), "")
            : (0, Say($"{numChecks} 个元素中有 {failures.Count} 个与数值梯度不符", $"{failures.Count} of {numChecks} elements disagree with the numerical gradient") + ":\n" + string.Join("\n", failures), "");
    }

    private static async Task<(double, string, string)> Speed(HarnessSession harness)
    {
        var c = Case("dev set", 500, 3073, 10, reg: 5e-6, wScale: 1e-4, xScale: 60, seed: 31);
        var random = new Random(32);
        var warmUp = await Call(harness, Wire.Vectorized, c);
        if (warmUp.Reply.Threw is not null)
            return (0, warmUp.Reply.Threw, "");

        // Each round: a batch of calls, each on a fresh W (no result can be reused), timed by this process as one
        // round trip, so the harness's clock is never trusted and a process wake-up is shared by the whole batch.
        // The reference runs the same batch here, interleaved; best round of each, as a busy machine slows both.
        // The reference's loop over examples (Naive) is timed too: the student's time is judged against both, so a
        // machine busy enough to slow multi-threaded matrix code more than a loop does not blur the line.
        const int rounds = 9, batch = 5;
        double best = double.MaxValue, bestReference = double.MaxValue, bestLoop = double.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var Ws = Enumerable.Range(0, batch).Select(_ => Matrix<double>.Build.Random(c.W.RowCount, c.W.ColumnCount, new Normal(0, 1e-4, random))).ToList();
            var start = Stopwatch.GetTimestamp();
            var expected = Ws.Select(W => SoftmaxLoss.Vectorized(W, c.X, c.y, c.Reg)).ToList();
            var referenceTime = Stopwatch.GetElapsedTime(start).TotalMilliseconds / batch;
            start = Stopwatch.GetTimestamp();
            SoftmaxLoss.Naive(Ws[0], c.X, c.y, c.Reg);
            var loopTime = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var (replies, elapsed) = await harness.CallAsync(w =>
            {
                w.Write(Wire.LossBatch);
                w.Write(Wire.Vectorized);
                w.Write(c.Reg);
                Wire.WriteInts(w, c.y);
                w.Write(batch);
                foreach (var W in Ws)
                    Wire.WriteMatrix(w, W);
            }, r => r.ReadByte() switch
            {
                Wire.Ok => Enumerable.Range(0, batch).Select(_ => new LossReply(r.ReadDouble(), Wire.ReadMatrix(r), null)).ToList(),
                Wire.Threw => [new LossReply(double.NaN, null, ReadThrew(r))],
                var other => throw new InvalidDataException($"reply {other}"),
            });
            if (replies.Count != batch)
                return (0, replies[0].Threw ?? "", "");
            for (var k = 0; k < batch; k++)
                if (Compare(replies[k], expected[k], c with { W = Ws[k] }) is { } wrong)
                    return (0, Say("计时调用的结果不正确", "a timed call returned a wrong result") + ": " + wrong, "");
            if (round == 0)
                continue;  // the first fresh round warms both up
            bestReference = Math.Min(bestReference, referenceTime);
            bestLoop = Math.Min(bestLoop, loopTime);
            best = Math.Min(best, elapsed.TotalMilliseconds / batch);
        }

        // Full marks up to the larger of the geometric mean of matrix code and loop and 4× the matrix code plus a
        // little, never beyond 70% of the loop's time; half up to 80% of the loop's time; a loop over examples
        // (about 100% of it) earns nothing. The instructor's Naive is no tight loop, so half of its time is no bound.
        var full = Math.Min(Math.Max(Math.Sqrt(bestReference * bestLoop), 4 * bestReference + 2), 0.7 * bestLoop);
        var summary = F($"yours {best:F2} ms per call; matrix code {bestReference:F2} ms, a loop over examples {bestLoop:F2} ms");
        var detail = F($"best student round trip per call {best:F3} ms, reference Vectorized {bestReference:F3} ms, reference Naive {bestLoop:F3} ms");
        // A machine so busy that matrix code is not even 3× faster than the loop cannot tell the two apart: the
        // benefit of the doubt goes to the student, and the instructor sees why.
        if (bestLoop < 3 * bestReference)
            return (1, Say(F($"每次调用 {best:F2} ms"), summary), detail + "; not judged: the machine was too busy to tell matrix code from a loop");
        if (best <= full)
            return (1, Say(F($"每次调用 {best:F2} ms，与矩阵运算相当（参考 {bestReference:F2} ms）"), summary), detail);
        if (best <= 0.8 * bestLoop)
            return (0.5, Say("比矩阵运算慢得多，得一半分：请用矩阵运算代替对样本的循环",
                summary + "; much slower than matrix code, half the points: use matrix operations, not loops over examples"), detail);
        return (0, Say("与对样本的循环一样慢：请用矩阵运算代替对样本的循环",
            summary + "; as slow as a loop over examples: use matrix operations, not loops over examples"), detail);
    }

    private static async Task<(double, string, string)> TrainingAccuracy(HarnessSession harness)
    {
        var (XTrain, yTrain, XVal, yVal) = SeparableData(seed: 51);
        const double learningRate = 1e-3, reg = 1e-2;
        const int numIters = 300, batchSize = 100, seed = 0;

        var reference = new Softmax(seed);
        reference.Train(XTrain, yTrain, learningRate: learningRate, reg: reg, numIters: numIters, batchSize: batchSize);
        var referenceAccuracy = Accuracy(yVal, reference.Predict(XVal));

        var ((historyCount, predictions, threw), _) = await harness.CallAsync(w =>
        {
            w.Write(Wire.Train);
            Wire.WriteMatrix(w, XTrain);
            Wire.WriteInts(w, yTrain);
            Wire.WriteMatrix(w, XVal);
            w.Write(learningRate);
            w.Write(reg);
            w.Write(numIters);
            w.Write(batchSize);
            w.Write(seed);
        }, r => r.ReadByte() == Wire.Ok ? (r.ReadInt32(), Wire.ReadInts(r), (string?)null) : (0, null, ReadThrew(r)));
        if (threw is not null)
            return (0, threw, "");
        if (historyCount != numIters)
            return (0, Say($"Train 返回了 {historyCount} 个损失值，应为每轮一个（{numIters}）", $"Train returned {historyCount} losses; expected one per iteration ({numIters})"), "");
        if (predictions is null || predictions.Length != yVal.Length)
            return (0, Say("Predict 返回的标签数不对", $"Predict returned {predictions?.Length ?? 0} labels for {yVal.Length} rows"), "");
        var accuracy = Accuracy(yVal, predictions);
        var summary = F($"validation accuracy {accuracy:F3} (lr {learningRate}, reg {reg}, {numIters} iterations, batch {batchSize})");
        var detail = F($"reference accuracy {referenceAccuracy:F3}");
        return accuracy >= referenceAccuracy - 0.05
            ? (1, Say(F($"验证集准确率 {accuracy:F3}"), summary), detail)
            : (0, Say(F($"验证集准确率 {accuracy:F3}，低于参考实现 0.05 以上"), summary + "; more than 0.05 below the reference's"), detail);
    }

    // ---- cases ----

    private static IReadOnlyList<LossCase> LossCases() =>
    [
        Case("small", 8, 5, 3, reg: 0.0, wScale: 0.5, xScale: 1, seed: 11),
        Case("CIFAR-like", 40, 30, 10, reg: 0.1, wScale: 0.01, xScale: 10, seed: 12),
        Case("one example", 1, 4, 2, reg: 2.5, wScale: 1, xScale: 1, seed: 13),
    ];

    /// <summary>
    /// Scores of about ±1e4 in every row with a spread of a few units: exp overflows (or 0/0) unless each row's
    /// maximum is subtracted first, and with it every probability is moderate, so probs = exp/sum and −log(probs[y])
    /// (CS231n's own solution) is as exact as log-sum-exp. The last column of X is a ±1 bias, W's last row ≈ 1e4.
    /// </summary>
    private static IReadOnlyList<LossCase> LargeScoreCases() =>
    [
        LargeScores("large scores (about ±1e4)", 16, 6, 5, reg: 0.0, seed: 14),
        LargeScores("large scores (about ±1e4) with reg", 9, 7, 4, reg: 1e-4, seed: 15),
    ];

    private static LossCase LargeScores(string name, int N, int D, int C, double reg, int seed)
    {
        var random = new Random(seed);
        var W = Matrix<double>.Build.Dense(D, C, (i, _) => i == D - 1 ? 1e4 + Normal.Sample(random, 0, 0.5) : Normal.Sample(random, 0, 0.5));
        var X = Matrix<double>.Build.Dense(N, D, (i, j) => j == D - 1 ? (i % 2 == 0 ? 1 : -1) : Normal.Sample(random, 0, 1));
        var y = Enumerable.Range(0, N).Select(_ => random.Next(C)).ToArray();
        return new LossCase(F($"{name} (N={N}, D={D}, C={C}, reg={reg})"), W, X, y, reg);
    }

    private static LossCase Case(string name, int N, int D, int C, double reg, double wScale, double xScale, int seed)
    {
        var random = new Random(seed);
        var W = Matrix<double>.Build.Random(D, C, new Normal(0, 1, random)) * wScale;
        var X = Matrix<double>.Build.Random(N, D, new Normal(0, 1, random)) * xScale;
        var y = Enumerable.Range(0, N).Select(_ => random.Next(C)).ToArray();
        return new LossCase(F($"{name} (N={N}, D={D}, C={C}, reg={reg})"), W, X, y, reg);
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

    // ---- talking to the harness ----

    private static Task<(LossReply Reply, TimeSpan Elapsed)> Call(HarnessSession harness, byte function, LossCase c, bool sameX = false) =>
        harness.CallAsync(w =>
        {
            w.Write(Wire.Loss);
            w.Write(function);
            w.Write(c.Reg);
            Wire.WriteInts(w, c.y);
            Wire.WriteMatrix(w, c.W);
            w.Write(sameX ? Wire.SameX : Wire.NewX);
            if (!sameX)
                Wire.WriteMatrix(w, c.X);
        }, r => r.ReadByte() switch
        {
            Wire.Ok => new LossReply(r.ReadDouble(), Wire.ReadMatrix(r), null),
            Wire.Threw => new LossReply(double.NaN, null, ReadThrew(r)),
            var other => throw new InvalidDataException($"reply {other}"),
        });

    /// <summary>The student's exception as they may read it: type, message and the frame it came from, bounded.</summary>
    private static string ReadThrew(BinaryReader r)
    {
        string type = Wire.ReadString(r), message = Wire.ReadString(r), frame = Wire.ReadString(r);
        if (type == nameof(NotImplementedException))
            return "not implemented: " + Clean(message, 300);
        return Clean($"threw {type}: {message}" + (frame.Length > 0 ? $" ({frame})" : ""), 600);
    }

    /// <summary>Null when equal within tolerance, else what differs, in the student's terms (no expected values).</summary>
    private static string? Compare(LossReply actual, (double Loss, Matrix<double> Grad) expected, LossCase c)
    {
        if (actual.Threw is not null)
            return actual.Threw;
        if (actual.Grad is null)
            return Say("梯度为 null", "the gradient is null");
        if (actual.Grad.RowCount != expected.Grad.RowCount || actual.Grad.ColumnCount != expected.Grad.ColumnCount)
            return Say($"dW 的形状为 ({actual.Grad.RowCount}, {actual.Grad.ColumnCount})，应与 W 相同",
                $"dW is ({actual.Grad.RowCount}, {actual.Grad.ColumnCount}); expected W's shape ({c.W.RowCount}, {c.W.ColumnCount})");
        if (!double.IsFinite(actual.Loss) || actual.Grad.Enumerate().Any(v => !double.IsFinite(v)))
            return Say(F($"结果溢出（loss = {actual.Loss}）：在 exp 之前先减去每一行的最大值"),
                F($"the result overflowed (loss = {actual.Loss}, or NaN/∞ in dW): subtract each row's maximum score before exp"));
        var problems = new List<string>();
        if (LossDiffers(actual.Loss, expected.Loss) is { } lossProblem)
            problems.Add(lossProblem);
        var scale = Math.Max(1, expected.Grad.Enumerate().Max(Math.Abs));
        var difference = actual.Grad - expected.Grad;
        var maxDifference = difference.Enumerate().Select(Math.Abs).Max();
        if (!(maxDifference <= 1e-7 * scale))
        {
            var worst = difference.Enumerate().Select(Math.Abs).Select((v, k) => (v, k)).MaxBy(p => p.v).k;
            problems.Add(F($"dW differs by up to {maxDifference / scale:E1} (relative), first at dW[{worst % c.W.RowCount}, {worst / c.W.RowCount}]"));
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private static string? LossDiffers(double actual, double expected)
    {
        var error = Math.Abs(actual - expected) / Math.Max(1, Math.Abs(expected));
        return error <= 1e-8 ? null : F($"loss {actual:G10} is off by a relative {error:E1}");
    }

    private static double Accuracy(int[] y, int[] yPred) => y.Zip(yPred).Average(p => p.First == p.Second ? 1.0 : 0.0);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
