using DaseCV.Grader.Harness;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using static DaseCV.Runner.Text.Feedback;
using Net = DaseCV.Classifiers.TwoLayerNet;

namespace DaseCV.Grader;

/// <summary>The two-layer net's checks: the forward pass, the loss, each parameter's gradient, one SGD step, Predict and the toy training.</summary>
internal sealed partial class Checks
{
    /// <summary>Parameters W1, b1, W2, b2 by name, a minibatch and a regularisation strength.</summary>
    private sealed record NetCase(string Name, Dictionary<string, Matrix<double>> Params, Matrix<double> X, int[] y, double Reg);

    private Task<(double, string, string)> RunTwoLayerNet(CatalogEntry check, HarnessSession harness) => check.Id switch
    {
        "forward-scores" => ScoresMatch(harness),
        "loss" => NetLossMatches(harness),
        "gradient-W1" or "gradient-b1" or "gradient-W2" or "gradient-b2" => NetGradientMatches(harness, check.Id["gradient-".Length..]),
        "train-step" => NetTrainStep(harness),
        "predict" => NetPredict(harness),
        "toy-training" => ToyTraining(harness),
        "tuned-accuracy" => TunedAccuracy(check, harness),
        _ => throw new InvalidOperationException($"no two_layer_net check '{check.Id}' in the grader"),
    };

    private async Task<(double, string, string)> ScoresMatch(HarnessSession harness)
    {
        var cases = NetCases();
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var ((scores, threw), _) = await harness.CallAsync(w =>
            {
                w.Write(Wire.NetScores);
                Wire.WriteNetParams(w, c.Params);
                Wire.WriteMatrix(w, c.X);
            }, r => r.ReadByte() == Wire.Ok ? (Wire.ReadMatrix(r), (string?)null) : (null, ReadThrew(r)));
            var expected = NetOf(c).Loss(c.X);
            var problem = threw ?? MatrixProblem("scores", scores, expected, () => ScoreSlips(c));
            if (problem is not null)
                failures.Add($"{c.Name}: {problem}");
        }

