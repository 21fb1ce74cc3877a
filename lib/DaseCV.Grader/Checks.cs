using System.Globalization;
using DaseCV.Classifiers;
using DaseCV.Grader.Harness;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using static DaseCV.Runner.Text.Feedback;

namespace DaseCV.Grader;

/// <summary>
/// The code checks of one submission, of one exercise: softmax's here, the others' in Checks.Knn.cs, Checks.Svm.cs,
/// Checks.TwoLayerNet.cs and Checks.Tuned.cs (retraining a student's chosen hyperparameters) (the SVM shares softmax's loss checks through a <see cref="LossFamily"/>). Cases are
/// generated here; the expected results come from the instructor's DaseCV, referenced by this project and called in
/// this process only. The student's code runs in one sandboxed harness for all checks (started again after a check
/// that kills it, so a loop or crash costs that check), which only ever receives inputs.
/// </summary>
/// <param name="tuning">The retraining checks' data and the request's choices; null when the exercise has no such check.</param>
internal sealed partial class Checks(Sandbox sandbox, SandboxRun harness, SandboxRun referenceRun, int seed, Checks.Retraining? tuning = null)
{
    /// <summary>Every case is drawn from this submission's own seed: fresh inputs, shown to the instructor to replay them.</summary>
    private readonly int _seed = seed;

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
                current.BeginCheck(TimeFactor(check));
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

