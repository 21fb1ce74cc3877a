namespace DaseCV.Runner.Text;

/// <summary>
/// Unicode's bidirectional controls (U+202E and kin) made visible as <c>[U+202E]</c>: in what a TA reads, a student's
/// text cannot reorder the characters around it (a name, a message, a line of code).
/// </summary>
internal static class BidiControls
{
    /// <summary><paramref name="text"/> with each bidirectional control written as <c>[U+XXXX]</c>.</summary>
    public static string Visible(string text) =>
        text.Any(IsControl) ? string.Concat(text.Select(c => IsControl(c) ? $"[U+{(int)c:X4}]" : c.ToString())) : text;

    private static bool IsControl(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
