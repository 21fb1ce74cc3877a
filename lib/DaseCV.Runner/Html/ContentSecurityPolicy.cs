using System.Security.Cryptography;
using System.Text;

namespace DaseCV.Runner.Html;

/// <summary>
/// The page's Content-Security-Policy, as a <c>&lt;meta http-equiv&gt;</c> placed before any script or style: only
/// the page's own inlined scripts and style sheet run (each allowed by its SHA-256 hash), images only as
/// <c>data:</c>, and nothing else at all: no fetch, frame, font, form, &lt;base&gt; or plugin. A script or a remote
/// load that got past the sanitiser is refused by the browser.
/// </summary>
/// <remarks>
/// An empty style element is allowed too (the hash of ""): plotly.js adds its rules to one it creates, through
/// the CSS object model, which the policy does not restrict; an empty element styles nothing by itself. Style attributes stay allowed (<c>'unsafe-inline'</c> for attributes only): plotly.js sets them as it draws, and
/// the sanitiser leaves notebook content only a few text properties; no CSS can load anything under
/// <c>default-src 'none'</c>. A meta policy cannot report, frame-protect or sandbox; nothing here needs that.
/// </remarks>
internal static class ContentSecurityPolicy
{
    /// <summary>The policy for a page whose inline scripts and style elements have exactly these texts.</summary>
    public static string For(IEnumerable<string> scripts, IEnumerable<string> styles) =>
        "default-src 'none'; " +
        $"script-src {Hashes(scripts)}; " +
        $"style-src-elem {Hashes(styles.Append(""))}; style-src-attr 'unsafe-inline'; " +
        "img-src data:; font-src data:; base-uri 'none'; form-action 'none'";

    /// <summary>The <c>&lt;meta&gt;</c> element carrying <paramref name="policy"/>.</summary>
    public static string Meta(string policy) => $"<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">";

    /// <summary><c>'sha256-…'</c> of a script's or style's text, as the browser hashes it (UTF-8, exactly the element's content).</summary>
    public static string Hash(string text) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)))}'";

    // No script at all is 'none' (an empty source list would be a syntax error).
    private static string Hashes(IEnumerable<string> texts)
    {
        var hashes = texts.Select(Hash).Distinct().ToList();
        return hashes.Count == 0 ? "'none'" : string.Join(' ', hashes);
    }
}
