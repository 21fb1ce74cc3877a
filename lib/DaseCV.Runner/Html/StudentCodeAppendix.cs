using DaseCV.Runner.Coursework;
using static DaseCV.Runner.Html.NotebookHtml;

namespace DaseCV.Runner.Html;

/// <summary>
/// The student-code step: an appendix with each marked region of the student's code (between START/END OF YOUR
/// CODE), named by function and file and highlighted as C#, so a TA grading the HTML alone sees the code that
/// produced the outputs.
/// </summary>
/// <param name="code">The regions (file relative to the repository, region); empty leaves the page without an appendix.</param>
internal sealed class StudentCodeAppendix(IReadOnlyList<(string RelativePath, MarkedRegion Region)> code) : HtmlStep
{
    /// <summary>
    /// The marked regions of the course library next to <paramref name="notebookFolder"/>: the nearest folder at or
    /// above it holding <see cref="CourseLayout.StudentCodeFolder"/> (a repository, a handout, an unpacked submission),
    /// so a submission unpacked inside another checkout shows its own code. None when there is no such folder.
    /// </summary>
    public static IReadOnlyList<(string RelativePath, MarkedRegion Region)> Near(string? notebookFolder, CourseLayout layout)
    {
        for (var dir = notebookFolder is null ? null : new DirectoryInfo(Path.GetFullPath(notebookFolder)); dir is not null; dir = dir.Parent)
        {
            if (!Directory.Exists(Path.Combine(dir.FullName, layout.StudentCodeFolder)))
                continue;
            try
            {
                return layout.MarkedRegions(dir.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Code that cannot be read is not shown; the notebook's own page still is.
                return [];
            }
        }

        return [];
    }

    public override void Finish(HtmlPage page)
    {
        if (code.Count == 0)
            return;
        var html = page.Appendix;
        html.Append("<section id=\"student-code\" class=\"student-code\">\n");
        html.Append("<h2>附录：学生的代码 Appendix: the student's code between START/END OF YOUR CODE</h2>\n");
        foreach (var (file, region) in code)
        {
            html.Append($"<h3><code>{Encode(region.Function)}</code> — <code>{Encode(file)}</code></h3>\n");
            html.Append(SourceHtml(page.Text(Dedent(region.Code)))).Append('\n');
        }

        html.Append("</section>\n");
    }

    /// <summary>The region's lines flush left (regions sit inside methods).</summary>
    internal static string Dedent(string code)
    {
        var lines = SolutionMarkers.Lines(code);
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }
}
