using DaseCV.Classifiers;
using DaseCV.Grader.Harness;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using static DaseCV.Runner.Text.Feedback;

namespace DaseCV.Grader;

/// <summary>The kNN exercise's checks: the three distance functions, their agreement and speed, and the vote.</summary>
internal sealed partial class Checks
{
    /// <summary>A training set, a test set, and which distance function a check asks (0, 1 or 2 loops).</summary>
    private sealed record KnnCase(string Name, Matrix<double> XTrain, int[] yTrain, Matrix<double> X);

    /// <summary>A vote: grader-made distances, the training labels and k.</summary>
    private sealed record VoteCase(string Name, Matrix<double> Dists, int[] yTrain, int K);

    private static readonly string[] LoopNames = ["ComputeDistancesNoLoops", "ComputeDistancesOneLoop", "ComputeDistancesTwoLoops"];

    private Task<(double, string, string)> RunKnn(CatalogEntry check, HarnessSession harness) => check.Id switch
    {
        "two-loops-distances" => DistancesMatch(harness, loops: 2),
        "one-loop-distances" => DistancesMatch(harness, loops: 1),
        "no-loops-distances" => DistancesMatch(harness, loops: 0),
        "no-loops-equals-two-loops" => NoLoopsEqualsTwoLoops(harness),
        "predict-labels-k1" => VoteMatches(harness, VoteCases(k1: true)),
        "predict-labels-vote" => VoteMatches(harness, VoteCases(k1: false)),
        "no-loops-speed" => KnnSpeed(harness),
        _ => throw new InvalidOperationException($"no knn check '{check.Id}' in the grader"),
    };

    /// <summary>One distance function on every case against the reference's distances, naming a known slip.</summary>
    private async Task<(double, string, string)> DistancesMatch(HarnessSession harness, int loops)
    {
        var cases = KnnCases();
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var (dists, threw) = await Distances(harness, c, loops);
            if ((threw ?? DistancesProblem(dists, c)) is { } problem)
                failures.Add($"{c.Name}: {problem}");
        }

