using System.Globalization;
using System.Text;
using DaseCV.Grader;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>The class's gradebook.csv: one row per submission, every check's points, the total, a status and the first reason.</summary>
internal static class Gradebook
{
    /// <summary>
    /// Columns: student (the file name's), name and id (as typed in submission.json), each check's points, total,
    /// max, status (<c>full</c>, <c>graded</c>, <c>problem</c> with a reason, <c>not graded</c>: the machine failed), reason.
    /// </summary>
    public static string Text(IReadOnlyList<CatalogEntry> catalog, IReadOnlyList<GradedRow> rows)
    {
        var csv = new StringBuilder();
        csv.Append("student,name,id,").AppendJoin(',', catalog.Select(c => Csv.Cell(c.Id))).Append(",total,max,status,reason\n");
        foreach (var row in rows.OrderBy(r => r.Student, StringComparer.Ordinal))
        {
            var results = row.Results;
            var scores = catalog.Select(c => results.Tests.FirstOrDefault(t => t.Name == c.Name)?.Score ?? 0);
            // After the sandbox line; the code-hash line is a fact about the zip, not a reason for the score.
            var reasons = results.Output.Split("\n\n").Skip(1).Where(r => !r.StartsWith("code hash: ", StringComparison.Ordinal)).ToList();
            var status = row.Fault is not null ? "not graded" : results.Tests.All(t => t.Score == t.MaxScore) ? "full" : reasons.Count > 0 ? "problem" : "graded";
            var reason = row.Fault ?? reasons.FirstOrDefault() ?? "";
            csv.Append(Csv.Cell(row.Student)).Append(',').Append(Csv.Cell(row.Name)).Append(',').Append(Csv.Cell(row.Id)).Append(',')
                .AppendJoin(',', scores.Select(N)).Append(',').Append(N(results.Score)).Append(',').Append(N(results.MaxScore)).Append(',')
                .Append(status).Append(',').Append(Csv.Cell(Feedback.Clean(reason.ReplaceLineEndings(" "), 300))).Append('\n');
        }

        return csv.ToString();
    }

    private static string N(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);
}
