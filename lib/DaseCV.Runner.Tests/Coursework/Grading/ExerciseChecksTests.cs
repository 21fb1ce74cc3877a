using DaseCV.Runner.Coursework.Grading;
using DaseCV.Grader;

namespace DaseCV.Runner.Tests.Coursework.Grading;

/// <summary>
/// The exercises' code checks through <c>serve</c> and the sandbox (softmax's too, by the same request): the instructor's code
/// gets every point, stubs none, and one planted slip per function costs only the checks it reaches, with a message
/// that names it. All gradings run in one grader, at once, as a class's would.
/// </summary>
public sealed class ExerciseGradings : IAsyncLifetime
{
    public const string Softmax = "lib/DaseCV/Classifiers/SoftmaxLoss.cs";
    public const string Knn = "lib/DaseCV/Classifiers/KNearestNeighbor.cs";
    public const string Svm = "lib/DaseCV/Classifiers/SvmLoss.cs";
    public const string Linear = "lib/DaseCV/Classifiers/LinearClassifier.cs";
    public const string Net = "lib/DaseCV/Classifiers/TwoLayerNet.cs";

    /// <summary>The files whose marked regions are each exercise's student code.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Files = new Dictionary<string, string[]>
    {
        ["softmax"] = [Softmax],
        ["knn"] = [Knn],
        ["svm"] = [Svm, Linear],
        ["two_layer_net"] = [Net],
    };

    /// <summary>
    /// One slip per function: the file, the text replaced, the checks that must lose points (the first one's message
    /// must contain the word), and the checks that may (training through all of the student's code).
    /// </summary>
    public static readonly IReadOnlyList<Planted> Slips =
    [
        new("softmax", "naive-dw-not-divided", Softmax, "        dW /= numTrain;\n", "", ["naive-gradient", "naive-equals-vectorized", "naive-gradient-check"], "not divided by N"),
        new("knn", "one-loop-no-sqrt", Knn, ".PointwiseMaximum(0.0).PointwiseSqrt()", ".PointwiseMaximum(0.0)", ["one-loop-distances"], "square root"),
        // Not a slip but a reply over the channel's bound (9 million numbers): that check fails, the harness restarts, the rest is graded.
        new("knn", "huge-dists", Knn, "dists.SetRow(i, squares.PointwiseMaximum(0.0).PointwiseSqrt());", "dists = Matrix<double>.Build.Dense(3000, 3000); break;", ["one-loop-distances"], "channel"),
        new("knn", "two-loops-l1", Knn, "Math.Sqrt(diff.DotProduct(diff))", "diff.PointwiseAbs().Sum()", ["two-loops-distances", "no-loops-equals-two-loops"], "L1"),
        // A sign slip in the expansion: the distances are wrong, so the two versions disagree and speed does not count.
        new("knn", "no-loops-sign", Knn, "testSquares[i] - 2 * ab + trainSquares[j]", "testSquares[i] + 2 * ab + trainSquares[j]", ["no-loops-distances", "no-loops-equals-two-loops", "no-loops-speed"], "sign"),
        new("knn", "tie-to-nearest", Knn, "yPred[i] = Array.IndexOf(counts, counts.Max());", "yPred[i] = closestY.GroupBy(l => l).OrderByDescending(g => g.Count()).First().Key;", ["predict-labels-vote"], "smaller label"),
        new("knn", "nearest-only", Knn, ".OrderBy(j => dists[i, j]).Take(k)", ".OrderBy(j => dists[i, j]).Take(1)", ["predict-labels-vote"], "only the nearest neighbour"),
        new("svm", "naive-dw-not-divided", Svm, "        dW /= numTrain;\n", "", ["naive-gradient", "naive-equals-vectorized", "naive-gradient-check"], "not divided by N"),
        new("svm", "vectorized-reg-half", Svm, "dW = X.TransposeThisAndMultiply(dScores) / numTrain + 2 * reg * W;", "dW = X.TransposeThisAndMultiply(dScores) / numTrain + reg * W;",
            ["vectorized-gradient", "naive-equals-vectorized", "vectorized-gradient-check"], "2·reg·W", May: ["training-accuracy"]),
        // The correct class kept as a margin of 1: loss and dW both wrong, so speed does not count either.
        new("svm", "correct-class-counted", Svm, "j == y[i] ? 0 : Math.Max(0, s - scores[i, y[i]] + 1)", "Math.Max(0, s - scores[i, y[i]] + 1)",
            ["vectorized-loss", "vectorized-gradient", "naive-equals-vectorized", "vectorized-gradient-check", "vectorized-speed"], "correct class", May: ["training-accuracy"]),
        new("svm", "update-sign", Linear, "W.Subtract(grad, result: W);", "W.Add(grad, result: W);", ["train-step"], "up the gradient", May: ["training-accuracy"]),
        new("svm", "predict-argmin", Linear, "yPred = scores.EnumerateRows().Select(row => row.MaximumIndex()).ToArray();", "yPred = scores.EnumerateRows().Select(row => row.MinimumIndex()).ToArray();",
            ["predict", "training-accuracy"], "largest score"),
        new("two_layer_net", "relu-mask-forgotten", Net, "        dHidden.MapIndexedInplace((i, j, d) => hidden[i, j] > 0 ? d : 0.0);\n", "", ["gradient-W1", "gradient-b1"], "ReLU", May: ["toy-training", "tuned-accuracy"]),
        new("two_layer_net", "dW2-not-divided", Net, "grads[\"W2\"] = hidden.TransposeThisAndMultiply(dScores) + 2 * reg * W2;", "grads[\"W2\"] = N * hidden.TransposeThisAndMultiply(dScores) + 2 * reg * W2;",
            ["gradient-W2"], "not divided by N", May: ["toy-training", "tuned-accuracy"]),
        new("two_layer_net", "loss-reg-half", Net, "loss += reg * (Math.Pow(W1.FrobeniusNorm(), 2) + Math.Pow(W2.FrobeniusNorm(), 2));", "loss += 0.5 * reg * (Math.Pow(W1.FrobeniusNorm(), 2) + Math.Pow(W2.FrobeniusNorm(), 2));",
            ["loss"], "0.5·reg"),
        new("two_layer_net", "update-sign", Net, "Params[name].Subtract(grad, result: Params[name]);", "Params[name].Add(grad, result: Params[name]);", ["train-step", "toy-training"], "up the gradient", May: ["tuned-accuracy"]),
        new("two_layer_net", "predict-argmin", Net, "yPred = scores.EnumerateRows().Select(row => row.MaximumIndex()).ToArray();   // np.argmax(scores, axis=1)",
            "yPred = scores.EnumerateRows().Select(row => row.MinimumIndex()).ToArray();", ["predict", "tuned-accuracy"], "highest score"),
    ];