        return Verdict(cases.Count, failures, "", LoopNames[loops]);
    }

    /// <summary>The notebook's check: the student's no-loop distances agree with their own two-loop ones (zeros agree on nothing).</summary>
    private async Task<(double, string, string)> NoLoopsEqualsTwoLoops(HarnessSession harness)
    {
        var c = KnnCases()[1];
        var (noLoops, threwNo) = await Distances(harness, c, 0);
        var (twoLoops, threwTwo) = await Distances(harness, c, 2);
        var problem = threwNo is not null ? "ComputeDistancesNoLoops: " + threwNo
            : threwTwo is not null ? "ComputeDistancesTwoLoops: " + threwTwo
            : noLoops is null || twoLoops is null ? Say("距离矩阵为 null", "a distance matrix is null")
            : noLoops.RowCount != twoLoops.RowCount || noLoops.ColumnCount != twoLoops.ColumnCount
                ? Say("两个距离矩阵的形状不同", "the two distance matrices differ in shape") + F($" ({noLoops.RowCount}, {noLoops.ColumnCount}) vs ({twoLoops.RowCount}, {twoLoops.ColumnCount})")
            : twoLoops.Enumerate().All(v => v == 0) ? Say("两个距离矩阵都是零：还没有计算距离", "both distance matrices are zero: the distances are not computed yet")
            : (noLoops - twoLoops).FrobeniusNorm() is var difference && !(difference <= 1e-6 * Math.Max(1, twoLoops.FrobeniusNorm()))
                ? Say(F($"两者之差的 Frobenius 范数为 {difference:G4}"), F($"the Frobenius norm of their difference is {difference:G4}"))
            : null;
        return problem is null
            ? (1, Say("NoLoops 与 TwoLoops 的距离一致", "the no-loop and two-loop distances agree"), "")
            : (0, c.Name + ": " + problem, "");
    }

    /// <summary>PredictLabels on grader-made distances against the reference's vote; the message tells a tie or k = 1 slip.</summary>
    private static async Task<(double, string, string)> VoteMatches(HarnessSession harness, IReadOnlyList<VoteCase> cases)
    {
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var reference = new KNearestNeighbor();
            reference.Train(Matrix<double>.Build.Dense(c.yTrain.Length, 1), c.yTrain);
            var expected = reference.PredictLabels(c.Dists, c.K);
            var ((labels, threw), _) = await harness.CallAsync(w =>
            {
                WriteKnnTrain(w, Matrix<double>.Build.Dense(c.yTrain.Length, 1), c.yTrain);
                w.Write(Wire.KnnPredictLabels);
                w.Write(c.K);
                Wire.WriteMatrix(w, c.Dists);
            }, r => (r.ReadByte() == Wire.Ok ? (string?)null : ReadThrew(r)) is { } trainThrew ? (null, trainThrew)
                : r.ReadByte() == Wire.Ok ? (Wire.ReadInts(r), (string?)null) : (null, ReadThrew(r)));
            if (threw is not null)
            {
                failures.Add($"{c.Name}: {threw}");
                continue;
            }

            if (labels is null || labels.Length != expected.Length)
            {
                failures.Add($"{c.Name}: " + Say(F($"返回了 {labels?.Length ?? 0} 个标签，应为 {expected.Length} 个"), F($"returned {labels?.Length ?? 0} labels for {expected.Length} test points")));
                continue;
            }

            var wrong = Enumerable.Range(0, expected.Length).Where(i => labels[i] != expected[i]).ToList();
            if (wrong.Count == 0)
                continue;
            // The k nearest labels, nearest first, of each test point: to tell which slip the wrong labels make.
            var nearest = Enumerable.Range(0, expected.Length)
                .Select(i => Enumerable.Range(0, c.yTrain.Length).OrderBy(j => c.Dists[i, j]).Take(c.K).Select(j => c.yTrain[j]).ToArray()).ToArray();
            bool AmongTied(int i)
            {
                var counts = nearest[i].GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
                var top = counts.Values.Max();
                return counts.Count(p => p.Value == top) > 1 && counts.GetValueOrDefault(labels[i]) == top;
            }

            var slip = c.K > 1 && wrong.All(AmongTied) ? Say("平票时应选择标签更小的那个（numpy 的 np.bincount(closest_y).argmax()）", "a tie goes to the smaller label (numpy's np.bincount(closest_y).argmax())")
                : c.K > 1 && wrong.All(i => labels[i] == nearest[i][0]) ? Say(F($"只用了最近的一个邻居：应让最近的 k = {c.K} 个邻居投票"), F($"only the nearest neighbour decided: the k = {c.K} nearest should vote"))
                : c.K == 1 ? Say("k = 1 时应取距离最小的训练点的标签", "with k = 1 the label is that of the training point at the smallest distance")
                : null;
            failures.Add($"{c.Name}: " + Say(F($"{expected.Length} 个测试点中 {wrong.Count} 个标签不对（第一个在第 {wrong[0]} 行）"), F($"{wrong.Count} of {expected.Length} labels wrong (first at row {wrong[0]})"))
                + (slip is null ? "" : "; " + slip));
        }

        return Verdict(cases.Count, failures, "", "PredictLabels");
    }

    /// <summary>
    /// Time alone, as softmax's speed check: the student's no-loop distances against the reference's no-loop and
    /// one-loop versions in a sandboxed harness of their own, on the same training set, a fresh test set each round.
    /// </summary>
    private async Task<(double, string, string)> KnnSpeed(HarnessSession student)
    {
        var random = new Random(_seed + 71);
        // 100 test points against 500 CIFAR-sized training points: matrix code takes a tenth of the loop's time, the whole
        // check stays within a few seconds on a busy machine (it runs under the student's time limit), and the two
        // harnesses with the warm compiler and the grader stay inside Gradescope's 768 MB (1000 points went over it).
        const int numTrain = 500, numTest = 100, D = 3072, rounds = 6;
        Matrix<double> Pixels(int rows) => Matrix<double>.Build.Dense(rows, D, (_, _) => random.Next(256));
        var c = new KnnCase("speed", Pixels(numTrain), Enumerable.Range(0, numTrain).Select(i => i % 10).ToArray(), Pixels(numTest));
        await using var reference = HarnessSession.Start(sandbox, referenceRun);
        reference.BeginCheck();
        async Task<(double Milliseconds, string? Threw)> Time(HarnessSession harness, int loops, Matrix<double> X)
        {
            var ((_, threw), elapsed) = await harness.CallAsync(w => WriteDistances(w, loops, X), ReadDistances);
            return (elapsed.TotalMilliseconds, threw);
        }

        foreach (var harness in new[] { student, reference })
        {
            var (threw, _) = await harness.CallAsync(w => WriteKnnTrain(w, c.XTrain, c.yTrain), r => r.ReadByte() == Wire.Ok ? null : ReadThrew(r));
            if (threw is not null)
                return harness == student ? (0, threw, "") : throw new SandboxFault("the reference failed in its sandbox: " + threw);
        }

        async Task<double> Reference(int loops, Matrix<double> X)
        {
            var (milliseconds, threw) = await Time(reference, loops, X);
            return threw is null ? milliseconds : throw new SandboxFault("the reference failed in its sandbox: " + threw);
        }

        return await TimedVerdict(rounds, round => round % 2 == 0, () => Pixels(numTest),
            X => Time(student, 0, X), X => Reference(0, X), X => Reference(1, X), () => ReferenceFinished(reference),
            new("对测试点的循环", "a loop over test points", "loops over test points", "NoLoops", "OneLoop"));
    }

    // ---- cases ----

    /// <summary>
    /// Gaussian points; raw pixel integers (0–255) with a test point that is a training point (distance exactly 0);
    /// more test than training points; a single test point.
    /// </summary>
    private IReadOnlyList<KnnCase> KnnCases()
    {
        var random = new Random(_seed + 81);
        Matrix<double> Gaussian(int rows, int columns) => Matrix<double>.Build.Random(rows, columns, new Normal(0, 1, random));
        Matrix<double> Pixels(int rows, int columns) => Matrix<double>.Build.Dense(rows, columns, (_, _) => random.Next(256));
        int[] Labels(int n) => Enumerable.Range(0, n).Select(_ => random.Next(10)).ToArray();
        var pixelsTrain = Pixels(13, 48);
        var pixelsTest = Pixels(6, 48);
        pixelsTest.SetRow(2, pixelsTrain.Row(5));
        return
        [
            new("Gaussian (numTest=5, numTrain=9, D=7)", Gaussian(9, 7), Labels(9), Gaussian(5, 7)),
            new("raw pixels 0–255 (numTest=6, numTrain=13, D=48, test point 2 = training point 5)", pixelsTrain, Labels(13), pixelsTest),
            new("more test than training points (numTest=11, numTrain=4, D=3)", Gaussian(4, 3), Labels(4), Gaussian(11, 3)),
            new("one test point (numTest=1, numTrain=6, D=20)", Gaussian(6, 20), Labels(6), Gaussian(1, 20)),
        ];
    }

    /// <summary>
    /// k = 1 (two cases), or k = 4 and k = 5 with planted rows: the k nearest labels in an order chosen so that a tie's
    /// smaller label is not the nearest's, or the majority is not the nearest's. Distances are distinct, so the k nearest are clear.
    /// </summary>
    private IReadOnlyList<VoteCase> VoteCases(bool k1)
    {
        var random = new Random(_seed + (k1 ? 91 : 92));
        VoteCase Make(string name, int numTest, int k, IReadOnlyList<int[]> planted)
        {
            const int numTrain = 30, classes = 5;
            var yTrain = Enumerable.Range(0, numTrain).Select(j => j % classes).ToArray();
            var dists = Matrix<double>.Build.Dense(numTest, numTrain);
            for (var i = 0; i < numTest; i++)
            {
                // The nearest k labels, nearest first: planted, or drawn.
                var labels = i < planted.Count ? planted[i] : Enumerable.Range(0, k).Select(_ => random.Next(classes)).ToArray();
                var order = new List<int>();
                foreach (var label in labels)
                    order.Add(Enumerable.Range(0, numTrain).Where(j => yTrain[j] == label && !order.Contains(j)).OrderBy(_ => random.Next()).First());
                order.AddRange(Enumerable.Range(0, numTrain).Except(order).OrderBy(_ => random.Next()));
                for (var rank = 0; rank < numTrain; rank++)
                    dists[i, order[rank]] = rank + 1 + random.NextDouble() * 0.5;
            }

            return new VoteCase(F($"{name} (numTest={numTest}, numTrain=30, k={k})"), dists, yTrain, k);
        }

        return k1
            ?
            [
                Make("k = 1", 12, 1, []),
                Make("k = 1, one test point", 1, 1, []),
            ]
            :
            [
                Make("ties: k = 4", 10, 4, [[3, 1, 3, 1], [4, 0, 0, 4], [2, 1, 1, 2]]),
                Make("majority: k = 5", 10, 5, [[2, 0, 0, 4, 0], [4, 1, 3, 1, 3]]),
            ];
    }

    /// <summary>Null when dists is the reference's within tolerance, else what differs and, where it is one, the slip by name.</summary>
    private static string? DistancesProblem(Matrix<double>? dists, KnnCase c)
    {
        if (dists is null)
            return Say("距离矩阵为 null", "dists is null");
        var reference = new KNearestNeighbor();
        reference.Train(c.XTrain, c.yTrain);
        var expected = reference.ComputeDistancesTwoLoops(c.X);
        if (dists.RowCount == expected.ColumnCount && dists.ColumnCount == expected.RowCount && expected.RowCount != expected.ColumnCount)
            return Say(F($"dists 的形状为 ({dists.RowCount}, {dists.ColumnCount})：行应是测试点、列应是训练点 ({expected.RowCount}, {expected.ColumnCount})"),
                F($"dists is ({dists.RowCount}, {dists.ColumnCount}); expected one row per test point and one column per training point ({expected.RowCount}, {expected.ColumnCount})"));
        if (dists.RowCount != expected.RowCount || dists.ColumnCount != expected.ColumnCount)
            return Say(F($"dists 的形状为 ({dists.RowCount}, {dists.ColumnCount})，应为 ({expected.RowCount}, {expected.ColumnCount})"),
                F($"dists is ({dists.RowCount}, {dists.ColumnCount}); expected ({expected.RowCount}, {expected.ColumnCount})"));
        if (dists.Enumerate().Any(v => !double.IsFinite(v)))
            return Say("dists 中有 NaN 或 ∞（舍入误差使平方和略小于 0 时，开方前先取 max(0, ·)）", "NaN or ∞ in dists (where rounding makes a square slightly negative, take max(0, ·) before the square root)");
        if (Near(dists, expected))
            return null;
        double Pairwise(int i, int j, Func<double, double, double> term) => Enumerable.Range(0, c.X.ColumnCount).Sum(d => term(c.X[i, d], c.XTrain[j, d]));
        var slips = new (Matrix<double> Would, string Zh, string En)[]
        {
            (expected.PointwisePower(2), "这是距离的平方：还要开平方根", "these are squared distances: take the square root"),
            (expected.MapIndexed((i, j, _) => Pairwise(i, j, (a, b) => Math.Abs(a - b))), "这是 L1 距离：应为 L2 距离 sqrt(Σ(a − b)²)", "this is the L1 distance: the L2 distance is sqrt(Σ(a − b)²)"),
            (expected.MapIndexed((i, j, _) => Math.Sqrt(Pairwise(i, j, (a, b) => (a + b) * (a + b)))), "展开式的符号错了：‖a − b‖² = ‖a‖² − 2a·b + ‖b‖²", "a sign in the expansion is wrong: ‖a − b‖² = ‖a‖² − 2a·b + ‖b‖²"),
        };
        var difference = (dists - expected).Enumerate().Select(Math.Abs).Max();
        var where = Say(F($"dists 最多相差 {difference:G4}"), F($"dists differs by up to {difference:G4}"));
        return slips.FirstOrDefault(s => Near(dists, s.Would)) is { Zh: not null } found ? Say(found.Zh, found.En) + "; " + where : where;
    }

    // ---- talking to the harness ----

    private static void WriteKnnTrain(BinaryWriter w, Matrix<double> XTrain, int[] yTrain)
    {
        w.Write(Wire.KnnTrain);
        Wire.WriteMatrix(w, XTrain);
        Wire.WriteInts(w, yTrain);
    }

    private static void WriteDistances(BinaryWriter w, int loops, Matrix<double> X)
    {
        w.Write(Wire.KnnDistances);
        w.Write((byte)loops);
        Wire.WriteMatrix(w, X);
    }

    private static (Matrix<double>? Dists, string? Threw) ReadDistances(BinaryReader r) =>
        r.ReadByte() == Wire.Ok ? (Wire.ReadMatrix(r), null) : (null, ReadThrew(r));

    /// <summary>Trains the student's classifier on the case (given code), then asks one distance function.</summary>
    private static async Task<(Matrix<double>? Dists, string? Threw)> Distances(HarnessSession harness, KnnCase c, int loops) =>
        (await harness.CallAsync(w =>
        {
            WriteKnnTrain(w, c.XTrain, c.yTrain);
            WriteDistances(w, loops, c.X);
        }, r => (r.ReadByte() == Wire.Ok ? null : ReadThrew(r)) is { } trainThrew ? (null, trainThrew) : ReadDistances(r))).Reply;
}
