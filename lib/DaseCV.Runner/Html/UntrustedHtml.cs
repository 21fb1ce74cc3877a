using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Ganss.Xss;

namespace DaseCV.Runner.Html;

/// <summary>
/// The sanitising step: every piece of HTML that comes from a notebook (markdown's raw HTML, <c>text/html</c> and
/// <c>text/markdown</c> outputs) passes through HtmlSanitizer (Ganss.Xss, an allow-list over AngleSharp's HTML5
/// parser) before it reaches the page. What is left is inert text and layout: no script, event handler, frame,
/// form, SVG, style block, meta or base element; links only to http(s) and mailto; images only as base64 data
/// of a raster type, so nothing is fetched; inline style only for a few text properties, never with <c>url()</c>.
/// </summary>
/// <remarks>
/// The page's Content-Security-Policy (<see cref="ContentSecurityPolicy"/>) is the second wall: should something
/// slip through here, the browser still refuses to run it or to fetch anything.
/// </remarks>
internal static partial class UntrustedHtml
{
    // Never kept, even if a future HtmlSanitizer release allows them by default.
    private static readonly string[] ForbiddenTags =
    [
        "script", "style", "link", "meta", "base", "iframe", "frame", "frameset", "object", "embed", "applet", "svg",
        "math", "form", "input", "button", "select", "textarea", "option", "audio", "video", "source", "track",
        "picture", "template", "noscript", "portal", "dialog",
    ];

    // URL-valued attributes that could fetch or navigate in ways a link does not.
    private static readonly string[] ForbiddenAttributes = ["name", "srcset", "background", "poster", "action", "formaction", "ping"];

    // Enough for coloured or aligned text (the handout's \color answers, markdown tables); nothing that positions,
    // overlays or loads.
    private static readonly string[] AllowedCss = ["color", "background-color", "text-align", "font-weight", "font-style", "text-decoration"];

    private static readonly HtmlSanitizer Sanitizer = Create();

    /// <summary>Prefixes of the ids the page itself uses; notebook content cannot take them (links would jump to it).</summary>
    private static readonly string[] ReservedIds = ["cell-", "answer-", "chart-", "student-code", "plotly"];

    /// <summary><paramref name="html"/> with everything outside the allow-list removed.</summary>
    public static string Sanitize(string html) => html.Length == 0 ? html : Sanitizer.Sanitize(html);

    /// <summary>True for a <c>data:</c> URI an &lt;img&gt; may show: a raster image type and base64 data.</summary>
    public static bool IsImageDataUri(string url) => ImageDataUri().IsMatch(url);

    private static HtmlSanitizer Create()
    {
        var sanitizer = new HtmlSanitizer();
        foreach (var tag in ForbiddenTags)
            sanitizer.AllowedTags.Remove(tag);
        foreach (var attribute in ForbiddenAttributes)
            sanitizer.AllowedAttributes.Remove(attribute);
        // Classes carry the layout of Markdig's and LatexText's HTML (fractions, math, code languages).
        sanitizer.AllowedAttributes.Add("class");
        sanitizer.AllowDataAttributes = false;
        sanitizer.AllowedCssProperties.Clear();
        foreach (var property in AllowedCss)
            sanitizer.AllowedCssProperties.Add(property);
        sanitizer.DisallowCssPropertyValue = CssFetch();
        sanitizer.AllowedSchemes.Clear();
        foreach (var scheme in (string[])["http", "https", "mailto", "data"])
            sanitizer.AllowedSchemes.Add(scheme);
        // Links may leave the page when clicked; nothing may load by itself, so only inline images stay.
        sanitizer.FilterUrl += (_, e) =>
        {
            var isImage = e.Tag.NodeName.Equals("IMG", StringComparison.OrdinalIgnoreCase);
            var url = e.SanitizedUrl ?? "";
            var isData = url.TrimStart().StartsWith("data:", StringComparison.OrdinalIgnoreCase);
            if (isImage ? !IsImageDataUri(url) : isData)
                e.SanitizedUrl = null;
        };
        // DOM clobbering and fake anchors: ids only as Markdig writes them (lowercase words) and outside the page's own.
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IElement { Id: { } id } element
                && (!HeadingId().IsMatch(id) || ReservedIds.Any(r => id.StartsWith(r, StringComparison.Ordinal))))
                element.RemoveAttribute("id");
        };
        // An image whose address was removed would show as a broken icon; it goes altogether.
        sanitizer.PostProcessDom += (_, e) =>
        {
            foreach (var image in e.Document.QuerySelectorAll("img:not([src])").ToList())
                image.Remove();
        };
        return sanitizer;
    }

    [GeneratedRegex(@"^\s*data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$", RegexOptions.IgnoreCase)]
    private static partial Regex ImageDataUri();

    [GeneratedRegex(@"[<>]|url\s*\(|image-set|expression\s*\(|@import|\\", RegexOptions.IgnoreCase)]
    private static partial Regex CssFetch();

    [GeneratedRegex(@"^[\p{Ll}\p{Lo}0-9][\p{Ll}\p{Lo}0-9_-]*$")]
    private static partial Regex HeadingId();
}
