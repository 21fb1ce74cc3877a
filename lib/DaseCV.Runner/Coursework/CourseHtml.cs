using DaseCV.Runner.Html;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Coursework;

/// <summary>
/// The page <c>run</c>, <c>export</c> and <c>submit</c> write for a notebook: the renderer's
/// (<see cref="HtmlExporter"/>) with the results table of the exercise the notebook belongs to
/// (<see cref="CourseLayout.ExerciseOf"/>), and the student's code from the course library nearest the notebook as
/// its appendix when it has all of that exercise's result cells; other notebooks (tests, experiments) get neither
/// the table nor an appendix of the library they happen to sit next to.
/// </summary>
internal static class CourseHtml
{
    /// <param name="notebook">The notebook (executed or not).</param>
    /// <param name="folder">Its folder: relative images, and where the course library is looked for.</param>
    public static string Render(IpynbNotebook notebook, string? folder)
    {
        var exercise = CourseLayout.Default.ExerciseOf(notebook);
        return HtmlExporter.Render(notebook, folder, code: exercise?.HasResultCells(notebook) == true ? Near(folder, CourseLayout.Default) : [],
            resultCells: exercise?.Results);
    }

    /// <summary>Marked regions as the appendix shows them.</summary>
    public static IReadOnlyList<CodeExcerpt> Excerpts(IEnumerable<(string RelativePath, MarkedRegion Region)> regions) =>
        [.. regions.Select(r => new CodeExcerpt(r.RelativePath, r.Region.Function, r.Region.Code))];

    /// <summary>
    /// The marked regions of the course library next to <paramref name="notebookFolder"/>: the nearest folder at or
    /// above it holding <see cref="CourseLayout.StudentCodeFolder"/> (a repository, a handout, an unpacked submission),
    /// so a submission unpacked inside another checkout shows its own code. None when there is no such folder.
    /// </summary>
    public static IReadOnlyList<CodeExcerpt> Near(string? notebookFolder, CourseLayout layout)
    {
        for (var dir = notebookFolder is null ? null : new DirectoryInfo(Path.GetFullPath(notebookFolder)); dir is not null; dir = dir.Parent)
        {
            if (!Directory.Exists(Path.Combine(dir.FullName, layout.StudentCodeFolder)))
                continue;
            try
            {
                return Excerpts(layout.MarkedRegions(dir.FullName));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Code that cannot be read is not shown; the notebook's own page still is.
                return [];
            }
        }

        return [];
    }
}
