using System.Globalization;
using System.Text.RegularExpressions;
using DaseCV.Grader;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>
/// The grader's catalog as the runner's report files use it: each check's test name in results.json (the exercise
/// first, so two exercises' "问题 1" stay apart), its points in a graded row, the exercises in catalog order.
/// </summary>
internal static partial class GradedChecks
{
    /// <summary>The test's name in results.json and Gradescope: <c>softmax · SoftmaxLoss.Naive：损失 …</c>.</summary>
    public static string TestName(CatalogEntry check) => $"{check.Exercise} · {check.Name}";

    /// <summary>The points <paramref name="results"/> gave <paramref name="check"/>; 0 when it has no such test.</summary>
    public static double Score(GradingResults results, CatalogEntry check) =>
        results.Tests.FirstOrDefault(t => t.Name == TestName(check))?.Score ?? 0;

    /// <summary>The question (问题 N) an answer check is about: the number its id ends with (<c>answer-2</c>); null for another check.</summary>
    public static int? Question(CatalogEntry check) =>
        check.Kind == "answer" && AnswerId().Match(check.Id) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    /// <summary>The answer check of question <paramref name="question"/> in <paramref name="exercise"/>, or null.</summary>
    public static CatalogEntry? AnswerCheck(IReadOnlyList<CatalogEntry> catalog, string exercise, int question) =>
        catalog.FirstOrDefault(c => c.Exercise == exercise && Question(c) == question);

    /// <summary>The exercises of <paramref name="catalog"/>, in its order.</summary>
    public static IReadOnlyList<string> Exercises(IReadOnlyList<CatalogEntry> catalog) => [.. catalog.Select(c => c.Exercise).Distinct()];

    [GeneratedRegex(@"answer-(\d+)$")]
    private static partial Regex AnswerId();
}
