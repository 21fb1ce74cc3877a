using System.Text.RegularExpressions;

namespace DaseCV.Runner.Coursework;

/// <summary>One student part: the lines strictly between a START and an END marker line.</summary>
/// <param name="Function">What the student completes there, e.g. <c>SoftmaxLoss.Naive</c>.</param>
/// <param name="StartLine">0-based index of the START marker line.</param>
/// <param name="EndLine">0-based index of the END marker line.</param>
/// <param name="Code">The lines between the markers, joined with \n (no trailing newline).</param>
/// <param name="Indent">The START marker line's leading whitespace.</param>
internal sealed record MarkedRegion(string Function, int StartLine, int EndLine, string Code, string Indent);

/// <summary>
/// CS231n's solution markers, <c>// *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****</c> and
/// <c>// *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****</c>, in C# files and notebook code cells.
/// </summary>
internal static partial class SolutionMarkers
{
    public const string Start = "// *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****";
    public const string End = "// *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****";

    /// <summary>Prefix of every stub's message, so tools and students recognise an unfinished part.</summary>
    public const string StubMessagePrefix = "not implemented yet: ";

    /// <summary>Splits text into lines, accepting \n and \r\n.</summary>
    public static string[] Lines(string text) => text.Replace("\r\n", "\n").Split('\n');

    /// <summary>
    /// The marked regions of a C# file (or cell), in order. Each region is named by the method that encloses it
    /// (<c>Class.Method</c>); <paramref name="fallbackName"/> names regions outside any method (a notebook cell).
    /// </summary>
    /// <exception cref="InvalidDataException">A START without END, an END without START, or nested markers; names the file and line.</exception>
    public static IReadOnlyList<MarkedRegion> Find(string text, string fileName, string? fallbackName = null)
    {
        var lines = Lines(text);
        var regions = new List<MarkedRegion>();
        int? open = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].Trim();
            if (trimmed == Start)
            {
                if (open is int o)
                    throw new InvalidDataException($"{fileName}:{i + 1}: a START OF YOUR CODE marker inside the region opened at line {o + 1}; each START needs its END first.");
                open = i;
            }
            else if (trimmed == End)
            {
                if (open is not int s)
                    throw new InvalidDataException($"{fileName}:{i + 1}: an END OF YOUR CODE marker without a START before it.");
                var indent = lines[s][..(lines[s].Length - lines[s].TrimStart().Length)];
                var name = EnclosingFunction(lines, s) ?? fallbackName
                    ?? throw new InvalidDataException($"{fileName}:{s + 1}: a marked region outside any method.");
                regions.Add(new MarkedRegion(name, s, i, string.Join("\n", lines[(s + 1)..i]), indent));
                open = null;
            }
        }

        if (open is int unclosed)
            throw new InvalidDataException($"{fileName}:{unclosed + 1}: START OF YOUR CODE without a matching END OF YOUR CODE.");
        return regions;
    }

    /// <summary>True when the text holds at least one START marker line.</summary>
    public static bool HasMarkers(string text) => Lines(text).Any(l => l.Trim() == Start);

    /// <summary>
    /// Replaces the code of each region with <paramref name="replacement"/>(region), keeping the marker lines and
    /// everything outside them; the file's own line ending is kept.
    /// </summary>
    public static string Replace(string text, IReadOnlyList<MarkedRegion> regions, Func<MarkedRegion, string> replacement)
    {
        var newline = text.Contains("\r\n") ? "\r\n" : "\n";
        var lines = Lines(text);
        var result = new List<string>();
        var next = 0;
        foreach (var region in regions.OrderBy(r => r.StartLine))
        {
            result.AddRange(lines[next..(region.StartLine + 1)]);
            var code = replacement(region);
            if (code.Length > 0)
                result.AddRange(Lines(code));
            next = region.EndLine;
        }

        result.AddRange(lines[next..]);
        return string.Join(newline, result);
    }

    /// <summary>True when the region's code is (or still contains) a stub that throws NotImplementedException.</summary>
    public static bool IsStub(MarkedRegion region) => region.Code.Contains("NotImplementedException", StringComparison.Ordinal);

    /// <summary>
    /// The handout's stub for a C# region: a throw naming the function and the file. Code after the region stays
    /// as it was, unreachable until the student replaces the stub, so the warning for that is switched off here
    /// (the build treats warnings as errors); the pragma goes with the stub, and its comment says to delete both.
    /// </summary>
    public static string CSharpStub(MarkedRegion region, string relativePath) =>
        $"{region.Indent}#pragma warning disable CS0162 // 桩代码：写你的代码时删除这两行 (stub: delete these two lines when you write your code)\n" +
        $"{region.Indent}throw new NotImplementedException(\"{StubMessage(region.Function, relativePath)}\");";

    /// <summary>
    /// The stub's message, Chinese first: "尚未完成：请在 FILE 中完成 F …（not implemented yet: complete F in FILE）".
    /// It holds <see cref="StubMessagePrefix"/> followed by "complete F in FILE", which tools and tests look for.
    /// </summary>
    /// <param name="function">What to complete, as the student finds it: <c>SoftmaxLoss.Naive</c>, or a cell named by its first line.</param>
    /// <param name="relativePath">The file, relative to the repository root.</param>
    public static string StubMessage(string function, string relativePath) =>
        $"尚未完成：请在 {relativePath} 中完成 {function}，在 START OF YOUR CODE 和 END OF YOUR CODE 两行之间写出代码并删除这个 throw " +
        $"({StubMessagePrefix}complete {function} in {relativePath})";

    /// <summary>Lines of a region that carry solution logic: not blank, not only comments or braces.</summary>
    public static IEnumerable<string> SubstantialLines(string code) =>
        Lines(code).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("//", StringComparison.Ordinal) && !Punctuation().IsMatch(l));

    /// <summary>Class.Method of the method whose header is the nearest one above <paramref name="line"/>.</summary>
    private static string? EnclosingFunction(string[] lines, int line)
    {
        for (var i = line - 1; i >= 0; i--)
        {
            var method = MethodHeader().Match(lines[i]);
            if (!method.Success)
                continue;
            for (var j = i; j >= 0; j--)
            {
                var type = TypeHeader().Match(lines[j]);
                if (type.Success)
                    return $"{type.Groups["name"].Value}.{method.Groups["name"].Value}";
            }

            return method.Groups["name"].Value;
        }

        return null;
    }

    // A member declaration line: modifiers, a return type, a name and an opening parenthesis.
    [GeneratedRegex(@"^\s*(?:(?:public|private|protected|internal|static|virtual|override|abstract|sealed|async|unsafe|new)\s+)+[\w<>\[\]?,.() ]+?\s+(?<name>[A-Z]\w*)\s*(?:<[^>]*>)?\s*\(")]
    private static partial Regex MethodHeader();

    [GeneratedRegex(@"^\s*(?:(?:public|private|protected|internal|static|sealed|abstract|partial|readonly|unsafe|file)\s+)*(?:class|struct|record|interface)\s+(?<name>\w+)")]
    private static partial Regex TypeHeader();

    [GeneratedRegex(@"^[\s{}();,\[\]]*$")]
    private static partial Regex Punctuation();
}
