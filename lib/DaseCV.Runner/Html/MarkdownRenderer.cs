using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace DaseCV.Runner.Html;

/// <summary>
/// Markdown cells to HTML with Markdig (pipe tables, code, emphasis extras, CJK-friendly emphasis, ...). Math is
/// rendered by <see cref="LatexText"/> instead of MathJax so it reads without network; images given as cell
/// attachments are inlined as data: URIs so the page stays one file.
/// </summary>
/// <remarks>
/// Notebooks are untrusted (a TA exports students' files): an image path is read only when it is relative and
/// <see cref="LocalImages"/> finds it inside the notebook's folder; an absolute path such as <c>![](/etc/x.png)</c>
/// is never read. Attachments are inlined only with an image MIME type and base64 data, <c>javascript:</c>-style
/// link targets are dropped, and the HTML goes through <see cref="UntrustedHtml"/>.
/// </remarks>
internal static partial class MarkdownRenderer
{
    // UseCjkFriendlyEmphasis: CommonMark does not close ** before full-width punctuation, so
    // **解析梯度（analytic gradient）**的 would stay literal.
    private static readonly MarkdownPipeline Pipeline =
        new MarkdownPipelineBuilder().UseAdvancedExtensions().UseCjkFriendlyEmphasis().Build();

    /// <param name="markdown">Cell source.</param>
    /// <param name="attachments">The cell's nbformat <c>attachments</c> (name → mime bundle), if any.</param>
    /// <param name="baseDirectory">Folder that relative image paths resolve against, or null to leave them.</param>
    public static string ToHtml(string markdown, JsonObject? attachments = null, string? baseDirectory = null)
    {
        try
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            var document = Markdown.Parse(markdown, Pipeline);
            foreach (var link in document.Descendants<LinkInline>().Where(l => l.Url is not null))
                link.Url = link.IsImage ? InlineImage(link.Url!, attachments, baseDirectory) : SafeLink(link.Url!);

            using var writer = new StringWriter();
            var renderer = new HtmlRenderer(writer);
            Pipeline.Setup(renderer);
            renderer.ObjectRenderers.ReplaceOrAdd<HtmlMathInlineRenderer>(new MathInlineHtml());
            renderer.ObjectRenderers.ReplaceOrAdd<HtmlMathBlockRenderer>(new MathBlockHtml());
            renderer.Render(document);
            writer.Flush();
            // A paragraph that is only bold text is a heading in all but name (**问题 1**): keep it with what follows in print.
            // Raw HTML in markdown is the notebook's: only what the sanitiser keeps reaches the page.
            var html = UntrustedHtml.Sanitize(writer.ToString());
            return PseudoHeading().Replace(html, "<p class=\"pseudo-heading\"><strong>");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Markdig refuses input nested beyond its depth limit (ArgumentException); whatever a cell holds, show
            // its source rather than fail the whole export.
            return "<p class=\"markdown-error\">This markdown is nested too deeply to render; its source follows.</p>\n" +
                   $"<pre class=\"markdown-source\">{WebUtility.HtmlEncode(markdown)}</pre>\n";
        }
    }

    private static readonly string[] ImageTypes = ["image/png", "image/jpeg", "image/gif", "image/webp"];

    /// <summary>True for a MIME type that may go into an &lt;img&gt; data: URI.</summary>
    public static bool IsImageType(string mime) => ImageTypes.Contains(mime, StringComparer.Ordinal);

    /// <summary>True when <paramref name="data"/> is base64 (letters, digits, + / =, line breaks).</summary>
    public static bool IsBase64(string data) => data.Length > 0 && Base64().IsMatch(data);

    private static string InlineImage(string url, JsonObject? attachments, string? baseDirectory)
    {
        if (url.StartsWith("attachment:", StringComparison.Ordinal))
        {
            var name = url["attachment:".Length..];
            if (attachments?[name] is JsonObject bundle
                && bundle.FirstOrDefault(b => IsImageType(b.Key)) is { Key: { } mime, Value: { } data }
                && Ipynb.IpynbNotebook.JoinText(data).Replace("\n", "") is var base64 && IsBase64(base64))
                return $"data:{mime};base64,{base64}";
            return url;
        }

        if (url.StartsWith("data:", StringComparison.Ordinal))
            return SafeLink(url);
        if (baseDirectory is null || url.Contains(':', StringComparison.Ordinal) || url.StartsWith('/') || url.StartsWith('\\'))
            return url;
        return LocalImages.DataUri(url, baseDirectory) ?? url;
    }

    // Script URLs never become links; data: only for images.
    private static string SafeLink(string url)
    {
        var scheme = url.TrimStart().Split(':', 2) is [var s, _] ? s.Trim().ToLowerInvariant() : "";
        if (scheme is "javascript" or "vbscript")
            return "#";
        if (scheme == "data" && !ImageTypes.Any(t => url.TrimStart()[5..].StartsWith(t + ";base64,", StringComparison.OrdinalIgnoreCase)))
            return "#";
        return url;
    }

    [GeneratedRegex(@"<p><strong>(?=[^<]*</strong></p>)")]
    private static partial Regex PseudoHeading();

    [GeneratedRegex(@"^[A-Za-z0-9+/=\r\n]+$")]
    private static partial Regex Base64();

    private sealed class MathInlineHtml : HtmlObjectRenderer<MathInline>
    {
        protected override void Write(HtmlRenderer renderer, MathInline math)
        {
            var latex = math.Content.ToString();
            // $$...$$ written inside a paragraph is display math, as in Jupyter.
            var kind = math.DelimiterCount >= 2 ? "math display" : "math";
            renderer.Write($"<span class=\"{kind}\" title=\"{WebUtility.HtmlEncode(latex)}\">{LatexText.ToHtml(latex)}</span>");
        }
    }

    private sealed class MathBlockHtml : HtmlObjectRenderer<MathBlock>
    {
        protected override void Write(HtmlRenderer renderer, MathBlock math)
        {
            var latex = string.Join("\n", math.Lines.Lines.Take(math.Lines.Count).Select(l => l.ToString()));
            renderer.EnsureLine();
            renderer.Write($"<div class=\"math display\" title=\"{WebUtility.HtmlEncode(latex)}\">{LatexText.ToHtml(latex)}</div>");
            renderer.EnsureLine();
        }
    }
}
