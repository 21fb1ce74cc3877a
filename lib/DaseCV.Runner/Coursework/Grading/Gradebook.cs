using System.Globalization;
using System.Text;
using DaseCV.Grader;
using DaseCV.Runner.Text;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>The class's gradebook.csv: one row per submission, every check's points, the totals, a status and the first reason.</summary>
internal static class Gradebook
{
    /// <summary>
    /// Columns: student (the file name's), name and id (as typed in submission.json), each check's points, total
    /// (automatic), final (with the TA's hand marks), max, status (<see cref="Status"/>), reason, flags (the roster's).
    /// </summary>
    public static string Text(IReadOnlyList<CatalogEntry> catalog, IReadOnlyList<GradedRow> rows, IReadOnlyDictionary<string, double> finals,
        Func<string, IReadOnlyList<string>> flags)
    {
        var csv = new StringBuilder();
        csv.Append("student,name,id,").AppendJoin(',', catalog.Select(c => CsvFile.Cell(c.Id))).Append(",total,final,max,status,reason,flags\n");
        foreach (var row in rows.OrderBy(r => r.Student, StringComparer.Ordinal))
        {
            var results = row.Results;
            var scores = catalog.Select(c => results.Tests.FirstOrDefault(t => t.Name == c.Name)?.Score ?? 0);
            var reason = row.Fault ?? Reasons(results).FirstOrDefault() ?? "";
            csv.Append(CsvFile.Cell(row.Student)).Append(',').Append(CsvFile.Cell(row.Name)).Append(',').Append(CsvFile.Cell(row.Id)).Append(',')
                .AppendJoin(',', scores.Select(N)).Append(',').Append(N(results.Score)).Append(',').Append(N(finals[row.Student])).Append(',')
                .Append(N(results.MaxScore)).Append(',').Append(Status(row)).Append(',').Append(CsvFile.Cell(Feedback.Clean(reason.ReplaceLineEndings(" "), 300)))
                .Append(',').Append(CsvFile.Cell(string.Join("; ", flags(row.Student)))).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary><c>full</c>, <c>graded</c>, <c>problem</c> (with a reason), or <c>not graded</c> (the machine failed).</summary>
    public static string Status(GradedRow row) =>
        row.Fault is not null ? "not graded" : row.Results.Tests.All(t => t.Score == t.MaxScore) ? "full" : Reasons(row.Results).Any() ? "problem" : "graded";

    // After the sandbox line; the code-hash line is a fact about the zip, not a reason for the score.
    private static IEnumerable<string> Reasons(GradingResults results) =>
        results.Output.Split("\n\n").Skip(1).Where(r => !r.StartsWith("code hash: ", StringComparison.Ordinal));

    private static string N(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);
}