        // Speed is judged on time alone, but only of a function that computes something: the loss or the gradient (the
        // distances) right.
        var byId = verdicts.ToDictionary(v => v.Id);
        foreach (var (speedId, rightIds, zh, en) in SpeedNeeds)
            if (byId.TryGetValue(speedId, out var speed) && speed.Fraction > 0 && rightIds.All(id => byId.GetValueOrDefault(id)?.Fraction == 0))
                byId[speedId] = speed with { Fraction = 0, Message = Say(zh, en) + "; " + speed.Message };
        return checks.Select(c => byId[c.Id]).ToList();
    }

    private static CheckVerdict Verdict(CatalogEntry check, (double Fraction, string Message, string Detail) result) =>
        new(check.Id, result.Fraction, Clean(result.Message, MaxMessageChars), Clean(result.Detail, 4000));

    /// <summary>A speed check's verdict counts only when one of these checks is not all wrong.</summary>
    private static readonly (string Speed, string[] Right, string Zh, string En)[] SpeedNeeds =
    [
        ("vectorized-speed", ["vectorized-loss", "vectorized-gradient"], "速度只在损失或梯度正确时计分", "speed counts once the loss or the gradient is right"),
        ("no-loops-speed", ["no-loops-distances"], "速度只在距离正确时计分", "speed counts once the distances are right"),
    ];

    private Task<(double, string, string)> RunAsync(CatalogEntry check, HarnessSession harness) => check.Exercise switch
    {
        "softmax" => RunSoftmax(check, harness),
        "knn" => RunKnn(check, harness),
        "svm" => RunSvm(check, harness),
        "two_layer_net" => RunTwoLayerNet(check, harness),
        "features" => TunedAccuracy(check, harness),
        _ => throw new InvalidOperationException($"no code checks for the exercise '{check.Exercise}' in the grader"),
    };

    private Task<(double, string, string)> RunSoftmax(CatalogEntry check, HarnessSession harness) => check.Id switch
    {
        "naive-loss" => LossMatches(harness, SoftmaxFamily, Wire.Naive, LossCases()),
        "naive-gradient" => GradientMatches(harness, SoftmaxFamily, Wire.Naive, LossCases()),
        "naive-large-scores" => LossMatches(harness, SoftmaxFamily, Wire.Naive, LargeScoreCases(), stability: true),
        "vectorized-loss" => LossMatches(harness, SoftmaxFamily, Wire.Vectorized, LossCases()),
        "vectorized-gradient" => GradientMatches(harness, SoftmaxFamily, Wire.Vectorized, LossCases()),
        "vectorized-large-scores" => LossMatches(harness, SoftmaxFamily, Wire.Vectorized, LargeScoreCases(), stability: true),
        "naive-equals-vectorized" => NaiveEqualsVectorized(harness, SoftmaxFamily),
        "naive-gradient-check" => GradientCheck(harness, SoftmaxFamily, Wire.Naive),
        "vectorized-gradient-check" => GradientCheck(harness, SoftmaxFamily, Wire.Vectorized),
        "vectorized-speed" => Speed(harness, SoftmaxFamily),
        "training-accuracy" => TrainingAccuracy(harness, SoftmaxFamily),
        _ => throw new InvalidOperationException($"no code check '{check.Id}' in the grader"),
    };

    /// <summary>
    /// A loss the linear classifiers share the checks of: the reference, the harness's codes for the student's two
    /// versions and training, what a non-finite result means, and the slips its messages can name.
    /// </summary>
    private sealed record LossFamily(
        Func<Matrix<double>, Matrix<double>, int[], double, (double Loss, Matrix<double> Grad)> Reference,
        byte Naive,
        byte Vectorized,
        byte Train,
        Func<int, LinearClassifier> Classifier,
        Func<double, string> NonFiniteLoss,
        string NonFiniteGradient,
        Func<double, LossCase, double, string?> LossSlip,
        Func<Matrix<double>, LossCase, string?> GradientSlip,
        bool HasKinks);

    private static readonly LossFamily SoftmaxFamily = new(
        SoftmaxLoss.Vectorized, Wire.Naive, Wire.Vectorized, Wire.Train, seed => new Softmax(seed),
        loss => Say(F($"损失溢出（loss = {loss}）：在 exp 之前先减去每一行的最大值"), F($"the loss overflowed (loss = {loss}): subtract each row's maximum score before exp")),
        Say("dW 中有 NaN 或 ∞：在 exp 之前先减去每一行的最大值", "NaN or ∞ in dW: subtract each row's maximum score before exp"),
        LossSlip, GradientSlip, HasKinks: false);

    // ---- the checks ----

    /// <summary>The loss alone, on each case, against the reference's; <paramref name="stability"/>: the large-score cases, where only the row maximum keeps it finite.</summary>
    private static async Task<(double, string, string)> LossMatches(HarnessSession harness, LossFamily family, byte function, IReadOnlyList<LossCase> cases, bool stability = false)
    {
        var failures = new List<string>();
        var detail = new List<string>();
        foreach (var c in cases)
        {
            var expected = family.Reference(c.W, c.X, c.y, c.Reg);
            var actual = (await Call(harness, function, c)).Reply;
            var problem = actual.Threw
                ?? (!double.IsFinite(actual.Loss)
                    ? family.NonFiniteLoss(actual.Loss)
                    : LossDiffers(actual.Loss, expected.Loss) is { } off ? off + (family.LossSlip(actual.Loss, c, expected.Loss) is { } slip ? "; " + slip : "") : null);
            if (problem is null)
                continue;
            failures.Add($"{c.Name}: {problem}");
            detail.Add(F($"{c.Name}: expected loss {expected.Loss:G12}, got {actual.Loss:G12}"));
        }

        return Verdict(cases.Count, failures, string.Join("\n", detail), stability ? "数值稳定" : "损失");
    }

    /// <summary>dW alone, on each case, against the reference's, naming a known slip.</summary>
    private static async Task<(double, string, string)> GradientMatches(HarnessSession harness, LossFamily family, byte function, IReadOnlyList<LossCase> cases)
    {
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var actual = (await Call(harness, function, c)).Reply;
            if (GradientProblem(family, actual, c) is { } problem)
                failures.Add($"{c.Name}: {problem}");
        }

        return Verdict(cases.Count, failures, "", "梯度");
    }

    private async Task<(double, string, string)> NaiveEqualsVectorized(HarnessSession harness, LossFamily family)
    {
        var cases = LossCases();
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var naive = (await Call(harness, family.Naive, c)).Reply;
            var vectorized = (await Call(harness, family.Vectorized, c)).Reply;
            var difference = naive.Threw is not null ? "Naive " + naive.Threw
                : vectorized.Threw is not null ? "Vectorized " + vectorized.Threw
                : naive.Grad is null || vectorized.Grad is null ? Say("梯度为 null", "a gradient is null")
                // Two zero gradients agree on nothing computed.
                : naive.Grad.Enumerate().All(v => v == 0) ? Say("两者的梯度都是零：还没有计算 dW", "both gradients are zero: dW is not computed yet")
                : Agreement(naive, vectorized);
            if (difference is not null)
                failures.Add($"{c.Name}: Vectorized vs Naive: {difference}");
        }

        return failures.Count == 0
            ? (1, Say($"Naive 与 Vectorized 在 {cases.Count} 个用例上一致", $"Naive and Vectorized agree on {cases.Count} cases"), "")
            : (0, string.Join("\n", failures), "");
    }

    /// <summary>
    /// CS231n's sparse gradient check on fresh inputs: 12 random elements of the student's dW against central differences
    /// of the reference loss (so a loss memoised or wrong elsewhere cannot make a wrong gradient pass); the student's own
    /// loss's differences are shown when they tell something.
    /// </summary>
    private async Task<(double, string, string)> GradientCheck(HarnessSession harness, LossFamily family, byte function)
    {
        var c = Case("gradient check", 30, 12, 6, reg: 0.3, wScale: 0.1, xScale: 1, seed: 21);
        var first = (await Call(harness, function, c)).Reply;
        if (first.Threw is not null)
            return (0, first.Threw, "");
        if (first.Grad is null || first.Grad.RowCount != c.W.RowCount || first.Grad.ColumnCount != c.W.ColumnCount)
            return (0, Say("梯度为 null 或形状不对", "the gradient is null or has the wrong shape"), "");
        var random = new Random(_seed + 22);
        const double h = 1e-5;
        const int numChecks = 12;
        var failures = new List<string>();
        for (var k = 0; k < numChecks; k++)
        {
            int i = random.Next(c.W.RowCount), j = random.Next(c.W.ColumnCount);
            var numerical = NumericalGradient(family, c, i, j, h);
            // A hinge's kink between W ± h makes central differences disagree with any analytic gradient (the SVM's
            // question 1): such an element is drawn again.
            for (var redraw = 0; family.HasKinks && redraw < 20 && RelativeError(numerical, family.Reference(c.W, c.X, c.y, c.Reg).Grad[i, j]) >= 1e-7; redraw++)
            {
                (i, j) = (random.Next(c.W.RowCount), random.Next(c.W.ColumnCount));
                numerical = NumericalGradient(family, c, i, j, h);
            }

            var analytic = first.Grad[i, j];
            var relError = RelativeError(numerical, analytic);
            if (!(relError < 1e-5))
                failures.Add(Say(F($"dW[{i}, {j}]：数值梯度 {numerical:G6}，解析梯度 {analytic:G6}，相对误差 {relError:E2}"),
                    F($"dW[{i}, {j}]: numerical {numerical:G6}, analytic {analytic:G6}, relative error {relError:E2}")));
        }

        if (failures.Count == 0)
            return (1, Say($"{numChecks} 个元素的相对误差均 < 1e-5", $"{numChecks} elements: relative error < 1e-5"), "");
        var slip = family.GradientSlip(first.Grad, c) is { } named ? "\n" + named : "";
        return (0, Say($"{numChecks} 个元素中有 {failures.Count} 个与数值梯度不符", $"{failures.Count} of {numChecks} elements disagree with the numerical gradient") + slip + ":\n" + string.Join("\n", failures), "");
    }

    /// <summary>
    /// Time alone, under the same limits as the reference: the reference's Vectorized and its loop over examples (Naive)
    /// run in a sandboxed harness of their own, and batches of the three alternate, each timed here as one round trip, so
    /// a fast laptop and half a CPU give the same verdict. Wrong values do not cost speed points (the other checks judge them).
    /// </summary>
    private async Task<(double, string, string)> Speed(HarnessSession student, LossFamily family)
    {
        // 300 rows of CIFAR's width: the verdict is a ratio, and a class's grading time is mostly this check's.
        var c = Case("dev set", 300, 3073, 10, reg: 5e-6, wScale: 1e-4, xScale: 60, seed: 31);
        var random = new Random(_seed + 32);
        await using var reference = HarnessSession.Start(sandbox, referenceRun);
        reference.BeginCheck();
        // Seven rounds, the first to warm up; the loop, ten times slower and steadier, in every other one.
        const int batch = 5, rounds = 7;
        async Task<(double Milliseconds, string? Threw)> Time(HarnessSession harness, byte function, IReadOnlyList<Matrix<double>> Ws)
        {
            var (replies, elapsed) = await harness.CallAsync(w =>
            {
                w.Write(Wire.LossBatch);
                w.Write(function);
                w.Write(c.Reg);
                Wire.WriteInts(w, c.y);
                w.Write(Ws.Count);
                foreach (var W in Ws)
                    Wire.WriteMatrix(w, W);
            }, r => r.ReadByte() switch
            {
                Wire.Ok => Enumerable.Range(0, Ws.Count).Select(_ => new LossReply(r.ReadDouble(), Wire.ReadMatrix(r), null)).ToList(),
                Wire.Threw => [new LossReply(double.NaN, null, ReadThrew(r))],
                var other => throw new InvalidDataException($"reply {other}"),
            });
            return (elapsed.TotalMilliseconds / Ws.Count, replies.Count == Ws.Count ? null : replies[0].Threw ?? "");
        }

        // X goes to each harness once; every timed call then gets a fresh W, so no result can be reused.
        foreach (var harness in new[] { student, reference })
            if ((await Call(harness, family.Vectorized, c)).Reply.Threw is { } threw)
                return harness == student ? (0, threw, "") : throw new SandboxFault("the reference failed in its sandbox: " + threw);

        return await TimedVerdict(rounds, round => round % 2 == 0,
            () => Enumerable.Range(0, batch).Select(_ => Matrix<double>.Build.Random(c.W.RowCount, c.W.ColumnCount, new Normal(0, 1e-4, random))).ToList(),
            Ws => Time(student, family.Vectorized, Ws),
            async Ws => (await Time(reference, family.Vectorized, Ws)).Milliseconds,
            async Ws => (await Time(reference, family.Naive, Ws[..1])).Milliseconds,
            () => ReferenceFinished(reference),
            new("对样本的循环", "a loop over examples", "loops over examples", "Vectorized", "Naive"));
    }

    /// <summary>The reference harness of a speed check ended cleanly, or the machine is at fault.</summary>
    private static async Task ReferenceFinished(HarnessSession reference)
    {
        if (await reference.FinishAsync() is { } problem)
            throw new SandboxFault("the reference failed in its sandbox: " + problem);
    }

    /// <summary>
    /// Rounds of one fresh input each, timed on the student's code, the reference's matrix code and (where
    /// <paramref name="timesLoop"/>) the reference's loop, one after the other so that all three meet the same load;
    /// the first round warms them up. When the verdict on those rounds is short of full marks, as many rounds again
    /// (a load burst seldom lasts that long), and the verdict on all of them. The verdict, or the student's failure.
    /// </summary>
    private static async Task<(double, string, string)> TimedVerdict<T>(int rounds, Func<int, bool> timesLoop, Func<T> input,
        Func<T, Task<(double Milliseconds, string? Threw)>> student, Func<T, Task<double>> reference, Func<T, Task<double>> loop,
        Func<Task> referenceFinished, SpeedWords words)
    {
        var samples = new List<SpeedRound>();
        for (var round = 0; round < 2 * rounds; round++)
        {
            if (round == rounds && SpeedBands.Verdict(samples, words).Item1 >= 1)
                break;
            var fresh = input();
            var (mine, problem) = await student(fresh);
            if (problem is not null)
                return (0, problem, "");
            var referenceTime = await reference(fresh);
            var loopTime = timesLoop(round) ? await loop(fresh) : double.NaN;
            if (round > 0)
                samples.Add(new(mine, referenceTime, loopTime));
        }

        await referenceFinished();
        return SpeedBands.Verdict(samples, words);
    }

    private async Task<(double, string, string)> TrainingAccuracy(HarnessSession harness, LossFamily family)
    {
        var (XTrain, yTrain, XVal, yVal) = SeparableData(seed: _seed + 51);
        const double learningRate = 1e-3, reg = 1e-2;
        const int numIters = 300, batchSize = 100, seed = 0;

        var reference = family.Classifier(seed);
        reference.Train(XTrain, yTrain, learningRate: learningRate, reg: reg, numIters: numIters, batchSize: batchSize);
        var referenceAccuracy = Accuracy(yVal, reference.Predict(XVal));

        var ((historyCount, predictions, threw), _) = await harness.CallAsync(w =>
        {
            w.Write(family.Train);
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

    private IReadOnlyList<LossCase> LossCases() =>
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
    private IReadOnlyList<LossCase> LargeScoreCases() =>
    [
        LargeScores("large scores (about ±1e4)", 16, 6, 5, reg: 0.0, seed: 14),
        LargeScores("large scores (about ±1e4) with reg", 9, 7, 4, reg: 1e-4, seed: 15),
    ];

    private LossCase LargeScores(string name, int N, int D, int C, double reg, int seed)
    {
        var random = new Random(_seed + seed);
        var W = Matrix<double>.Build.Dense(D, C, (i, _) => i == D - 1 ? 1e4 + Normal.Sample(random, 0, 0.5) : Normal.Sample(random, 0, 0.5));
        var X = Matrix<double>.Build.Dense(N, D, (i, j) => j == D - 1 ? (i % 2 == 0 ? 1 : -1) : Normal.Sample(random, 0, 1));
        var y = Enumerable.Range(0, N).Select(_ => random.Next(C)).ToArray();
        return new LossCase(F($"{name} (N={N}, D={D}, C={C}, reg={reg})"), W, X, y, reg);
    }

    private LossCase Case(string name, int N, int D, int C, double reg, double wScale, double xScale, int seed)
    {
        var random = new Random(_seed + seed);
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
            return "尚未完成 / not implemented: " + Clean(message, 300);
        return Clean($"抛出异常 / threw {type}: {message}" + (frame.Length > 0 ? $" ({frame})" : ""), 600);
    }

    /// <summary>All cases right: full points; else the cases that were not, in the student's terms.</summary>
    private static (double, string, string) Verdict(int count, IReadOnlyList<string> failures, string detail, string what) =>
        failures.Count == 0
            ? (1, Say($"{what}：全部 {count} 个用例一致", $"all {count} cases match"), "")
            : (0, Say($"{what}：{count} 个用例中 {count - failures.Count} 个一致", $"{count - failures.Count} of {count} cases match") + ":\n" + string.Join("\n", failures), detail);

    /// <summary>Null when dW equals the reference's within tolerance, else what differs and, where it is one, the slip by name (never the expected values).</summary>
    private static string? GradientProblem(LossFamily family, LossReply actual, LossCase c)
    {
        if (actual.Threw is not null)
            return actual.Threw;
        if (actual.Grad is null)
            return Say("梯度为 null", "the gradient is null");
        if (actual.Grad.RowCount != c.W.RowCount || actual.Grad.ColumnCount != c.W.ColumnCount)
            return Say($"dW 的形状为 ({actual.Grad.RowCount}, {actual.Grad.ColumnCount})，应与 W 相同",
                $"dW is ({actual.Grad.RowCount}, {actual.Grad.ColumnCount}); expected W's shape ({c.W.RowCount}, {c.W.ColumnCount})");
        if (actual.Grad.Enumerate().Any(v => !double.IsFinite(v)))
            return family.NonFiniteGradient;
        var expected = family.Reference(c.W, c.X, c.y, c.Reg).Grad;
        if (Near(actual.Grad, expected))
            return null;
        var difference = actual.Grad - expected;
        var scale = Math.Max(1, expected.Enumerate().Max(Math.Abs));
        var worst = difference.Enumerate().Select(Math.Abs).Select((v, k) => (v, k)).MaxBy(p => p.v).k;
        var at = F($"dW[{worst % c.W.RowCount}, {worst / c.W.RowCount}]");
        var by = F($"{difference.Enumerate().Max(Math.Abs) / scale:E1}");
        var where = Say($"dW 最多相差 {by}（相对），首先在 {at}", $"dW differs by up to {by} (relative), first at {at}");
        return family.GradientSlip(actual.Grad, c) is { } slip ? slip + "; " + where : where;
    }

    /// <summary>Vectorized's result against Naive's: null when they agree.</summary>
    private static string? Agreement(LossReply naive, LossReply vectorized)
    {
        var problems = new List<string>();
        if (Math.Abs(naive.Loss - vectorized.Loss) / Math.Max(1, Math.Abs(naive.Loss)) > 1e-8 || !double.IsFinite(vectorized.Loss))
            problems.Add(Say("损失不同", "losses differ") + F($" ({vectorized.Loss:G10} vs {naive.Loss:G10})"));
        if (vectorized.Grad!.RowCount != naive.Grad!.RowCount || vectorized.Grad.ColumnCount != naive.Grad.ColumnCount)
            problems.Add(Say("dW 形状不同", "dW shapes differ") + F($" ({vectorized.Grad.RowCount}, {vectorized.Grad.ColumnCount}) vs ({naive.Grad.RowCount}, {naive.Grad.ColumnCount})"));
        else if (!Near(vectorized.Grad, naive.Grad))
            problems.Add(Say("dW 不同", "dW differs") + F($" (up to {(vectorized.Grad - naive.Grad).Enumerate().Max(Math.Abs):E1})"));
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>The usual slips in dW, recognised by what the reference would have given with them.</summary>
    private static string? GradientSlip(Matrix<double> actual, LossCase c)
    {
        var (_, expected) = SoftmaxLoss.Vectorized(c.W, c.X, c.y, c.Reg);
        var regularization = 2 * c.Reg * c.W;
        var data = expected - regularization;
        double N = c.X.RowCount;
        var slips = new List<(Matrix<double> Would, string Zh, string En)>();
        if (N > 1)
        {
            slips.Add((N * data + regularization, "dW 未除以 N（数据项应为 Xᵀ(P−Y)/N）", "dW not divided by N (the data term is Xᵀ(P−Y)/N)"));
            slips.Add((N * expected, "dW 未除以 N（数据项应为 Xᵀ(P−Y)/N）", "dW not divided by N (the data term is Xᵀ(P−Y)/N)"));
            slips.Add((data / N + regularization, "dW 被除以了两次 N", "dW divided by N twice"));
        }

        if (c.Reg > 0)
        {
            slips.Add((data, "dW 缺少正则项的梯度 2·reg·W", "dW lacks the regularization gradient 2·reg·W"));
            slips.Add((data + c.Reg * c.W, "正则项的梯度是 2·reg·W，不是 reg·W", "the regularization gradient is 2·reg·W, not reg·W"));
        }

        slips.Add((-expected, "dW 的符号反了（应为 P − Y，不是 Y − P）", "dW has the wrong sign (P − Y, not Y − P)"));
        return slips.FirstOrDefault(s => Near(actual, s.Would)) is { Zh: not null } found ? Say(found.Zh, found.En) : null;
    }

    /// <summary>The usual slips in the loss, recognised the same way.</summary>
    private static string? LossSlip(double actual, LossCase c, double expected) =>
        NamedLossSlip(actual, MeanLossSlips(expected, c.Reg * c.W.Enumerate().Sum(w => w * w), c.X.RowCount, "平均交叉熵", "the mean cross-entropy", "reg·ΣW²"));

    /// <summary>
    /// The slips of a mean loss plus an L2 term, by the value each would give: not divided by N (the data part N times
    /// too large), the term missing, the term halved.
    /// </summary>
    private static List<(double Would, string Zh, string En)> MeanLossSlips(double expected, double regularization, double N, string meanZh, string meanEn, string term)
    {
        var data = expected - regularization;
        var slips = new List<(double Would, string Zh, string En)>();
        if (N > 1)
            slips.Add((N * data + regularization, $"损失未除以 N（应为{meanZh}）", $"the loss is not divided by N (it is {meanEn})"));
        if (regularization > 1e-6 * Math.Abs(expected))
        {
            slips.Add((data, $"损失缺少正则项 {term}", $"the loss lacks the regularization term {term}"));
            slips.Add((data + regularization / 2, $"正则项是 {term}，不是 0.5·{term}", $"the regularization term is {term}, not 0.5·{term}"));
        }

        return slips;
    }

    /// <summary>The first slip whose value the loss equals, by name; null when none.</summary>
    private static string? NamedLossSlip(double actual, IEnumerable<(double Would, string Zh, string En)> slips) =>
        slips.FirstOrDefault(s => LossDiffers(actual, s.Would) is null) is { Zh: not null } found ? Say(found.Zh, found.En) : null;

    private static bool Near(Matrix<double> actual, Matrix<double> expected)
    {
        if (actual.RowCount != expected.RowCount || actual.ColumnCount != expected.ColumnCount)
            return false;
        var scale = Math.Max(1, expected.Enumerate().Max(Math.Abs));
        return (actual - expected).Enumerate().Max(Math.Abs) <= 1e-7 * scale;
    }

    private static string? LossDiffers(double actual, double expected)
    {
        var error = Math.Abs(actual - expected) / Math.Max(1, Math.Abs(expected));
        return error <= 1e-8 ? null : Say(F($"损失 {actual:G10} 的相对误差为 {error:E1}"), F($"loss {actual:G10} is off by a relative {error:E1}"));
    }

    /// <summary>Central differences of the reference loss in W[i, j].</summary>
    private static double NumericalGradient(LossFamily family, LossCase c, int i, int j, double h)
    {
        var plusW = c.W.Clone();
        plusW[i, j] += h;
        var minusW = c.W.Clone();
        minusW[i, j] -= h;
        return (family.Reference(plusW, c.X, c.y, c.Reg).Loss - family.Reference(minusW, c.X, c.y, c.Reg).Loss) / (2 * h);
    }

    /// <summary>CS231n's relative error |a − b| / (|a| + |b|), 0 when both are 0.</summary>
    private static double RelativeError(double numerical, double analytic)
    {
        var denominator = Math.Abs(numerical) + Math.Abs(analytic);
        return denominator == 0 ? 0 : Math.Abs(numerical - analytic) / denominator;
    }

    private static double Accuracy(int[] y, int[] yPred) => y.Zip(yPred).Average(p => p.First == p.Second ? 1.0 : 0.0);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
