using System.Globalization;
using System.Text.RegularExpressions;

namespace DaseCV.Runner.Execution;

/// <summary>
/// The per-cell time limit of a run. Off by default in the API (as in VS Code, where a person watches the cell);
/// headless runs use <see cref="HeadlessDefault"/>, so a cell that never ends fails instead of hanging CI forever.
/// </summary>
internal static partial class CellTimeout
{
    /// <summary>The limit of <c>run</c> when none is given: far above the assignment's slowest cell (about a minute).</summary>
    public static readonly TimeSpan HeadlessDefault = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Parses a limit: seconds (<c>90</c>), or a number with a unit (<c>90s</c>, <c>45m</c>, <c>2h</c>, <c>1.5h</c>);
    /// <c>0</c>, <c>off</c> or <c>none</c> means no limit (null).
    /// </summary>
    /// <exception cref="UsageException">Not a duration.</exception>
    public static TimeSpan? Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed is "off" or "none")
            return null;
        var match = Duration().Match(trimmed);
        if (!match.Success || !double.TryParse(match.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            throw new UsageException(
                $"--cell-timeout {text}: expected a duration such as 90 (seconds), 90s, 45m or 2h, or off.");
        var seconds = n * match.Groups["unit"].Value switch { "m" or "min" => 60, "h" => 3600, _ => 1 };
        if (seconds > TimeSpan.FromDays(7).TotalSeconds)
            throw new UsageException($"--cell-timeout {text}: at most a week (or off).");
        return seconds == 0 ? null : TimeSpan.FromSeconds(seconds);
    }

    [GeneratedRegex(@"^(?<n>[0-9]+(\.[0-9]+)?)\s*(?<unit>s|m|min|h)?$")]
    private static partial Regex Duration();
}
