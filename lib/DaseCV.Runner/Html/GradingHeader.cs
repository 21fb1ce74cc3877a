using System.Text;
using System.Text.Json.Nodes;
using DaseCV.Runner.Ipynb;
using DaseCV.Runner.Text;
using static DaseCV.Runner.Html.NotebookHtml;

namespace DaseCV.Runner.Html;

/// <summary>
/// The grading-header step: the student's name and ID, the exercise's results table (<see cref="GradingSummary"/>,
/// one column per <see cref="ResultColumn"/>) linking to the result cells, links to the written answers, and the
/// run's details. Labels are Chinese, then English.
/// </summary>
/// <param name="cells">The cells the summary reads; <see cref="ResultCells.None"/> for no results table.</param>
/// <param name="answers">The answer-boxes step, for the links to its anchors.</param>
/// <param name="isFolded">The page's folding rule: folded cells never count as results.</param>
internal sealed class GradingHeader(ResultCells cells, AnswerBoxes answers, Func<IpynbCell, bool> isFolded) : HtmlStep
{
    public override void Finish(HtmlPage page)
    {
        var notebook = page.Notebook;
        var summary = GradingSummary.From(notebook, cells, isFolded);
        var html = page.Header;
        html.Append("<header class=\"nb-header\">\n");
        html.Append($"<h1>{Encode(notebook.Name)}.ipynb</h1>\n");

        html.Append("<dl class=\"student\">\n");
        void Student(string label, string? value) => html.Append($"<dt>{label}</dt><dd>")
            .Append(string.IsNullOrWhiteSpace(value) ? "<span class=\"missing\">未填写 not given</span>" : Encode(value)).Append("</dd>\n");
        Student("学生 Student", summary.StudentName);
        Student("学号 Student ID", summary.StudentId);
        html.Append("</dl>\n");

        if (summary.Results.Count > 0)
        {
            html.Append("<table class=\"results\">\n<tr>").AppendJoin("", summary.Results.Select(r => $"<th>{Encode(r.Label)}</th>")).Append("</tr>\n<tr>");
            foreach (var result in summary.Results.Select(r => r.Value))
                html.Append("<td>").Append(result switch
                {
                    { Value: null } => $"<span class=\"missing\">未找到 not found: {Encode(result.Missing ?? "")}</span>",
                    { CellId: { } cell } => $"<a href=\"#cell-{Encode(cell)}\">{Encode(result.Value)}</a>",
                    _ => Encode(result.Value),
                }).Append("</td>");
            html.Append("</tr>\n</table>\n");
        }

        var links = answers.Cells(page);
        if (links.Count > 0)
            html.Append("<p class=\"answer-links\">答案 Answers: ")
                .AppendJoin(" · ", links.Select(a => $"<a href=\"#{a.Anchor}\">{Encode(a.Parsed.Title.Length > 0 ? a.Parsed.Title : a.Anchor)}</a>"))
                .Append("</p>\n");

        AppendRun(html, notebook, page);
        html.Append("</header>\n");
    }

    private static void AppendRun(StringBuilder html, IpynbNotebook notebook, HtmlPage page)
    {
        var run = notebook.Metadata[IpynbNotebook.RunMetadataKey] as JsonObject;
        html.Append("<dl class=\"run\">\n");
        void Row(string name, string? value) => html.Append($"<dt>{name}</dt><dd>{Encode(value ?? "未记录 not recorded")}</dd>\n");
        Row("运行日期 Run date", NotebookHtml.Text(run?["run_date"]) is { } date ? date.Replace('T', ' ').Replace("Z", " UTC") : null);
        Row(".NET", NotebookHtml.Text(run?["dotnet_version"]));
        Row("内核 Kernel", NotebookHtml.Text(run?["kernel"]) ?? NotebookHtml.Text(notebook.Metadata["kernelspec"]?["display_name"]));
        Row("运行时间 Run time", run?["run_seconds"] is JsonValue seconds && seconds.TryGetValue<double>(out var s) && double.IsFinite(s) && s >= 0
            ? Durations.Format(TimeSpan.FromSeconds(Math.Min(s, TimeSpan.MaxValue.TotalSeconds / 2)))
            : null);
        if (NotebookHtml.Text(run?["status"]) is { } status)
            Row("状态 Status", status);
        if (run?["parameters"] is JsonObject parameters && parameters.Count > 0)
            Row("参数 Parameters", page.Text(string.Join(", ", parameters.Select(p => $"{p.Key}={NotebookHtml.Text(p.Value)}"))));
        html.Append("</dl>\n");
    }
}
