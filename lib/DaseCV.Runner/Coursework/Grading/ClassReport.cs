using System.Globalization;
using System.Net;
using System.Text;
using DaseCV.Grader;
using DaseCV.Runner.Html;
using DaseCV.Runner.IO;
using DaseCV.Runner.Text;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>A TA's mark for one written answer: it replaces that question's automatic "answered" points.</summary>
internal sealed record HandMark(string Student, string Exercise, int Question, double Points, string Comment);

/// <summary>
/// The class's report rows, the last stage: gradebook.csv, skipped.txt, index.html (the TA's overview: one row per
/// student, sortable, filtered by status, linked to each report), Canvas's and Moodle's import files, and
/// hand-marks.csv, the TA's own file: written once as a template, then only read, so regrades keep the marks.
/// With a roster, every row is matched to a student, a typed name or ID that differs from the file name's is flagged,
/// and who handed in nothing is listed.
/// </summary>
internal static class ClassReport
{
    public const string HandMarksFile = "hand-marks.csv", IndexFile = "index.html";

    /// <summary>
    /// Reads <paramref name="path"/>: <c>student,exercise,question,points,comment</c> (or, as written for the softmax
    /// exercise alone, <c>student,question,points,comment</c>); none when it does not exist.
    /// </summary>
    /// <exception cref="UsageException">A malformed line, naming the file, line and field.</exception>
    public static IReadOnlyList<HandMark> ReadHandMarks(string path, IReadOnlyList<CatalogEntry> catalog)
    {
        if (!File.Exists(path))
            return [];
        IReadOnlyList<CsvRecord> records;
        try
        {
            records = CsvFile.Read(File.ReadAllText(path), HandMarksFile);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(e.Message);
        }

        var withExercise = records.Count > 0 && records[0].Fields.Count > 1 && records[0].Fields[1].Trim() == "exercise";
        var marks = new List<HandMark>();
        foreach (var record in records.Skip(1))
        {
            string Field(int k) => k < record.Fields.Count ? record.Fields[k].TrimStart('\'') : "";
            var (exercise, q, p, c) = withExercise ? (Field(1).Trim(), Field(2), Field(3), Field(4)) : ("softmax", Field(1), Field(2), Field(3));
            if (p.Trim().Length == 0)
                continue;  // not marked yet
            var question = int.TryParse(q, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
            var max = GradedChecks.AnswerCheck(catalog, exercise, question)?.Points;
            if (max is null)
                throw new UsageException($"{path}：第 {record.Line} 行：练习 {exercise} 没有问题 {q} ({path}: line {record.Line}: the exercise '{exercise}' has no 问题 '{q}' to mark)");
            if (!double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var points) || points < 0 || points > max)
                throw new UsageException($"{path}：第 {record.Line} 行：分数 '{p}' 应在 0 到 {max} 之间 ({path}: line {record.Line}: points '{p}' must be a number from 0 to {max})");
            marks.Add(new HandMark(Field(0), exercise, question, points, c));
        }

        return marks;
    }

