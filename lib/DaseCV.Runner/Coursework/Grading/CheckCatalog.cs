namespace DaseCV.Runner.Coursework.Grading;

/// <summary>One autograder check: its id, the name Gradescope shows, its points, and where it runs.</summary>
/// <param name="Id">Stable id, passed to the grader process.</param>
/// <param name="Name">Shown to students.</param>
/// <param name="MaxScore">Points.</param>
/// <param name="RunsStudentCode">True: runs in its own grader process; false: the grade command reads the notebook.</param>
internal sealed record GradingCheck(string Id, string Name, double MaxScore, bool RunsStudentCode);

/// <summary>
/// The checks and their points. This file is compiled into both the runner (which schedules the checks and writes
/// the results) and the grader (which runs them), so the two always agree.
/// </summary>
internal static class CheckCatalog
{
    public static IReadOnlyList<GradingCheck> All { get; } =
    [
        new("naive-loss", "SoftmaxLoss.Naive: loss and gradient match the reference (unseen cases)", 15, true),
        new("naive-large-scores", "SoftmaxLoss.Naive: finite and correct with scores of order 1e4", 5, true),
        new("vectorized-loss", "SoftmaxLoss.Vectorized: loss and gradient match the reference (unseen cases)", 15, true),
        new("vectorized-large-scores", "SoftmaxLoss.Vectorized: finite and correct with scores of order 1e4", 5, true),
        new("naive-equals-vectorized", "SoftmaxLoss: Naive and Vectorized agree", 5, true),
        new("naive-gradient-check", "SoftmaxLoss.Naive: sparse numerical gradient check", 10, true),
        new("vectorized-gradient-check", "SoftmaxLoss.Vectorized: sparse numerical gradient check", 5, true),
        new("vectorized-speed", "SoftmaxLoss.Vectorized: speed against the reference (500 × 3073)", 10, true),
        new("predict", "LinearClassifier.Predict: the reference's labels for a given W", 5, true),
        new("training-accuracy", "Softmax.Train: validation accuracy of a fixed configuration on synthetic data", 15, true),
        new("answer-1", "问题 1: answered", 5, false),
        new("answer-2", "问题 2: answered (answer and explanation)", 5, false),
    ];

    public static GradingCheck? Find(string id) => All.FirstOrDefault(c => c.Id == id);
}
