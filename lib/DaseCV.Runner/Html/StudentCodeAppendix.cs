using static DaseCV.Runner.Html.NotebookHtml;

namespace DaseCV.Runner.Html;

/// <summary>One marked region of the student's code as the appendix shows it.</summary>
/// <param name="File">The file, relative to the repository.</param>
/// <param name="Function">The function the region belongs to, e.g. <c>SoftmaxLoss.Naive</c>.</param>
/// <param name="Code">The code between the markers.</param>
internal sealed record CodeExcerpt(string File, string Function, string Code);

/// <summary>
/// The student-code step: an appendix with each marked region of the student's code (between START/END OF YOUR
/// CODE), named by function and file and highlighted as C#, so a TA grading the HTML alone sees the code that
/// produced the outputs.
/// </summary>
/// <param name="code">The regions; empty leaves the page without an appendix.</param>
internal sealed class StudentCodeAppendix(IReadOnlyList<CodeExcerpt> code) : HtmlStep
{
    public override void Finish(HtmlPage page)
    {
        if (code.Count == 0)
            return;
        var html = page.Appendix;
        html.Append("<section id=\"student-code\" class=\"student-code\">\n");
        html.Append("<h2>附录：学生的代码 Appendix: the student's code between START/END OF YOUR CODE</h2>\n");
        foreach (var excerpt in code)
        {
            html.Append($"<h3><code>{Encode(excerpt.Function)}</code> — <code>{Encode(excerpt.File)}</code></h3>\n");
            html.Append(SourceHtml(page.Text(Dedent(excerpt.Code)))).Append('\n');
        }

        html.Append("</section>\n");
    }

    /// <summary>The region's lines flush left (regions sit inside methods).</summary>
    internal static string Dedent(string code)
    {
        var lines = code.ReplaceLineEndings("\n").Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }
}
