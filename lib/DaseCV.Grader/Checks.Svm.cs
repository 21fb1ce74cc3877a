using DaseCV.Classifiers;
using DaseCV.Grader.Harness;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using static DaseCV.Runner.Text.Feedback;

namespace DaseCV.Grader;

/// <summary>The SVM exercise's checks: the softmax loss checks on the hinge loss, and LinearClassifier's Train and Predict.</summary>
internal sealed partial class Checks
{
    private static readonly LossFamily SvmFamily = new(
        SvmLoss.Vectorized, Wire.SvmNaive, Wire.SvmVectorized, Wire.SvmTrain, seed => new LinearSvm(seed),
        loss => Say(F($"损失不是有限数（loss = {loss}）"), F($"the loss is not finite (loss = {loss})")),
        Say("dW 中有 NaN 或 ∞", "NaN or ∞ in dW"),
        SvmLossSlip, SvmGradientSlip, HasKinks: true);

    private Task<(double, string, string)> RunSvm(CatalogEntry check, HarnessSession harness) => check.Id switch
    {
        "naive-loss" => LossMatches(harness, SvmFamily, Wire.SvmNaive, LossCases()),
        "naive-gradient" => GradientMatches(harness, SvmFamily, Wire.SvmNaive, LossCases()),
        "vectorized-loss" => LossMatches(harness, SvmFamily, Wire.SvmVectorized, LossCases()),
        "vectorized-gradient" => GradientMatches(harness, SvmFamily, Wire.SvmVectorized, LossCases()),
        "naive-equals-vectorized" => NaiveEqualsVectorized(harness, SvmFamily),
        "naive-gradient-check" => GradientCheck(harness, SvmFamily, Wire.SvmNaive),
        "vectorized-gradient-check" => GradientCheck(harness, SvmFamily, Wire.SvmVectorized),
        "vectorized-speed" => Speed(harness, SvmFamily),
        "train-step" => TrainStep(harness),
        "predict" => LinearPredict(harness),
        "training-accuracy" => TrainingAccuracy(harness, SvmFamily),
        _ => throw new InvalidOperationException($"no svm check '{check.Id}' in the grader"),
    };

    /// <summary>
    /// Train on a probe whose loss records each minibatch and W and returns a gradient the grader can recompute: every
    /// minibatch must be batchSize rows of X with their own labels, the minibatches must differ, and each step must be
    /// W ← W − learningRate·dW.
    /// </summary>
    private async Task<(double, string, string)> TrainStep(HarnessSession harness)
    {
        var random = new Random(_seed + 61);
        const int N = 40, D = 6, C = 4, numIters = 5, batchSize = 8;
        const double learningRate = 0.5;
        var X = Matrix<double>.Build.Random(N, D, new Normal(0, 1, random));
        var y = Enumerable.Range(0, N).Select(i => i % C).ToArray();
        var W0 = Matrix<double>.Build.Random(D, C, new Normal(0, 0.1, random));
        var ((steps, final, threw), _) = await harness.CallAsync(w =>
        {
            w.Write(Wire.LinearTrainSteps);
            Wire.WriteMatrix(w, X);
            Wire.WriteInts(w, y);
            Wire.WriteMatrix(w, W0);
            w.Write(learningRate);
            w.Write(numIters);
            w.Write(batchSize);
            w.Write(random.Next());
        }, ProbeSteps.Read);
        if (threw is not null)
            return (0, threw, "");
        return TrainStepProblem(X, y, W0, learningRate, batchSize, numIters, steps!, final) is { } problem ? (0, problem, "") : (1, Say($"{numIters} 步的采样与更新均正确", $"sampling and update right at all {numIters} steps"), "");
    }

    /// <summary>What the probe recorded: each step's minibatch and W, and W at the end; or what the student's code threw.</summary>
    private sealed record ProbeSteps(IReadOnlyList<(Matrix<double>? XBatch, int[]? yBatch, Matrix<double>? W)>? Steps, Matrix<double>? Final, string? Threw)
    {
        public static ProbeSteps Read(BinaryReader r)
        {
            if (r.ReadByte() != Wire.Ok)
                return new(null, null, ReadThrew(r));
            var count = r.ReadInt32();
            if (count is < 0 or > Wire.MaxProbeSteps)
                throw new InvalidDataException($"{count} probe steps");
            var recorded = Enumerable.Range(0, count).Select(_ => (Wire.ReadMatrix(r), Wire.ReadInts(r), Wire.ReadMatrix(r))).ToList();
            return new(recorded, Wire.ReadMatrix(r), null);
        }
    }

