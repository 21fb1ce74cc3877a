using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using DaseCV.Runner.Coursework;

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

/// <summary>Gradescope's autograder results (results.json): total score, run time, a message, one entry per check.</summary>
/// <param name="ExtraData">Gradescope's top-level extra_data: the student's name and ID as submission.json gives them.</param>
internal sealed record GradingResults(
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("execution_time")] double ExecutionTime,
    [property: JsonPropertyName("output")] string Output,
    [property: JsonPropertyName("tests")] IReadOnlyList<GradedTest> Tests,
    [property: JsonPropertyName("extra_data"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? ExtraData = null)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public double MaxScore => Tests.Sum(t => t.MaxScore);

    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";

    public static GradingResults FromJson(string json) =>
        JsonSerializer.Deserialize<GradingResults>(json) ?? throw new InvalidDataException("results.json is empty.");

    /// <summary>A readable, self-contained page: the scores, each check's output, and the student's code between the markers.</summary>
    /// <param name="title">The page's title.</param>
    /// <param name="code">The student's code between the markers.</param>
    /// <param name="answers">The written answers, shown as text for the TA to mark (hand-marks.csv).</param>
    public string ToHtml(string title, IReadOnlyList<StudentFile> code, IReadOnlyList<NotebookAnswer>? answers = null)
    {
        // Bidirectional controls shown as [U+202E]: a name or message cannot reorder what the TA reads.
        static string E(string s) => WebUtility.HtmlEncode(CsvFile.Visible(s));
        static string N(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append($"<title>{E(title)}</title>\n<style>\n");
        html.Append("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}");
        html.Append("table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.4rem;vertical-align:top;text-align:left}");
        html.Append("td.score{white-space:nowrap;text-align:right}tr.full td.score{background:#e6f4ea}tr.zero td.score{background:#fce8e6}tr.part td.score{background:#fef7e0}");
        html.Append("pre{white-space:pre-wrap;background:#f6f8fa;padding:.5rem;margin:0;font-size:.85rem}");
        html.Append("\n</style>\n</head>\n<body>\n");
        html.Append($"<h1>{E(title)}</h1>\n<p><strong>{N(Score)} / {N(MaxScore)}</strong> points, graded in {N(ExecutionTime)} s.</p>\n");
        if (ExtraData is { } who && (who.GetValueOrDefault("studentName") is { Length: > 0 } || who.GetValueOrDefault("run") is { Length: > 0 }))
            html.Append($"<p>学生 (student): <strong>{E(who.GetValueOrDefault("studentName") ?? "")}</strong> 学号 (ID): <strong>{E(who.GetValueOrDefault("studentId") ?? "")}</strong>")
                .Append(who.GetValueOrDefault("run") is { Length: > 0 } run ? $"<br><span style=\"color:#b3261e\">{E(run)}</span>" : "").Append("</p>\n");
        if (Output.Length > 0)
            html.Append($"<pre>{E(Output)}</pre>\n");
        html.Append("<table>\n<tr><th>check</th><th>points</th><th>output</th></tr>\n");
        foreach (var test in Tests)
        {
            var rowClass = test.Score >= test.MaxScore ? "full" : test.Score <= 0 ? "zero" : "part";
            var detail = test.InstructorDetail is { Length: > 0 } d ? $"<pre class=\"detail\">instructor: {E(d)}</pre>" : "";
            html.Append($"<tr class=\"{rowClass}\"><td>{E(test.Name)}</td><td class=\"score\">{N(test.Score)} / {N(test.MaxScore)}</td><td><pre>{E(test.Output)}</pre>{detail}</td></tr>\n");
        }

        html.Append("</table>\n");
        if (answers is { Count: > 0 })
        {
            html.Append("<h2>书面回答 (written answers, to mark by hand)</h2>\n");
            foreach (var answer in answers)
                html.Append($"<h4>{E(answer.Question)} · {E(answer.Label)}</h4>\n<pre>{E(answer.Text)}</pre>\n");
        }

        html.Append("<h2>The student's code (between the markers)</h2>\n");
        foreach (var file in code)
        {
            html.Append($"<h3>{E(file.RelativePath)}</h3>\n");
            if (file.Problem is not null)
                html.Append($"<p>{E(file.Problem)}</p>\n");
            foreach (var region in file.Regions)
                html.Append($"<h4>{E(region.Function)}</h4>\n<pre>{E(region.Code)}</pre>\n");
        }

        return html.Append("</body>\n</html>\n").ToString();
    }
}
