using DaseCV.Runner.Ipynb;
using DaseCV.Runner.Text;

namespace DaseCV.Runner.Html;

/// <summary>
/// The course's HTML: <see cref="NotebookHtml"/> with this course's steps, in order: local paths hidden, progress
/// lines, answer boxes, the grading header, the student-code appendix (sanitising is the renderer's, always).
/// <c>run</c>, <c>export</c> and <c>submit</c> all write their HTML here, so the same executed notebook gives the
/// same page.
/// </summary>
/// <remarks>
/// Folded cells: tags <c>setup</c>, <c>parameters</c>, <c>injected-parameters</c> and <c>pdf-ignore</c>.
/// </remarks>
internal static class HtmlExporter
{
    /// <summary>Tag of cells that prepare the assignment (build, load, parameters) rather than answer it.</summary>
    public const string SetupTag = "setup";

    /// <summary>CS231n's tag for cells its grading PDF leaves out.</summary>
    public const string IgnoreTag = "pdf-ignore";

    private static readonly string[] FoldedTags = [SetupTag, NotebookParameters.ParametersTag, NotebookParameters.InjectedTag, IgnoreTag];

    /// <param name="notebook">The notebook (executed or not).</param>
    /// <param name="baseDirectory">Notebook folder, for relative images in markdown and the student's code; null for neither.</param>
    /// <param name="localPaths">Paths to hide; by default this machine's (<see cref="LocalPaths.ForThisMachine"/>).</param>
    /// <param name="code">The student's marked code for the appendix; none by default (the course's pages pass it: <c>CourseHtml</c>).</param>
    /// <param name="resultCells">The cells the results table reads (the exercise's); by default none, and no table.</param>
    /// <param name="forTeacher">The grading view of a student's notebook: bidirectional controls shown as [U+202E].</param>
    public static string Render(IpynbNotebook notebook, string? baseDirectory, LocalPaths? localPaths = null,
                                IReadOnlyList<CodeExcerpt>? code = null, ResultCells? resultCells = null, bool forTeacher = false)
    {
        var cells = resultCells ?? ResultCells.None;
        var answers = new AnswerBoxes();
        HtmlStep[] steps =
        [
            .. forTeacher ? [new VisibleBidiControls()] : Array.Empty<HtmlStep>(),
            localPaths ?? LocalPaths.ForThisMachine(baseDirectory),
            new ProgressStep(),
            answers,
            new GradingHeader(cells, answers, IsFolded),
            new StudentCodeAppendix(code ?? []),
        ];
        return NotebookHtml.Render(notebook, baseDirectory, steps, FoldedTags);
    }

    /// <summary>True for cells the grading view folds away (setup, parameters, pdf-ignore).</summary>
    public static bool IsFolded(IpynbCell cell) => cell.Tags.Any(FoldedTags.Contains);
}

/// <summary>The step that shows bidirectional controls as <c>[U+202E]</c> (<see cref="BidiControls"/>).</summary>
internal sealed class VisibleBidiControls : HtmlStep
{
    public override string Text(string text) => BidiControls.Visible(text);
}
