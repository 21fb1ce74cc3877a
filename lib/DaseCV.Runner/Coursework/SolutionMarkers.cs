using System.Text.RegularExpressions;
using DaseCV.Runner.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

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

    /// <summary>
    /// True when the region's code is (or still contains) a stub: a statement <c>throw new NotImplementedException(…)</c>
    /// at the region's top level, read from the syntax tree (a comment or string that mentions it is no stub).
    /// </summary>
    public static bool IsStub(MarkedRegion region)
    {
        var block = (BlockSyntax)SyntaxFactory.ParseStatement("{\n" + region.Code + "\n}");
        return block.Statements.OfType<ThrowStatementSyntax>().Any(t =>
            t.Expression is BaseObjectCreationExpressionSyntax creation
            && (creation is ImplicitObjectCreationExpressionSyntax
                || ((ObjectCreationExpressionSyntax)creation).Type.ToString().Split('.')[^1] == nameof(NotImplementedException)));
    }

    /// <summary>
    /// Null when <paramref name="spliced"/> (the instructor's file with the student's regions in it) is the instructor's
    /// file outside the regions, token for token and comment for comment, with the same types and members; else why
    /// not. This is what makes "only the code between the markers is the student's" hold: a comment, string or
    /// #if opened in one region and closed in another, or a region that closes its method and opens another, changes
    /// what lies outside and is refused.
    /// </summary>
    public static string? OutsideRegionsProblem(string instructor, string spliced, string relativePath)
    {
        var (instructorOutside, instructorMembers) = Outline(instructor, relativePath);
        var (splicedOutside, splicedMembers) = Outline(spliced, relativePath);
        if (!instructorOutside.SequenceEqual(splicedOutside))
        {
            var at = instructorOutside.Zip(splicedOutside).TakeWhile(p => p.First == p.Second).Count();
            var near = at < instructorOutside.Count ? instructorOutside[at] : "the end of the file";
            return Feedback.Say($"{relativePath}：标记之间的代码改变了标记之外的文件（在 '{Feedback.Clip(near, 61)}' 附近）：注释、字符串或 #if/#region 跨越了两个区域，还是括号不配对？只有标记之间的代码是你的",
                                $"{relativePath}: the code in the regions changes the file outside the markers (near '{Feedback.Clip(near, 61)}'): " +
                                "a comment, string or #if/#region opened in one region and closed in another, or unbalanced braces? Only the code between the markers is yours");
        }

        if (!instructorMembers.SequenceEqual(splicedMembers))
            return Feedback.Say($"{relativePath}：区域中声明或结束了类型或成员（{string.Join(", ", splicedMembers.Except(instructorMembers).Take(3))}）；请在函数内写语句（局部函数可以）",
                                $"{relativePath}: the regions declare or close types or members ({string.Join(", ", splicedMembers.Except(instructorMembers).Take(3))}); " +
                                "write statements inside the function (local functions are fine)");
        return null;
    }

    /// <summary>Every token and trivia that lies wholly outside the marked regions, and every type and member declaration.</summary>
    private static (List<string> Outside, List<string> Members) Outline(string text, string relativePath)
    {
        text = text.Replace("\r\n", "\n");
        var lines = Lines(text);
        var lineStarts = new int[lines.Length + 1];
        for (var i = 0; i < lines.Length; i++)
            lineStarts[i + 1] = lineStarts[i] + lines[i].Length + 1;
        // A region's span: from the start of the line after START to the start of the END line.
        var regions = Find(text, relativePath).Select(r => (Start: lineStarts[r.StartLine + 1], End: lineStarts[r.EndLine])).ToList();
        bool Outside(Microsoft.CodeAnalysis.Text.TextSpan span) => regions.All(r => span.End <= r.Start || span.Start >= r.End);

        var root = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest)).GetRoot();
        var outside = new List<string>();
        foreach (var token in root.DescendantTokens(descendIntoTrivia: false))
        {
            foreach (var trivia in token.LeadingTrivia.Concat(token.TrailingTrivia).Where(t => Outside(t.FullSpan)))
                if (!trivia.IsKind(SyntaxKind.WhitespaceTrivia) && !trivia.IsKind(SyntaxKind.EndOfLineTrivia))
                    outside.Add(trivia.ToFullString().Trim());
            if (Outside(token.Span))
                outside.Add(token.Text);
        }

        var members = root.DescendantNodes().OfType<MemberDeclarationSyntax>().Select(MemberName).ToList();
        return (outside, members);
    }

    private static string MemberName(MemberDeclarationSyntax member) => member switch
    {
        BaseTypeDeclarationSyntax type => $"{type.Kind()} {type.Identifier.Text}",
        MethodDeclarationSyntax method => $"{method.Identifier.Text}{method.ParameterList}",
        ConstructorDeclarationSyntax ctor => $"{ctor.Identifier.Text}{ctor.ParameterList}",
        PropertyDeclarationSyntax property => property.Identifier.Text,
        FieldDeclarationSyntax field => string.Join(",", field.Declaration.Variables.Select(v => v.Identifier.Text)),
        BaseNamespaceDeclarationSyntax ns => "namespace " + ns.Name,
        _ => member.Kind().ToString(),
    };

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
        $"({StubKey(function, relativePath)})";

    /// <summary>The part of <see cref="StubMessage"/> that names what to complete: <c>not implemented yet: complete F in FILE</c>.</summary>
    public static string StubKey(string function, string relativePath) => $"{StubMessagePrefix}complete {function} in {relativePath}";

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