    /// <summary>Writes every class-level file into <paramref name="output"/>.</summary>
    public static void Write(string output, IReadOnlyList<CatalogEntry> catalog, IReadOnlyList<GradedRow> rows, IReadOnlyList<SkippedEntry> skipped, Roster? roster)
    {
        var handMarks = ReadHandMarks(Path.Combine(output, HandMarksFile), catalog);
        var matches = rows.ToDictionary(r => r.Student, r => roster?.Match(r.Student, NullIfEmpty(r.Name), NullIfEmpty(r.Id)));
        var missing = roster?.WithoutSubmission(matches.Values.OfType<RosterMatch>()) ?? [];
        var finals = rows.ToDictionary(r => r.Student, r => Finals(r, catalog, handMarks));

        // What the TA should look at: the roster's flags, and what the manifest says of the run (unfinished, other settings).
        IReadOnlyList<string> Flags(GradedRow row) =>
            [.. matches[row.Student]?.Flags ?? [], .. row.Results.ExtraData?.GetValueOrDefault("run") is { Length: > 0 } run ? [run] : Array.Empty<string>()];
        var flags = rows.ToDictionary(r => r.Student, Flags);
        AtomicFile.WriteAllText(Path.Combine(output, "gradebook.csv"), Gradebook.Text(catalog, rows, finals, s => flags[s]));
        AtomicFile.WriteAllText(Path.Combine(output, "skipped.txt"), string.Concat(skipped.Select(s => $"{s.Name}\t{s.Reason}\n")));
        if (!File.Exists(Path.Combine(output, HandMarksFile)))
            AtomicFile.WriteAllText(Path.Combine(output, HandMarksFile), "student,exercise,question,points,comment\n" + string.Concat(
                rows.OrderBy(r => r.Student, StringComparer.Ordinal).SelectMany(r => catalog.Where(c => GradedChecks.Question(c) is not null)
                    .Select(c => $"{CsvFile.Cell(r.Student)},{c.Exercise},{GradedChecks.Question(c)},,\n"))));

        var lms = rows.Where(r => r.Fault is null).OrderBy(r => r.Student, StringComparer.Ordinal).Select(r =>
        {
            var who = matches[r.Student]?.Student;
            var comment = string.Join(" ", handMarks.Where(m => m.Student == r.Student && m.Comment.Length > 0).Select(m => $"{m.Exercise} 问题 {m.Question}: {m.Comment}"));
            var grades = GradedChecks.Exercises(catalog).Select(e => new LmsGrade(e, finals[r.Student][e], catalog.Where(c => c.Exercise == e).Sum(c => c.Points))).ToList();
            return new LmsRow(who?.Name ?? r.Name, who?.Id ?? r.Id, grades, catalog.Select(c => (Gradebook.Column(c), GradedChecks.Score(r.Results, c))).ToList(), comment);
        }).ToList();
        if (lms.Count > 0)
        {
            LmsExport.WriteCanvas(Path.Combine(output, "canvas.csv"), lms);
            LmsExport.WriteMoodle(Path.Combine(output, "moodle.csv"), lms);
        }

        AtomicFile.WriteAllText(Path.Combine(output, IndexFile), Overview(catalog, rows, finals, flags, missing, skipped));
    }

    /// <summary>Each exercise's automatic points with each hand-marked question's points in place of its "answered" points.</summary>
    private static IReadOnlyDictionary<string, double> Finals(GradedRow row, IReadOnlyList<CatalogEntry> catalog, IReadOnlyList<HandMark> marks) =>
        GradedChecks.Exercises(catalog).ToDictionary(e => e, e =>
        {
            var total = catalog.Where(c => c.Exercise == e).Sum(c => GradedChecks.Score(row.Results, c));
            foreach (var mark in marks.Where(m => m.Student == row.Student && m.Exercise == e))
                total += mark.Points - GradedChecks.Score(row.Results, GradedChecks.AnswerCheck(catalog, e, mark.Question)!);
            return Math.Round(total, 2);
        });

