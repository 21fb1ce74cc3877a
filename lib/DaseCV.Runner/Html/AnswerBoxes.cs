using System.Text;
using System.Text.Json.Nodes;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Html;

/// <summary>
/// The answer-boxes step: a <c>pdf-inline</c> cell (CS231n's written questions) as its question, then each answer
/// in a box under its label, anchored <c>answer-N</c> for the header's links; a cell without an answer says so.
/// </summary>
internal sealed class AnswerBoxes : HtmlStep
{
    private List<(IpynbCell Cell, string Anchor, AnswerCell Parsed)>? _cells;

    /// <summary>The answer cells of <paramref name="page"/>'s notebook in order, each with its anchor and parsed markdown.</summary>
    public IReadOnlyList<(IpynbCell Cell, string Anchor, AnswerCell Parsed)> Cells(HtmlPage page) =>
        _cells ??= page.Notebook.Cells
            .Where(c => c.Type == "markdown" && c.Tags.Contains(NotebookAnswers.Tag))
            .Select((c, i) => (c, $"answer-{i + 1}", NotebookAnswers.Parse(page.Text(c.Source))))
            .ToList();

    public override string? Cell(IpynbCell cell, HtmlPage page)
    {
        var answer = Cells(page).FirstOrDefault(a => ReferenceEquals(a.Cell.Json, cell.Json));
        if (answer.Cell is null)
            return null;
        var (_, anchor, parsed) = answer;
        var attachments = cell.Json["attachments"] as JsonObject;
        string Markdown(string markdown) => MarkdownRenderer.ToHtml(markdown, attachments, page.NotebookFolder);
        var html = new StringBuilder($"<section class=\"cell markdown pdf-inline\"{NotebookHtml.CellId(cell)}>\n<div class=\"question\">\n");
        html.Append(Markdown(parsed.Question)).Append("</div>\n");
        if (parsed.Answers.Count == 0)
            html.Append($"<div class=\"answer missing\" id=\"{anchor}\"><div class=\"answer-label\">未找到答案 No answer found</div>" +
                        "<div class=\"answer-body\"><p>本单元没有以 答: / 你的回答: / 你的解释: 开头的段落。 " +
                        "No paragraph starts with 答: / 你的回答: / 你的解释: in this cell.</p></div></div>\n");
        for (var k = 0; k < parsed.Answers.Count; k++)
        {
            var (label, _, markdown) = parsed.Answers[k];
            html.Append($"<div class=\"answer\" id=\"{anchor}{(k == 0 ? "" : "-" + (k + 1))}\">");
            html.Append($"<div class=\"answer-label\">{NotebookHtml.Encode(label)}</div>\n<div class=\"answer-body\">\n");
            html.Append(markdown.Length == 0 ? "<p class=\"missing\">（空）(empty)</p>\n" : Markdown(markdown));
            html.Append("</div></div>\n");
        }

        return html.Append("</section>\n").ToString();
    }
}