    /// <summary>Null when the probe's record is SGD on minibatches of X; else the first slip, in the student's terms.</summary>
    private static string? TrainStepProblem(Matrix<double> X, int[] y, Matrix<double> W0, double learningRate, int batchSize, int numIters,
        IReadOnlyList<(Matrix<double>? XBatch, int[]? yBatch, Matrix<double>? W)> steps, Matrix<double>? final)
    {
        if (steps.Count != numIters)
            return Say($"Train 调用了 {steps.Count} 次损失函数，应为每轮一次（{numIters}）", $"Train called the loss {steps.Count} times; expected once per iteration ({numIters})");
        var rows = Enumerable.Range(0, X.RowCount).ToDictionary(i => RowKey(X, i));
        Matrix<double> W = W0, previous = W0, gradient = W0;
        for (var k = 0; k < steps.Count; k++)
        {
            var (XBatch, yBatch, seen) = steps[k];
            if (seen is null || !Near(seen, W))
                return k == 0 ? Say("Train 开始前改变了 W", "Train changed W before the first step")
                    : Say(F($"第 {k - 1} 轮的更新"), F($"the update at iteration {k - 1}")) + ": " + UpdateSlip(seen, previous, gradient, learningRate);
            if (XBatch is null || yBatch is null || XBatch.RowCount != batchSize || XBatch.ColumnCount != X.ColumnCount || yBatch.Length != batchSize)
                return Say(F($"第 {k} 轮的小批量形状不对：应为 XBatch ({batchSize}, {X.ColumnCount})、yBatch 长度 {batchSize}"),
                    F($"iteration {k}: the minibatch should be XBatch ({batchSize}, {X.ColumnCount}) and yBatch of length {batchSize}"));
            for (var i = 0; i < batchSize; i++)
            {
                if (!rows.TryGetValue(RowKey(XBatch, i), out var source))
                    return Say(F($"第 {k} 轮：XBatch 的第 {i} 行不是 X 的某一行"), F($"iteration {k}: row {i} of XBatch is not a row of X"));
                if (yBatch[i] != y[source])
                    return Say(F($"第 {k} 轮：yBatch[{i}] 不是 XBatch 第 {i} 行的标签：用同一组下标选 X 和 y"),
                        F($"iteration {k}: yBatch[{i}] is not the label of XBatch's row {i}: pick X and y with the same indices"));
            }

            (previous, gradient) = (W, Wire.ProbeGradient(XBatch, yBatch, W.ColumnCount));
            W = W - learningRate * gradient;
        }

        if (steps.Select(s => string.Join(",", s.XBatch!.EnumerateRows().Select((_, i) => RowKey(s.XBatch!, i)))).Distinct().Count() == 1)
            return Say("每一轮的小批量都相同：每轮重新随机采样", "every iteration used the same minibatch: sample anew at every iteration");
        return final is null || !Near(final, W)
            ? Say(F($"第 {numIters - 1} 轮的更新"), F($"the update at iteration {numIters - 1}")) + ": " + UpdateSlip(final, previous, gradient, learningRate)
            : null;
    }

    /// <summary>What an SGD update did instead of <c>P − learningRate·grad</c>: the slip by name where it is a known one.</summary>
    private static string UpdateSlip(Matrix<double>? updated, Matrix<double> before, Matrix<double> gradient, double learningRate) =>
        updated is null || updated.RowCount != before.RowCount || updated.ColumnCount != before.ColumnCount ? Say("参数缺失或形状改变了", "the parameter is missing or changed shape")
        : Near(updated, before + learningRate * gradient) ? Say("沿梯度方向增加了：应为 P − learningRate·grad", "moved up the gradient: P − learningRate·grad, not +")
        : Near(updated, before - gradient) ? Say("更新没有乘学习率：应为 P − learningRate·grad", "the update lacks the learning rate: P − learningRate·grad")
        : Near(updated, before) ? Say("没有更新", "not updated")
        : Say("更新后的值不是 P − learningRate·grad", "the updated value is not P − learningRate·grad");

