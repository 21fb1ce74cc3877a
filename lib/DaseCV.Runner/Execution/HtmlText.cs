using System.Net;
using System.Text.RegularExpressions;

namespace DaseCV.Runner.Execution;

/// <summary>Visible text of an HTML fragment, for the one-line terminal progress.</summary>
internal static partial class HtmlText
{
    public static string StripTags(string html) =>
        WebUtility.HtmlDecode(Tags().Replace(ScriptsAndStyles().Replace(html, " "), " "));

    [GeneratedRegex(@"<(script|style)\b.*?</\1\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptsAndStyles();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tags();
}
