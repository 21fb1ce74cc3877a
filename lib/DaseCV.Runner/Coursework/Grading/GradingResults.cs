using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using DaseCV.Grader;
using DaseCV.Runner.Html;
using DaseCV.Runner.IO;
using DaseCV.Runner.Ipynb;
using DaseCV.Runner.Text;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>One Gradescope test result.</summary>
internal sealed record GradedTest(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("max_score")] double MaxScore,
    [property: JsonPropertyName("output")] string Output,
    [property: JsonPropertyName("visibility")] string Visibility = "visible",
    [property: JsonPropertyName("extra_data"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? ExtraData = null)
{
    /// <summary>What only the instructor reads (Gradescope keeps extra_data from students).</summary>
    [JsonIgnore]
    public string? InstructorDetail => ExtraData?.GetValueOrDefault("instructor");
}

/// <summary>One exercise of a graded submission as the TA's page shows it.</summary>
/// <param name="Exercise">The exercise's id.</param>
/// <param name="Code">The student's files holding its regions, with those regions or their problem.</param>
/// <param name="Answers">Its written answers, for the TA to mark.</param>
/// <param name="NotebookPage">The file name of its notebook rendered by our exporter, next to the page; null when there is none.</param>
/// <param name="Missing">Why the submission holds nothing of it, or null.</param>
internal sealed record ExerciseReport(string Exercise, IReadOnlyList<StudentFile> Code, IReadOnlyList<NotebookAnswer> Answers, string? NotebookPage, string? Missing);

/// <summary>Gradescope's autograder results (results.json): total score, run time, a message, one entry per check.</summary>
/// <param name="ExtraData">Gradescope's top-level extra_data: the student's name and ID as submission.json gives them.</param>
internal sealed record GradingResults(
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("execution_time")] double ExecutionTime,
    [property: JsonPropertyName("output")] string Output,
    [property: JsonPropertyName("tests")] IReadOnlyList<GradedTest> Tests,
    [property: JsonPropertyName("extra_data"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? ExtraData = null)
{
    public double MaxScore => Tests.Sum(t => t.MaxScore);

    public string ToJson() => JsonSerializer.Serialize(this, JsonFiles.Options) + "\n";

    public static GradingResults FromJson(string json) =>
        JsonSerializer.Deserialize<GradingResults>(json) ?? throw new InvalidDataException("results.json is empty.");

    /// <summary>
    /// The TA's page: the scores (each exercise's, then the total), each check's output, and for each exercise the
    /// written answers as text, the student's code between the markers (highlighted), and a link to the student's
    /// notebook as the grader rendered it.
    /// </summary>
    /// <param name="title">The page's title.</param>
    /// <param name="catalog">The checks graded, for each exercise's points.</param>
    /// <param name="exercises">Each graded exercise's code, answers and notebook page.</param>
    public string ToHtml(string title, IReadOnlyList<CatalogEntry> catalog, IReadOnlyList<ExerciseReport> exercises)
    {
        // Bidirectional controls shown as [U+202E]: a name or message cannot reorder what the TA reads.
        static string E(string s) => WebUtility.HtmlEncode(BidiControls.Visible(s));
        static string N(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);
        const string css = "table.checks{border-collapse:collapse;width:100%;margin:1rem 0}table.checks td,table.checks th{border:1px solid #d0d7de;padding:.4rem;vertical-align:top;text-align:left}"
                           + "td.score{white-space:nowrap;text-align:right}tr.full td.score{background:#e6f4ea}tr.zero td.score{background:#fce8e6}tr.part td.score{background:#fef7e0}"
                           + "pre.text{background:#f6f8fa;padding:.5rem;font-size:.85rem}.flag{color:#b3261e}";
        var html = new StringBuilder();
        html.Append($"<h1>{E(title)}</h1>\n<p><strong>{N(Score)} / {N(MaxScore)}</strong> 分 (points)，评分用时 (graded in) {N(ExecutionTime)} s.</p>\n");
        if (exercises.Count > 0)
            html.Append("<ul class=\"exercises\">").AppendJoin("", exercises.Select(x =>
            {
                var checks = catalog.Where(c => c.Exercise == x.Exercise).ToList();
                return $"<li>{E(x.Exercise)}: <strong>{N(checks.Sum(c => GradedChecks.Score(this, c)))} / {N(checks.Sum(c => c.Points))}</strong>" +
                       (x.Missing is null ? "" : $" <span class=\"flag\">{E(x.Missing)}</span>") + "</li>";
            })).Append("</ul>\n");
        if (ExtraData is { } who && (who.GetValueOrDefault("studentName") is { Length: > 0 } || who.GetValueOrDefault("run") is { Length: > 0 }))
            html.Append($"<p>学生 (student): <strong>{E(who.GetValueOrDefault("studentName") ?? "")}</strong> 学号 (ID): <strong>{E(who.GetValueOrDefault("studentId") ?? "")}</strong>")
                .Append(who.GetValueOrDefault("run") is { Length: > 0 } run ? $"<br><span class=\"flag\">{E(run)}</span>" : "").Append("</p>\n");
        foreach (var page in exercises.Where(x => x.NotebookPage is not null))
            html.Append($"<p><a href=\"{Uri.EscapeDataString(page.NotebookPage!)}\">学生的笔记本 {E(page.Exercise)} (the student's notebook)</a>: 由评分程序从提交的 .ipynb 重新生成并清理，不是学生自己的 HTML " +
                        "(rendered by the grader from the submitted .ipynb and sanitised, never the student's own HTML).</p>\n");
        if (Output.Length > 0)
            html.Append($"<pre class=\"text\">{E(Output)}</pre>\n");
        html.Append("<table class=\"checks\">\n<tr><th>检查 (check)</th><th>得分 (points)</th><th>说明 (output)</th></tr>\n");
        foreach (var test in Tests)
        {
            var rowClass = test.Score >= test.MaxScore ? "full" : test.Score <= 0 ? "zero" : "part";
            var detail = test.InstructorDetail is { Length: > 0 } d ? $"<pre class=\"text detail\">instructor: {E(d)}</pre>" : "";
            html.Append($"<tr class=\"{rowClass}\"><td>{E(test.Name)}</td><td class=\"score\">{N(test.Score)} / {N(test.MaxScore)}</td><td><pre class=\"text\">{E(test.Output)}</pre>{detail}</td></tr>\n");
        }

        html.Append("</table>\n");
        foreach (var exercise in exercises)
        {
            html.Append($"<h2>{E(exercise.Exercise)}</h2>\n");
            if (exercise.Answers.Count > 0)
            {
                html.Append("<h3>书面回答 (written answers, to mark by hand)</h3>\n");
                foreach (var answer in exercise.Answers)
                    html.Append($"<h4>{E(answer.Question)} · {E(answer.Label)}</h4>\n<pre class=\"text\">{E(answer.Text)}</pre>\n");
            }

            if (exercise.Code.Count == 0)
                continue;
            html.Append("<h3>学生的代码 (the student's code between the markers)</h3>\n");
            foreach (var file in exercise.Code)
            {
                html.Append($"<h4>{E(file.RelativePath)}</h4>\n");
                if (file.Problem is not null)
                    html.Append($"<p class=\"flag\">{E(file.Problem)}</p>\n");
                foreach (var region in file.Regions)
                    html.Append($"<h5>{E(region.Function)}</h5>\n").Append(NotebookHtml.SourceHtml(BidiControls.Visible(StudentCodeAppendix.Dedent(region.Code)))).Append('\n');
            }
        }

        return HtmlDocument.Write("zh", title, html.ToString(), css);
    }
}