    /// <param name="May">Checks that may lose points too: training goes through every function.</param>
    public sealed record Planted(string Exercise, string Name, string File, string From, string To, string[] Must, string Word, string[]? May = null);

    // Long enough for a check (the retraining's 1000 steps included) on a busy 2-core machine with every grading at once.
    private static readonly Limits Limits = Limits.Default with { Time = TimeSpan.FromSeconds(180) };

    private readonly string _temp = TestPaths.NewTempDirectory();

    internal IReadOnlyList<CatalogEntry> Catalog { get; private set; } = [];
    internal IReadOnlyDictionary<string, GradeResponse> Responses { get; private set; } = new Dictionary<string, GradeResponse>();

    public async Task InitializeAsync()
    {
        Catalog = await GraderProcess.CatalogAsync();

        var requests = new List<(string Id, string Sources, string Exercise)>();
        // The retraining check trains the instructor's choice: what it costs a slip is the training's (the May lists).
        var net = TunedGradings.Instructors("two_layer_net", "tuned-accuracy");
        TuningRequest? Tuning(string exercise) => exercise == "two_layer_net"
            ? new TuningRequest(TestPaths.TuningData, [new TunedChoice("tuned-accuracy", net, null, net)])
            : null;
        foreach (var (exercise, files) in Files)
        {
            requests.Add(($"{exercise}/solution", GraderSources.Sources(Path.Combine(_temp, exercise, "solution"), new Dictionary<string, Func<string, string>>()), exercise));
            requests.Add(($"{exercise}/stub", GraderSources.Sources(Path.Combine(_temp, exercise, "stub"),
                files.ToDictionary(f => f, f => (Func<string, string>)(text => GraderSources.Stub(text, f)))), exercise));
        }

        foreach (var slip in Slips)
            requests.Add(($"{slip.Exercise}/{slip.Name}", GraderSources.Sources(Path.Combine(_temp, slip.Exercise, slip.Name),
                new Dictionary<string, Func<string, string>> { [slip.File] = text => GraderSources.Plant(text, slip.File, slip.From, slip.To) }), slip.Exercise));
        var plain = GraderSources.Sources(Path.Combine(_temp, "plain"), new Dictionary<string, Func<string, string>>());
        requests.Add(("unknown", plain, "no-such-exercise"));

        Responses = await GraderSources.GradeAllAsync(Limits, requests.Select(r => (r.Id, r.Sources, r.Exercise, Tuning(r.Exercise))));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_temp, recursive: true);
        return Task.CompletedTask;
    }
}

