using System.Text;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Html;

/// <summary>
/// One step of the HTML pipeline (nbconvert's preprocessors and template blocks in one): the renderer asks each step,
/// in order, to change the text it shows, to render a cell or a plain-text output itself, and finally to fill the
/// page's header and appendix. A step overrides only what it changes.
/// </summary>
internal abstract class HtmlStep
{
    /// <summary>Notebook text about to be shown (sources, outputs, markdown): the text to show instead.</summary>
    public virtual string Text(string text) => text;

    /// <summary>The HTML of a <c>text/plain</c> output (after <see cref="Text"/>), or null to leave it to later steps and the renderer.</summary>
    public virtual string? PlainText(string text) => null;

    /// <summary>The HTML of a whole cell, or null to leave it to later steps and the renderer.</summary>
    public virtual string? Cell(IpynbCell cell, HtmlPage page) => null;

    /// <summary>Adds to the page's slots once every cell is rendered.</summary>
    public virtual void Finish(HtmlPage page)
    {
    }
}

/// <summary>The page being rendered: its notebook, its folder, the steps, and the template's slots the steps fill.</summary>
internal sealed class HtmlPage(IpynbNotebook notebook, string? notebookFolder, IReadOnlyList<HtmlStep> steps)
{
    public IpynbNotebook Notebook { get; } = notebook;

    /// <summary>The notebook's folder (relative images resolve there); null to embed no local file.</summary>
    public string? NotebookFolder { get; } = notebookFolder;

    public IReadOnlyList<HtmlStep> Steps { get; } = steps;

    /// <summary>Before the cells (<c>{{header}}</c>).</summary>
    public StringBuilder Header { get; } = new();

    /// <summary>After the cells (<c>{{appendix}}</c>).</summary>
    public StringBuilder Appendix { get; } = new();

    /// <summary><paramref name="text"/> through every step's <see cref="HtmlStep.Text"/>, in order.</summary>
    public string Text(string text) => Steps.Aggregate(text, (t, step) => step.Text(t));

    /// <summary>Markdown as HTML: the steps' text, then Markdig, then the sanitiser (inside <see cref="MarkdownRenderer"/>).</summary>
    public string Markdown(string markdown, System.Text.Json.Nodes.JsonObject? attachments = null) =>
        MarkdownRenderer.ToHtml(Text(markdown), attachments, NotebookFolder);
}