        return Verdict(cases.Count, failures, "", "scores");
    }

    private async Task<(double, string, string)> NetLossMatches(HarnessSession harness)
    {
        var cases = NetCases();
        var failures = new List<string>();
        var detail = new List<string>();
        foreach (var c in cases)
        {
            var (loss, _, threw) = await NetLoss(harness, c);
            var expected = NetOf(c).Loss(c.X, c.y, c.Reg).Loss;
            var problem = threw
                ?? (!double.IsFinite(loss) ? Say(F($"损失不是有限数（loss = {loss}）：在 exp 之前先减去每一行的最大值"), F($"the loss is not finite (loss = {loss}): subtract each row's maximum score before exp"))
                    : LossDiffers(loss, expected) is { } off ? off + (NetLossSlip(loss, c, expected) is { } slip ? "; " + slip : "") : null);
            if (problem is null)
                continue;
            failures.Add($"{c.Name}: {problem}");
            detail.Add(F($"{c.Name}: expected loss {expected:G12}, got {loss:G12}"));
        }

        return Verdict(cases.Count, failures, string.Join("\n", detail), "损失");
    }

    /// <summary>One parameter's gradient against the reference's, naming the slip where it is a known one.</summary>
    private async Task<(double, string, string)> NetGradientMatches(HarnessSession harness, string name)
    {
        var cases = NetCases();
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var (_, grads, threw) = await NetLoss(harness, c);
            var expected = NetOf(c).Loss(c.X, c.y, c.Reg).Grads[name];
            var problem = threw ?? MatrixProblem($"grads[\"{name}\"]", grads?.GetValueOrDefault(name), expected, () => GradientSlips(c, name));
            if (problem is not null)
                failures.Add($"{c.Name}: {problem}");
        }

        return Verdict(cases.Count, failures, "", "梯度 " + name);
    }

    /// <summary>
    /// One step of Train on a minibatch of identical rows (so any sampling gives it): every parameter must become
    /// P − learningRate·(the student's own gradient at P), so a wrong gradient does not cost this check.
    /// </summary>
    private async Task<(double, string, string)> NetTrainStep(HarnessSession harness)
    {
        var c = NetCases()[0];
        var row = c.X.Row(0);
        var X = Matrix<double>.Build.Dense(6, c.X.ColumnCount, (_, j) => row[j]);
        var y = Enumerable.Repeat(c.y[0], 6).ToArray();
        const double learningRate = 0.3;
        var ((grads, after, threw), _) = await harness.CallAsync(w =>
        {
            w.Write(Wire.NetStep);
            Wire.WriteNetParams(w, c.Params);
            Wire.WriteMatrix(w, X);
            Wire.WriteInts(w, y);
            w.Write(c.Reg);
            w.Write(learningRate);
        }, r => r.ReadByte() == Wire.Ok ? (Wire.ReadNetParams(r), Wire.ReadNetParams(r), (string?)null) : (null, null, ReadThrew(r)));
        if (threw is not null)
            return (0, threw, "");
        string? Problem(string name)
        {
            var before = c.Params[name];
            if (grads![name] is not { } gradient || gradient.RowCount != before.RowCount || gradient.ColumnCount != before.ColumnCount)
                return Say("梯度缺失或形状不对", "its gradient is missing or has the wrong shape");
            return after![name] is { } updated && Near(updated, before - learningRate * gradient) ? null : UpdateSlip(after[name], before, gradient, learningRate);
        }

        var problems = Wire.NetNames.Select(name => (name, Problem: Problem(name))).Where(p => p.Problem is not null).Select(p => $"{p.name}: {p.Problem}").ToList();
        return problems.Count == 0
            ? (1, Say("一步 SGD 后每个参数都是 P − learningRate·grad", "after one SGD step every parameter is P − learningRate·grad"), "")
            : (0, Say("一步 SGD 后", "after one SGD step") + ": " + string.Join("; ", problems), "");
    }

    private async Task<(double, string, string)> NetPredict(HarnessSession harness)
    {
        var c = NetCases()[1];
        var expected = NetOf(c).Predict(c.X);
        var ((labels, threw), _) = await harness.CallAsync(w =>
        {
            w.Write(Wire.NetPredict);
            Wire.WriteNetParams(w, c.Params);
            Wire.WriteMatrix(w, c.X);
        }, r => r.ReadByte() == Wire.Ok ? (Wire.ReadInts(r), (string?)null) : (null, ReadThrew(r)));
        return threw is not null ? (0, threw, "") : LabelsVerdict(expected, labels, "得分最高的类别", "the class of the highest score");
    }

    /// <summary>The notebook's toy net (4 inputs, 10 hidden units, 3 classes, 5 examples) on fresh toy data, trained by the student's code and by the reference.</summary>
    private async Task<(double, string, string)> ToyTraining(HarnessSession harness)
    {
        var random = new Random(_seed + 101);
        const int N = 5, D = 4, H = 10, C = 3, numIters = 100, batchSize = 200;
        const double std = 1e-1, learningRate = 1e-1, decay = 0.95, reg = 5e-6;
        var X = 10 * Matrix<double>.Build.Random(N, D, new Normal(0, 1, random));
        int[] y = [.. new[] { 0, 1, 2 }, .. Enumerable.Range(0, N - C).Select(_ => random.Next(C))];
        var seed = random.Next();
        var reference = new Net(D, H, C, std, seed).Train(X, y, X, y, learningRate, decay, reg, numIters, batchSize).LossHistory;
        var ((losses, threw), _) = await harness.CallAsync(w =>
        {
            w.Write(Wire.NetTrain);
            Wire.WriteMatrix(w, X);
            Wire.WriteInts(w, y);
            Wire.WriteMatrix(w, X);
            Wire.WriteInts(w, y);
            w.Write(H);
            w.Write(C);
            w.Write(seed);
            w.Write(numIters);
            w.Write(batchSize);
            w.Write(std);
            w.Write(learningRate);
            w.Write(decay);
            w.Write(reg);
        }, r => r.ReadByte() == Wire.Ok ? (Wire.ReadMatrix(r), (string?)null) : (null, ReadThrew(r)));
        if (threw is not null)
            return (0, threw, "");
        if (losses is null || losses.RowCount != 1 || losses.ColumnCount != numIters)
            return (0, Say($"Train 返回的损失历史不是每轮一个（{numIters}）", $"Train's loss history does not hold one loss per iteration ({numIters})"), "");
        double first = losses[0, 0], last = losses[0, numIters - 1], referenceLast = reference[^1];
        var summary = F($"final training loss {last:G4} (first {first:G4}; lr {learningRate}, reg {reg}, {numIters} iterations)");
        var detail = F($"reference final loss {referenceLast:G6}");
        return double.IsFinite(last) && last <= referenceLast + 0.05 && last < 0.5 * first
            ? (1, Say(F($"最终训练损失 {last:G4}"), summary), detail)
            : (0, Say(F($"最终训练损失 {last:G4}，没有降到参考实现的水平（差距应小于 0.05）"), summary + "; not down to the reference's (within 0.05)"), detail);
    }

    // ---- cases ----

    /// <summary>Fresh parameters with non-zero biases (so a missing bias shows) and weights that leave about half the ReLUs on.</summary>
    private IReadOnlyList<NetCase> NetCases()
    {
        var random = new Random(_seed + 111);
        Matrix<double> Randn(int rows, int columns, double scale) => Matrix<double>.Build.Random(rows, columns, new Normal(0, scale, random));
        NetCase Make(string name, int N, int D, int H, int C, double reg) => new(F($"{name} (N={N}, D={D}, H={H}, C={C}, reg={reg})"),
            new Dictionary<string, Matrix<double>> { ["W1"] = Randn(D, H, 0.5), ["b1"] = Randn(1, H, 0.3), ["W2"] = Randn(H, C, 0.5), ["b2"] = Randn(1, C, 0.3) },
            Randn(N, D, 1), Enumerable.Range(0, N).Select(_ => random.Next(C)).ToArray(), reg);
        return
        [
            Make("small", 7, 5, 8, 4, reg: 0.05),
            Make("CIFAR-like", 20, 30, 12, 10, reg: 0.1),
            Make("one example", 1, 3, 4, 3, reg: 0.0),
        ];
    }

    /// <summary>The reference net holding the case's parameters.</summary>
    private static Net NetOf(NetCase c)
    {
        var W1 = c.Params["W1"];
        var net = new Net(W1.RowCount, W1.ColumnCount, c.Params["W2"].ColumnCount, seed: 0);
        foreach (var (name, value) in c.Params)
            net.Params[name] = value.Clone();
        return net;
    }

    /// <summary>Null when <paramref name="actual"/> is <paramref name="expected"/> within tolerance; else what differs and the slip, if known.</summary>
    private static string? MatrixProblem(string what, Matrix<double>? actual, Matrix<double> expected, Func<IEnumerable<(Matrix<double> Would, string Zh, string En)>> slips)
    {
        if (actual is null)
            return Say($"{what} 为 null", $"{what} is null");
        if (actual.RowCount != expected.RowCount || actual.ColumnCount != expected.ColumnCount)
            return Say($"{what} 的形状为 ({actual.RowCount}, {actual.ColumnCount})，应为 ({expected.RowCount}, {expected.ColumnCount})",
                $"{what} is ({actual.RowCount}, {actual.ColumnCount}); expected ({expected.RowCount}, {expected.ColumnCount})");
        if (actual.Enumerate().Any(v => !double.IsFinite(v)))
            return Say($"{what} 中有 NaN 或 ∞", $"NaN or ∞ in {what}");
        if (Near(actual, expected))
            return null;
        var by = F($"{(actual - expected).Enumerate().Max(Math.Abs) / Math.Max(1, expected.Enumerate().Max(Math.Abs)):E1}");
        var where = Say($"{what} 最多相差 {by}（相对）", $"{what} differs by up to {by} (relative)");
        return slips().FirstOrDefault(s => Near(actual, s.Would)) is { Zh: not null } found ? Say(found.Zh, found.En) + "; " + where : where;
    }

    /// <summary>Forward-pass slips: no ReLU, no b1, no b2.</summary>
    private static IEnumerable<(Matrix<double>, string, string)> ScoreSlips(NetCase c)
    {
        var (W1, b1, W2, b2) = (c.Params["W1"], c.Params["b1"], c.Params["W2"], c.Params["b2"]);
        Matrix<double> AddRow(Matrix<double> m, Matrix<double> b) => m.MapIndexed((_, j, v) => v + b[0, j]);
        var preActivation = AddRow(c.X * W1, b1);
        yield return (AddRow(preActivation * W2, b2), "缺少 ReLU：隐藏层是 max(0, X·W1 + b1)", "the ReLU is missing: the hidden layer is max(0, X·W1 + b1)");
        yield return (AddRow((c.X * W1).Map(v => Math.Max(0, v)) * W2, b2), "缺少 b1：每一行都要加上 b1", "b1 is missing: add b1 to every row");
        yield return (preActivation.Map(v => Math.Max(0, v)) * W2, "缺少 b2：每一行都要加上 b2", "b2 is missing: add b2 to every row");
    }

    /// <summary>Loss slips: not divided by N, no regularisation, half of it.</summary>
    private static string? NetLossSlip(double actual, NetCase c, double expected) =>
        NamedLossSlip(actual, MeanLossSlips(expected, c.Reg * (Math.Pow(c.Params["W1"].FrobeniusNorm(), 2) + Math.Pow(c.Params["W2"].FrobeniusNorm(), 2)), c.X.RowCount,
            "平均交叉熵", "the mean cross-entropy", "reg·(ΣW1² + ΣW2²)"));

    /// <summary>
    /// Gradient slips of one parameter: dScores not divided by N, the ReLU's mask forgotten (W1, b1), the
    /// regularisation missing or halved (W1, W2), a bias gradient averaged instead of summed, the wrong sign.
    /// </summary>
    private static IEnumerable<(Matrix<double>, string, string)> GradientSlips(NetCase c, string name)
    {
        var net = NetOf(c);
        var expected = net.Loss(c.X, c.y, c.Reg).Grads[name];
        var isWeight = name.StartsWith('W');
        var regularization = isWeight ? 2 * c.Reg * c.Params[name] : Matrix<double>.Build.Dense(expected.RowCount, expected.ColumnCount);
        var data = expected - regularization;
        double N = c.X.RowCount;
        if (N > 1)
        {
            yield return (N * data + regularization, "未除以 N（dScores = (P − Y)/N）", "not divided by N (dScores = (P − Y)/N)");
            if (!isWeight)
                yield return (data / N, "偏置的梯度是 dScores（或 dHidden）按列求和，不是求平均", "a bias gradient is the column sum of dScores (or dHidden), not the mean");
        }

        if (name is "W1" or "b1")
        {
            // The backward pass without the ReLU's mask: every hidden unit passes its gradient.
            var scores = net.Loss(c.X);
            var P = scores.MapIndexed((i, j, s) => Math.Exp(s - scores.Row(i).Maximum()));
            P = P.MapIndexed((i, j, p) => p / P.Row(i).Sum());
            var dScores = P.MapIndexed((i, j, p) => (p - (c.y[i] == j ? 1 : 0)) / N);
            var dHidden = dScores.TransposeAndMultiply(c.Params["W2"]);
            var unmasked = name == "W1" ? c.X.TransposeThisAndMultiply(dHidden) + regularization : dHidden.ColumnSums().ToRowMatrix();
            yield return (unmasked, "反向传播没有乘 ReLU 的掩码：只在隐藏层输入 > 0 处传回梯度", "the backward pass forgets the ReLU's mask: pass the gradient back only where the hidden input was > 0");
        }

        if (isWeight && c.Reg > 0)
        {
            yield return (data, "缺少正则项的梯度 2·reg·" + name, "the regularization gradient 2·reg·" + name + " is missing");
            yield return (data + regularization / 2, "正则项的梯度是 2·reg·" + name + "，不是 reg·" + name, "the regularization gradient is 2·reg·" + name + ", not reg·" + name);
        }

        yield return (-expected, "符号反了", "the sign is wrong");
    }

    // ---- talking to the harness ----

    private static async Task<(double Loss, Dictionary<string, Matrix<double>?>? Grads, string? Threw)> NetLoss(HarnessSession harness, NetCase c) =>
        (await harness.CallAsync(w =>
        {
            w.Write(Wire.NetLoss);
            Wire.WriteNetParams(w, c.Params);
            Wire.WriteMatrix(w, c.X);
            Wire.WriteInts(w, c.y);
            w.Write(c.Reg);
        }, r => r.ReadByte() == Wire.Ok ? (r.ReadDouble(), Wire.ReadNetParams(r), (string?)null) : (double.NaN, null, ReadThrew(r)))).Reply;
}
