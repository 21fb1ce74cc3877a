using DaseCV.Grader;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Coursework.Grading;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Coursework.Grading;

/// <summary>
/// The retraining checks through <c>serve</c> and the sandbox, on the synthetic stand-in for the CIFAR-10 subset:
/// the instructor's code with the instructor's choices (read from the notebooks' choice cells, as grade reads them),
/// a learning rate of 1e-9, a choice the runner could not read, and the thresholds set by another instructor's choice.
/// </summary>
public sealed class TunedGradings : IAsyncLifetime
{
    private static readonly Limits Limits = Limits.Default with { Time = TimeSpan.FromSeconds(120) };

    private readonly string _temp = TestPaths.NewTempDirectory();

    internal IReadOnlyDictionary<string, GradeResponse> Responses { get; private set; } = new Dictionary<string, GradeResponse>();

    /// <summary>The instructor's choice of each retraining check, read from the repository's notebooks.</summary>
    internal static Hyperparameters Instructors(string exercise, string check)
    {
        var entry = CourseLayout.Default.Exercises.Single(e => e.Id == exercise);
        var cell = entry.ChoiceCells.Single(c => c.Check == check);
        var (choice, problem) = cell.Read(IpynbNotebook.Load(Path.Combine(TestPaths.RepositoryRoot, entry.Notebook)));
        return choice ?? throw new InvalidOperationException(problem);
    }

    internal static readonly Hyperparameters TooSlow = new(LearningRate: 1e-9, Reg: 0.5, HiddenSize: 100, LearningRateDecay: 0.95);

    public async Task InitializeAsync()
    {
        var sources = GraderSources.Sources(Path.Combine(_temp, "solution"), new Dictionary<string, Func<string, string>>());
        var data = TestPaths.TuningData;
        var net = Instructors("two_layer_net", "tuned-accuracy");
        TuningRequest Net(Hyperparameters? student, Hyperparameters reference, string? problem = null) =>
            new(data, [new TunedChoice("tuned-accuracy", student, problem, reference)]);
        var requests = new (string Id, string Exercise, TuningRequest Tuning)[]
        {
            ("net/instructor", "two_layer_net", Net(net, net)),
            ("net/lr-1e-9", "two_layer_net", Net(TooSlow, net)),
            ("net/unread", "two_layer_net", Net(null, net, "单元 a1c7e2f0b935 unreadable")),
            // The threshold is the reference choice's own accuracy: set by a hopeless choice, the instructor's passes easily.
            ("net/hopeless-reference", "two_layer_net", Net(net, TooSlow)),
            ("features/instructor", "features", new TuningRequest(data,
            [
                new TunedChoice("svm-tuned", Instructors("features", "svm-tuned"), null, Instructors("features", "svm-tuned")),
                new TunedChoice("net-tuned", Instructors("features", "net-tuned"), null, Instructors("features", "net-tuned")),
            ])),
        };

        Responses = await GraderSources.GradeAllAsync(Limits, requests.Select(r => (r.Id, sources, r.Exercise, (TuningRequest?)r.Tuning)));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_temp, recursive: true);
        return Task.CompletedTask;
    }
}

[Trait("Category", "EndToEnd")]
public sealed class TunedChecksTests(TunedGradings gradings, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<TunedGradings>
{
    private CheckVerdict Outcome(string request, string check)
    {
        var response = gradings.Responses[request];
        Assert.True(response.CompileErrors is null, $"{request} did not compile: {response.CompileErrors}");
        Assert.True(response.Fault is null, $"{request}: the grader's fault: {response.Fault}");
        var outcome = response.Report!.Outcomes.Single(o => o.Id == check);
        output.WriteLine($"{request} {check}: {outcome.Fraction} {outcome.Message} [{outcome.Detail}]");
        return outcome;
    }

    /// <summary>The two accuracies a retraining message gives, the student's first.</summary>
    private static (double Student, double Reference) Accuracies(CheckVerdict outcome)
    {
        var match = System.Text.RegularExpressions.Regex.Match(outcome.Message, @"validation accuracy (?<s>[\d.]+), the instructor's choice (?<r>[\d.]+)");
        Assert.True(match.Success, outcome.Message);
        return (double.Parse(match.Groups["s"].Value, System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(match.Groups["r"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Should_Give_The_Instructors_Choice_Full_Marks_On_Both_Exercises()
    {
        foreach (var (request, check) in new[] { ("net/instructor", "tuned-accuracy"), ("features/instructor", "svm-tuned"), ("features/instructor", "net-tuned") })
        {
            var outcome = Outcome(request, check);
            Assert.Equal(1, outcome.Fraction);
            var (student, reference) = Accuracies(outcome);
            // The same code, choice and seed on both sides: the same accuracy, well above chance on the learnable stand-in.
            Assert.Equal(reference, student, 3);
            Assert.True(reference > 0.3, outcome.Message);
        }
    }

    [Fact]
    public void Should_Give_A_Learning_Rate_Of_1e_9_Nothing_And_Name_It()
    {
        var outcome = Outcome("net/lr-1e-9", "tuned-accuracy");
        Assert.Equal(0, outcome.Fraction);
        Assert.Contains("learning rate 1E-09", outcome.Message, StringComparison.Ordinal);
        var (student, reference) = Accuracies(outcome);
        Assert.True(student < reference - 0.08, outcome.Message);
    }

    [Fact]
    public void Should_Give_An_Unread_Choice_Nothing_With_The_Runners_Reason()
    {
        var outcome = Outcome("net/unread", "tuned-accuracy");
        Assert.Equal(0, outcome.Fraction);
        Assert.Equal("单元 a1c7e2f0b935 unreadable", outcome.Message);
    }

    [Fact]
    public void Should_Set_The_Threshold_From_The_Reference_Choices_Own_Training()
    {
        var hopeless = Accuracies(Outcome("net/hopeless-reference", "tuned-accuracy"));
        var instructors = Accuracies(Outcome("net/instructor", "tuned-accuracy"));
        Assert.Equal(instructors.Student, hopeless.Student, 3);
        Assert.True(hopeless.Reference < instructors.Reference - 0.1, $"{hopeless} vs {instructors}");
        Assert.Equal(1, Outcome("net/hopeless-reference", "tuned-accuracy").Fraction);
    }
}