[Trait("Category", "EndToEnd")]
public sealed class ExerciseChecksTests(ExerciseGradings gradings, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ExerciseGradings>
{
    public static TheoryData<string> Exercises => ["softmax", "knn", "svm", "two_layer_net"];

    public static TheoryData<string, string> Slips
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var slip in ExerciseGradings.Slips)
                data.Add(slip.Exercise, slip.Name);
            return data;
        }
    }

    private IReadOnlyList<CheckVerdict> Outcomes(string id)
    {
        var response = gradings.Responses[id];
        Assert.True(response.CompileErrors is null, $"{id} did not compile: {response.CompileErrors}");
        Assert.True(response.Fault is null, $"{id}: the grader's fault: {response.Fault}");
        return response.Report!.Outcomes;
    }

    private static string Describe(IEnumerable<CheckVerdict> outcomes) =>
        string.Join("\n", outcomes.Select(o => $"{o.Id}: {o.Fraction} {o.Message} [{o.Detail}]"));

    [Fact]
    public void Should_Total_100_Points_Per_Exercise_With_Ids_Unique_Within_It()
    {
        foreach (var exercise in gradings.Catalog.GroupBy(c => c.Exercise))
        {
            Assert.Equal(100, exercise.Sum(c => c.Points), 9);
            Assert.Equal(exercise.Count(), exercise.Select(c => c.Id).Distinct().Count());
        }

        Assert.Equal(["features", "knn", "softmax", "svm", "two_layer_net"], gradings.Catalog.Select(c => c.Exercise).Distinct().Order());
        Assert.All(gradings.Catalog.Where(c => c.Kind == "answer"), c => Assert.Matches(@"^answer-\d+$", c.Id));
    }

    [Theory]
    [MemberData(nameof(Exercises))]
    public void Should_Give_The_Instructors_Code_Every_Point(string exercise)
    {
        var outcomes = Outcomes($"{exercise}/solution");
        output.WriteLine(Describe(outcomes));
        Assert.Equal(gradings.Catalog.Where(c => c.Exercise == exercise && c.Kind == "code").Select(c => c.Id), outcomes.Select(o => o.Id));
        Assert.True(outcomes.All(o => o.Fraction == 1), Describe(outcomes));
    }

    [Theory]
    [MemberData(nameof(Exercises))]
    public void Should_Give_Stubs_No_Point_And_Say_Not_Implemented(string exercise)
    {
        var outcomes = Outcomes($"{exercise}/stub");
        Assert.NotEmpty(outcomes);
        Assert.True(outcomes.All(o => o.Fraction == 0), Describe(outcomes));
        Assert.True(outcomes.All(o => o.Message.Contains("not implemented", StringComparison.Ordinal)), Describe(outcomes));
    }

    [Theory]
    [MemberData(nameof(Slips))]
    public void Should_Cost_A_Planted_Slip_Only_The_Checks_It_Reaches_And_Name_It(string exercise, string name)
    {
        var slip = ExerciseGradings.Slips.Single(s => s.Exercise == exercise && s.Name == name);
        var outcomes = Outcomes($"{exercise}/{name}");
        var all = Describe(outcomes);
        output.WriteLine(all);
        foreach (var id in slip.Must)
            Assert.True(outcomes.Single(o => o.Id == id).Fraction < 1, $"{id} kept its points:\n{all}");
        Assert.Contains(slip.Word, outcomes.Single(o => o.Id == slip.Must[0]).Message, StringComparison.Ordinal);
        var untouched = outcomes.Where(o => !slip.Must.Contains(o.Id) && !(slip.May ?? []).Contains(o.Id)).ToList();
        Assert.True(untouched.All(o => o.Fraction == 1), $"a check the slip does not reach lost points:\n{all}");
    }

    [Fact]
    public void Should_Call_An_Unknown_Exercise_The_Graders_Fault()
    {
        var response = gradings.Responses["unknown"];
        Assert.Contains("no-such-exercise", response.Fault, StringComparison.Ordinal);
        Assert.Null(response.Report);
    }
}
