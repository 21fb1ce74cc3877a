using System.Text.RegularExpressions;

namespace DaseCV.Runner.Html;

/// <summary>
/// The final text of a progress display (DaseCV's <c>ProgressDisplay</c>: <c>title 42/42 [####…] 100%  0:08  detail</c>,
/// or <c>title [####…]  0:12  detail</c> for a download). Its detail describes the last step reported, not an
/// outcome: in the tuning grid that is whichever configuration happened to finish last, which reads like a result.
/// So a finished display (full bar) is shown without its detail; one that stopped early keeps it, since it tells
/// where the work stopped.
/// </summary>
internal static partial class ProgressLine
{
    /// <summary>The text to show for a progress line, or null when <paramref name="text"/> is not one.</summary>
    /// <param name="text">A display's text/plain value.</param>
    /// <param name="finished">True when the bar is full.</param>
    public static string? Final(string text, out bool finished)
    {
        finished = false;
        var match = Pattern().Match(text.TrimEnd('\n'));
        if (!match.Success)
            return null;
        finished = !match.Groups["bar"].Value.Contains('.');
        return finished || !match.Groups["detail"].Success ? match.Groups["head"].Value : match.Value;
    }

    [GeneratedRegex(@"^(?<head>[^\n\[]*?(?: +\d+/\d+)? \[(?<bar>[#.]{4,})\](?: +\d+%)?  \d+:\d\d(?::\d\d)?)(?:  (?<detail>[^\n]*))?$")]
    private static partial Regex Pattern();
}

/// <summary>The progress step: a progress display's output as <see cref="ProgressLine.Final"/> shows it.</summary>
internal sealed class ProgressStep : HtmlStep
{
    public override string? PlainText(string text) =>
        ProgressLine.Final(text, out var finished) is { } progress
            ? $"<pre class=\"output progress{(finished ? "" : " stopped")}\">{System.Net.WebUtility.HtmlEncode(progress)}</pre>\n"
            : null;
}