    private static string Overview(IReadOnlyList<CatalogEntry> catalog, IReadOnlyList<GradedRow> rows, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> finals,
        IReadOnlyDictionary<string, IReadOnlyList<string>> flagsOf, IReadOnlyList<RosterEntry> missing, IReadOnlyList<SkippedEntry> skipped)
    {
        static string E(string s) => WebUtility.HtmlEncode(BidiControls.Visible(s));
        static string N(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);
        const string style = "body{max-width:none}table.overview{border-collapse:collapse}table.overview td,table.overview th{border:1px solid #d0d7de;padding:.25rem .4rem;text-align:left;font-size:.85rem}"
                             + "table.overview th{cursor:pointer;background:#f6f8fa}td.n{text-align:right}tr.full td.s{background:#e6f4ea}tr.problem td.s{background:#fce8e6}tr.notgraded td.s{background:#fde293}.flag{color:#b3261e}";
        // Sorting by a column and filtering by status; the page's only script, allowed by its hash.
        const string script = "document.addEventListener('DOMContentLoaded',()=>{document.querySelectorAll('th').forEach((h,i)=>h.addEventListener('click',()=>{const b=document.querySelector('tbody');"
                              + "const r=[...b.rows];const d=h.dataset.d=h.dataset.d==='1'?'-1':'1';const v=x=>{const t=x.cells[i].innerText;const n=parseFloat(t);return isNaN(n)?t:n};"
                              + "r.sort((a,c)=>(v(a)>v(c)?1:v(a)<v(c)?-1:0)*d).forEach(x=>b.appendChild(x))}));"
                              + "document.getElementById('status').addEventListener('change',e=>{document.querySelectorAll('tbody tr').forEach(x=>{x.hidden=e.target.value!==''&&x.dataset.status!==e.target.value})})});";
        var exercises = GradedChecks.Exercises(catalog);
        var html = new StringBuilder();
        html.Append($"<h1>全班评分 (class overview)</h1>\n<p>{rows.Count} 份提交 (submissions)；平均 (mean) {N(rows.Count == 0 ? 0 : finals.Values.Average(f => f.Values.Sum()))}；")
            .Append($"未评分 (not graded, machine fault) {rows.Count(r => r.Fault is not null)}；跳过 (skipped) {skipped.Count}；未提交 (no submission) {missing.Count}</p>\n")
            .Append("<p><label>状态 (status) <select id=\"status\"><option value=\"\">全部 (all)</option><option>full</option><option>graded</option><option>problem</option><option>not graded</option></select></label></p>\n")
            .Append("<table class=\"overview\">\n<thead><tr><th>学生 (student)</th><th>姓名 (name)</th><th>学号 (ID)</th>")
            .AppendJoin("", exercises.Select(e => $"<th title=\"{E(e)}: 最终 (final, of {N(catalog.Where(c => c.Exercise == e).Sum(c => c.Points))})\">{E(e)}</th>"))
            .AppendJoin("", catalog.Select(c => $"<th title=\"{E(c.Name)}\">{E(Gradebook.Column(c))}</th>"))
            .Append("<th>自动 (auto)</th><th>最终 (final)</th><th>状态 (status)</th><th>提示 (flags)</th></tr></thead>\n<tbody>\n");
        foreach (var row in rows.OrderBy(r => r.Student, StringComparer.Ordinal))
        {
            var status = Gradebook.Status(row);
            var flags = flagsOf[row.Student];
            html.Append($"<tr class=\"{status.Replace(" ", "", StringComparison.Ordinal)}\" data-status=\"{status}\">")
                .Append($"<td><a href=\"{Uri.EscapeDataString(row.Student)}/report.html\">{E(row.Student)}</a></td><td>{E(row.Name)}</td><td>{E(row.Id)}</td>")
                .AppendJoin("", exercises.Select(e => $"<td class=\"n\">{N(finals[row.Student][e])}</td>"))
                .AppendJoin("", catalog.Select(c => $"<td class=\"n\">{N(GradedChecks.Score(row.Results, c))}</td>"))
                .Append($"<td class=\"n\">{N(row.Results.Score)}</td><td class=\"n\">{N(finals[row.Student].Values.Sum())}</td><td class=\"s\">{E(status)}</td>")
                .Append($"<td class=\"flag\">{E(string.Join("; ", flags))}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        if (missing.Count > 0)
            html.Append("<h2>未提交 (no submission)</h2>\n<ul>\n").AppendJoin("", missing.Select(m => $"<li>{E(m.Name)} ({E(m.Id)})</li>\n")).Append("</ul>\n");
        if (skipped.Count > 0)
            html.Append("<h2>跳过 (skipped)</h2>\n<ul>\n").AppendJoin("", skipped.Select(s => $"<li>{E(s.Name)}: {E(s.Reason)}</li>\n")).Append("</ul>\n");
        return HtmlDocument.Write("zh", "全班评分 (class overview)", html.ToString(), style, [new PageScript(script)]);
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