    /// <summary>A row's exact bits, to find which row of X a minibatch row came from.</summary>
    private static string RowKey(Matrix<double> M, int i) => string.Join(",", M.Row(i).Select(v => BitConverter.DoubleToInt64Bits(v).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Predict on a fresh W and X against argmax of X·W (scores far apart, so no tie decides).</summary>
    private async Task<(double, string, string)> LinearPredict(HarnessSession harness)
    {
        var random = new Random(_seed + 62);
        var W = Matrix<double>.Build.Random(7, 5, new Normal(0, 1, random));
        var X = Matrix<double>.Build.Random(30, 7, new Normal(0, 1, random));
        var expected = new LinearSvm(0) { W = W }.Predict(X);
        var ((labels, threw), _) = await harness.CallAsync(w =>
        {
            w.Write(Wire.LinearPredict);
            Wire.WriteMatrix(w, W);
            Wire.WriteMatrix(w, X);
        }, r => r.ReadByte() == Wire.Ok ? (Wire.ReadInts(r), (string?)null) : (null, ReadThrew(r)));
        return threw is not null ? (0, threw, "") : LabelsVerdict(expected, labels, "X·W 每一行最大得分的类别", "the class of each row's largest score in X·W");
    }

    /// <summary>Labels against the expected ones: full points when all match, else how many and the first that does not.</summary>
    private static (double, string, string) LabelsVerdict(int[] expected, int[]? actual, string whatZh, string whatEn)
    {
        if (actual is null || actual.Length != expected.Length)
            return (0, Say(F($"返回了 {actual?.Length ?? 0} 个标签，应为 {expected.Length} 个"), F($"returned {actual?.Length ?? 0} labels for {expected.Length} rows")), "");
        var wrong = Enumerable.Range(0, expected.Length).Where(i => actual[i] != expected[i]).ToList();
        return wrong.Count == 0
            ? (1, Say($"全部 {expected.Length} 个标签正确", $"all {expected.Length} labels right"), "")
            : (0, Say(F($"{expected.Length} 个标签中 {wrong.Count} 个不对（第一个在第 {wrong[0]} 行：得到 {actual[wrong[0]]}）；应为{whatZh}"),
                F($"{wrong.Count} of {expected.Length} labels wrong (first at row {wrong[0]}: got {actual[wrong[0]]}); expected {whatEn}")), "");
    }

    /// <summary>The usual slips in the hinge loss, recognised by what the reference would have given with them.</summary>
    private static string? SvmLossSlip(double actual, LossCase c, double expected) =>
        NamedLossSlip(actual, [.. MeanLossSlips(expected, c.Reg * c.W.Enumerate().Sum(w => w * w), c.X.RowCount, "平均损失", "the mean over examples", "reg·ΣW²"),
            (expected + 1, "损失多了 1：正确类别 j = y[i] 也算进了 margin（应跳过）", "the loss is 1 too large: the correct class j = y[i] was counted as a margin (skip it)")]);

    /// <summary>The usual slips in the hinge loss's dW.</summary>
    private static string? SvmGradientSlip(Matrix<double> actual, LossCase c)
    {
        var (_, expected) = SvmLoss.Vectorized(c.W, c.X, c.y, c.Reg);
        var regularization = 2 * c.Reg * c.W;
        var data = expected - regularization;
        double N = c.X.RowCount;
        var oneHot = Matrix<double>.Build.Dense(c.X.RowCount, c.W.ColumnCount, (i, j) => c.y[i] == j ? 1.0 : 0.0);
        var slips = new List<(Matrix<double> Would, string Zh, string En)>();
        if (N > 1)
        {
            slips.Add((N * data + regularization, "dW 未除以 N", "dW not divided by N"));
            slips.Add((data / N + regularization, "dW 被除以了两次 N", "dW divided by N twice"));
        }

        slips.Add((data - c.X.TransposeThisAndMultiply(oneHot) / N + regularization,
            "正确类别 j = y[i] 也算进了 margin：它的列多减了一次 X[i]（应跳过）", "the correct class j = y[i] was counted as a margin: its column lost X[i] once more (skip it)"));
        if (c.Reg > 0)
        {
            slips.Add((data, "dW 缺少正则项的梯度 2·reg·W", "dW lacks the regularization gradient 2·reg·W"));
            slips.Add((data + c.Reg * c.W, "正则项的梯度是 2·reg·W，不是 reg·W", "the regularization gradient is 2·reg·W, not reg·W"));
        }

        slips.Add((-expected, "dW 的符号反了", "dW has the wrong sign"));
        return slips.FirstOrDefault(s => Near(actual, s.Would)) is { Zh: not null } found ? Say(found.Zh, found.En) : null;
    }
}
