using System.Text.RegularExpressions;

namespace DaseCV.Runner.Ipynb;

/// <summary>
/// Terminal escape sequences in notebook text: Jupyter kernels colour tracebacks and streams with them (IPython's
/// convention). The runner's terminal messages and the HTML show the text without them.
/// </summary>
internal static partial class AnsiCodes
{
    /// <summary><paramref name="text"/> without its CSI sequences (colours, cursor moves).</summary>
    public static string Strip(string text) => Sequence().Replace(text, "");

    [GeneratedRegex(@"\u001b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex Sequence();
}
