using DaseCV.Runner.IO;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>One assignment's grade of a student: an LMS column (each exercise is an assignment of its own).</summary>
/// <param name="Assignment">The column's name, e.g. <c>softmax</c> or, as Canvas exports it, <c>softmax (12345)</c>.</param>
/// <param name="Points">Points, hand marks included.</param>
/// <param name="Max">Points possible; the same for every row of a file.</param>
internal sealed record LmsGrade(string Assignment, double Points, double Max);

/// <summary>One student's grades for an LMS.</summary>
/// <param name="Name">The student's name (from the roster, else as typed).</param>
/// <param name="Id">The school's student ID (学号): Canvas's SIS User ID, Moodle's ID number.</param>
/// <param name="Grades">One per assignment (exercise), in the same order in every row of a file.</param>
/// <param name="Checks">Points of each check, shown in Moodle's feedback (Canvas would make each column a new assignment).</param>
/// <param name="Comment">The TA's feedback to the student; may be empty.</param>
internal sealed record LmsRow(string Name, string Id, IReadOnlyList<LmsGrade> Grades, IReadOnlyList<(string Column, double Points)> Checks, string Comment);

/// <summary>
/// Grades as files an LMS imports: Canvas's gradebook CSV and Moodle's "Import grades from CSV". Every text cell goes
/// through <see cref="CsvFile.Cell"/> (quoted, no formula, bidi controls visible), numbers are invariant, files are
/// UTF-8 with BOM and CRLF, so Excel opens them as written.
/// </summary>
internal static class LmsExport
{
    /// <summary>Canvas's fixed leading columns of a gradebook import; the assignment's column follows them.</summary>
    public static readonly IReadOnlyList<string> CanvasColumns = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"];

    /// <summary>Moodle's columns: the user identifier, the name (for the TA's eye; Moodle maps by ID number), grade and feedback follow.</summary>
    public const string MoodleIdColumn = "ID number", MoodleNameColumn = "Full name", MoodleFeedbackColumn = "Feedback";

    /// <summary>
    /// Canvas's gradebook import (Grades → Import): <c>Student,ID,SIS User ID,SIS Login ID,Section</c> and a column per
    /// assignment, then a <c>Points Possible</c> row, then one row per student. Canvas matches students by ID or SIS
    /// User ID; the Canvas user ID is not known here, so ID stays empty and the student ID goes into SIS User ID. An
    /// assignment column named as Canvas exports it (<c>softmax (12345)</c>, with the assignment's id) updates that
    /// assignment; any other name makes a new one.
    /// </summary>
    /// <exception cref="ArgumentException">Rows disagree on the assignments or their points possible, or a number is not finite.</exception>
    public static string Canvas(IReadOnlyList<LmsRow> rows)
    {
        var assignments = Assignments(rows);
        var text = CsvFile.Line([.. CanvasColumns.Select(CsvFile.Cell), .. assignments.Select(a => CsvFile.Cell(a.Assignment))]);
        text += CsvFile.Line([CsvFile.Cell("Points Possible"), .. Enumerable.Repeat(CsvFile.Cell(""), CanvasColumns.Count - 1), .. assignments.Select(a => a.Max)]);
        foreach (var row in rows)
            text += CsvFile.Line([CsvFile.Cell(row.Name), CsvFile.Cell(""), CsvFile.Cell(row.Id), CsvFile.Cell(""), CsvFile.Cell(""), .. row.Grades.Select(g => CsvFile.Number(g.Points))]);
        return text;
    }

    /// <summary>
    /// Moodle's grade import from CSV (Grades → Import → CSV file): <c>ID number,Full name</c>, a column per assignment,
    /// <c>Feedback</c>; one row per student. On import, map "ID number" to the user's ID number, each assignment's
    /// column to its grade item and Feedback to one item's feedback. The feedback is the TA's comment, then each check's points.
    /// </summary>
    /// <exception cref="ArgumentException">Rows disagree on the assignments or their points possible, or a number is not finite.</exception>
    public static string Moodle(IReadOnlyList<LmsRow> rows)
    {
        var assignments = Assignments(rows);
        var text = CsvFile.Line([CsvFile.Cell(MoodleIdColumn), CsvFile.Cell(MoodleNameColumn), .. assignments.Select(a => CsvFile.Cell(a.Assignment)), CsvFile.Cell(MoodleFeedbackColumn)]);
        foreach (var row in rows)
        {
            var checks = string.Join("; ", row.Checks.Select(c => $"{c.Column} {CsvFile.Number(c.Points)}"));
            var feedback = row.Comment.Length > 0 && checks.Length > 0 ? $"{row.Comment}\n{checks}" : row.Comment + checks;
            text += CsvFile.Line([CsvFile.Cell(row.Id), CsvFile.Cell(row.Name), .. row.Grades.Select(g => CsvFile.Number(g.Points)), CsvFile.Cell(feedback)]);
        }

        return text;
    }

    /// <summary>Writes <see cref="Canvas"/>'s text to <paramref name="path"/> (UTF-8 with BOM, whole or not at all).</summary>
    public static void WriteCanvas(string path, IReadOnlyList<LmsRow> rows) => Write(path, Canvas(rows));

    /// <summary>Writes <see cref="Moodle"/>'s text to <paramref name="path"/> (UTF-8 with BOM, whole or not at all).</summary>
    public static void WriteMoodle(string path, IReadOnlyList<LmsRow> rows) => Write(path, Moodle(rows));

    private static void Write(string path, string text) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, CsvFile.Utf8WithBom, leaveOpen: true);
        writer.Write(text);
    });

    // One set of columns for the class, each with one maximum: a row that differs is a mistake in the caller, not something to average away.
    private static IReadOnlyList<(string Assignment, string Max)> Assignments(IReadOnlyList<LmsRow> rows)
    {
        if (rows.Count == 0)
            return [];
        var names = rows[0].Grades.Select(g => g.Assignment).ToList();
        if (rows.FirstOrDefault(r => !r.Grades.Select(g => g.Assignment).SequenceEqual(names)) is { } other)
            throw new ArgumentException($"rows disagree on the assignments: {string.Join(", ", names)} and {string.Join(", ", other.Grades.Select(g => g.Assignment))}.", nameof(rows));
        return [.. names.Select((name, k) =>
        {
            var maxima = rows.Select(r => r.Grades[k].Max).Distinct().ToList();
            if (maxima.Count > 1)
                throw new ArgumentException($"rows disagree on the points possible of {name}: {string.Join(", ", maxima.Select(CsvFile.Number))}; an LMS column has one.", nameof(rows));
            return (name, CsvFile.Number(maxima[0]));
        })];
    }
}
