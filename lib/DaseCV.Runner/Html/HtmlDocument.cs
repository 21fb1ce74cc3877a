using System.Text.RegularExpressions;

namespace DaseCV.Runner.Html;

/// <summary>An inline script of a page: its text (hashed into the page's policy) and an optional element id.</summary>
internal sealed record PageScript(string Text, string? Id = null);

/// <summary>
/// Every page the runner writes (a notebook's HTML, a grading report, the class overview) as one self-contained
/// document: the page template (<c>page.html</c>), the course's style sheet followed by the page's own rules, and
/// a Content-Security-Policy that lets exactly these scripts and styles run and loads nothing.
/// </summary>
internal static partial class HtmlDocument
{
    /// <param name="lang">The page's language tag.</param>
    /// <param name="title">The title (text, encoded here).</param>
    /// <param name="body">The body's HTML, already safe.</param>
    /// <param name="css">Rules added after the course's style sheet (<c>notebook.css</c>).</param>
    /// <param name="scripts">Inline scripts, in order; "&lt;/script" inside one is escaped here.</param>
    public static string Write(string lang, string title, string body, string css = "", IReadOnlyList<PageScript>? scripts = null)
    {
        var style = NotebookHtml.Resource("notebook.css") + css;
        var safe = (scripts ?? []).Select(s => s with { Text = s.Text.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase) }).ToList();
        return Template().Replace(NotebookHtml.Resource("page.html"), slot => slot.Groups[1].Value switch
        {
            "lang" => NotebookHtml.Encode(lang),
            "csp" => ContentSecurityPolicy.Meta(ContentSecurityPolicy.For(safe.Select(s => s.Text), [style])),
            "title" => NotebookHtml.Encode(title),
            "css" => style,
            "scripts" => string.Concat(safe.Select(s => s.Id is null ? $"<script>{s.Text}</script>\n" : $"<script id=\"{NotebookHtml.Encode(s.Id)}\">{s.Text}</script>\n")),
            "body" => body,
            var name => throw new InvalidOperationException($"page.html has an unknown slot {{{{{name}}}}}"),
        });
    }

    // One pass over the template only: a value that contains "{{...}}" is never filled in again.
    [GeneratedRegex(@"\{\{(\w+)\}\}")]
    private static partial Regex Template();
}
