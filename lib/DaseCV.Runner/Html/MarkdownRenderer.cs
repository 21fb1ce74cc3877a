using System.Net;
using System.Text.Json.Nodes;
using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace DaseCV.Runner.Html;

/// <summary>
/// Markdown cells to HTML with Markdig (pipe tables, code, emphasis extras, ...). Math is rendered by
/// <see cref="LatexText"/> instead of MathJax so it reads without network; images given as cell attachments
/// or as files next to the notebook are inlined as data: URIs so the page stays one file.
/// </summary>
internal static class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <param name="markdown">Cell source.</param>
    /// <param name="attachments">The cell's nbformat <c>attachments</c> (name → mime bundle), if any.</param>
    /// <param name="baseDirectory">Folder that relative image paths resolve against, or null to leave them.</param>
    public static string ToHtml(string markdown, JsonObject? attachments = null, string? baseDirectory = null)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var image in document.Descendants<LinkInline>().Where(l => l.IsImage && l.Url is not null))
            image.Url = InlineImage(image.Url!, attachments, baseDirectory);

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.ObjectRenderers.ReplaceOrAdd<HtmlMathInlineRenderer>(new MathInlineHtml());
        renderer.ObjectRenderers.ReplaceOrAdd<HtmlMathBlockRenderer>(new MathBlockHtml());
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    private static string InlineImage(string url, JsonObject? attachments, string? baseDirectory)
    {
        if (url.StartsWith("attachment:", StringComparison.Ordinal))
        {
            var name = url["attachment:".Length..];
            if (attachments?[name] is JsonObject bundle && bundle.FirstOrDefault() is { Key: var mime, Value: { } data })
                return $"data:{mime};base64,{Notebook.IpynbNotebook.JoinText(data).Replace("\n", "")}";
            return url;
        }

        if (baseDirectory is null || url.Contains("://", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal))
            return url;
        var path = Path.Combine(baseDirectory, Uri.UnescapeDataString(url));
        if (!File.Exists(path))
            return url;
        var type = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => "image/png", ".jpg" or ".jpeg" => "image/jpeg", ".gif" => "image/gif", ".svg" => "image/svg+xml",
            _ => null,
        };
        return type is null ? url : $"data:{type};base64,{Convert.ToBase64String(File.ReadAllBytes(path))}";
    }

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
