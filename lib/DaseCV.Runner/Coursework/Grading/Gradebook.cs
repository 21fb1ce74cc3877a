using System.Globalization;
using System.Text;
using DaseCV.Grader;
using DaseCV.Runner.Text;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>The class's gradebook.csv: one row per submission, each exercise's total, every check's points, the totals, a status and the first reason.</summary>
internal static class Gradebook
{
    /// <summary>
    /// Columns: student (the file name's), name and id (as typed in submission.json), each exercise's points (hand
    /// marks included), each check's points (<see cref="Column"/>), total (automatic), final (with the TA's hand
    /// marks), max, status (<see cref="Status"/>), reason, flags (the roster's).
    /// </summary>
    /// <param name="finals">Each student's points per exercise, hand marks included.</param>
    public static string Text(IReadOnlyList<CatalogEntry> catalog, IReadOnlyList<GradedRow> rows, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> finals,
        Func<string, IReadOnlyList<string>> flags)
    {
        var exercises = GradedChecks.Exercises(catalog);
        var csv = new StringBuilder();
        csv.Append("student,name,id,").AppendJoin(',', exercises.Select(CsvFile.Cell)).Append(',')
            .AppendJoin(',', catalog.Select(c => CsvFile.Cell(Column(c)))).Append(",total,final,max,status,reason,flags\n");
        foreach (var row in rows.OrderBy(r => r.Student, StringComparer.Ordinal))
        {
            var results = row.Results;
            var reason = row.Fault ?? Reasons(results).FirstOrDefault() ?? "";
            csv.Append(CsvFile.Cell(row.Student)).Append(',').Append(CsvFile.Cell(row.Name)).Append(',').Append(CsvFile.Cell(row.Id)).Append(',')
                .AppendJoin(',', exercises.Select(e => N(finals[row.Student][e]))).Append(',')
                .AppendJoin(',', catalog.Select(c => N(GradedChecks.Score(results, c)))).Append(',').Append(N(results.Score)).Append(',')
                .Append(N(finals[row.Student].Values.Sum())).Append(',')
                .Append(N(results.MaxScore)).Append(',').Append(Status(row)).Append(',').Append(CsvFile.Cell(Feedback.Clean(reason.ReplaceLineEndings(" "), 300)))
                .Append(',').Append(CsvFile.Cell(string.Join("; ", flags(row.Student)))).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>A check's column: <c>exercise/id</c>, e.g. <c>softmax/naive-loss</c> (ids repeat across exercises: <c>answer-1</c>).</summary>
    public static string Column(CatalogEntry check) => $"{check.Exercise}/{check.Id}";

    /// <summary><c>full</c>, <c>graded</c>, <c>problem</c> (with a reason), or <c>not graded</c> (the machine failed).</summary>
    public static string Status(GradedRow row) =>
        row.Fault is not null ? "not graded" : row.Results.Tests.All(t => t.Score == t.MaxScore) ? "full" : Reasons(row.Results).Any() ? "problem" : "graded";

    // After the sandbox line; the code-hash lines are facts about the zip, not reasons for the score.
    private static IEnumerable<string> Reasons(GradingResults results) =>
        results.Output.Split("\n\n").Skip(1).Where(r => !r.StartsWith("code hash", StringComparison.Ordinal));

    private static string N(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);
}
