using System.Text;

namespace DaseCV.Runner.Text;

/// <summary>What students may read: bilingual, bounded, printable text.</summary>
internal static class Feedback
{
    /// <summary>Chinese first, then English.</summary>
    public static string Say(string zh, string en) => $"{zh} / {en}";

    /// <summary>One line of at most <paramref name="maxChars"/> characters (an ellipsis ends a longer text), for names and excerpts in messages.</summary>
    public static string Clip(string text, int maxChars)
    {
        text = text.ReplaceLineEndings(" ");
        return text.Length <= maxChars ? text : text[..(maxChars - 1)] + "…";
    }

    /// <summary>At most <paramref name="maxChars"/> characters, control characters other than newline and tab dropped.</summary>
    public static string Clean(string text, int maxChars = 600)
    {
        var clean = new StringBuilder(Math.Min(text.Length, maxChars + 1));
        foreach (var c in text)
        {
            if (clean.Length >= maxChars)
                return clean.Append('…').ToString();
            if (c is '\n' or '\t' || !char.IsControl(c))
                clean.Append(c);
        }

        return clean.ToString();
    }
}
