using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DaseCV.Runner.Html;

/// <summary>
/// C# code cells as HTML with syntax colours, from the C# compiler's own lexer and parser (Roslyn, which the
/// kernel already brings): every token and comment is classified exactly as the compiler reads it, including
/// interpolated and raw strings, <c>#r</c> directives and contextual keywords. Classes: <c>k</c> keyword,
/// <c>t</c> type, <c>f</c> called method, <c>s</c> string or char, <c>n</c> number, <c>c</c> comment
/// (<c>c banner</c> for a line of repeated characters), <c>d</c> directive.
/// </summary>
/// <remarks>
/// The text is reproduced exactly (only wrapped in spans and HTML-escaped). Sources too large or too deeply
/// nested for the parser are shown escaped without colours.
/// </remarks>
internal static partial class CSharpHighlighter
{
    private const int MaxLength = 200_000;

    // Roslyn parses 20,000 nested parentheses correctly but takes over a minute; real cells nest a few levels.
    private const int MaxNesting = 256;

    // Notebook cells are scripts: top-level statements and #r directives.
    private static readonly CSharpParseOptions Options = new(LanguageVersion.Preview, kind: SourceCodeKind.Script);

    /// <summary>HTML for <paramref name="source"/> (without the surrounding &lt;pre&gt;&lt;code&gt;).</summary>
    public static string ToHtml(string source)
    {
        if (source.Length == 0 || source.Length > MaxLength || Nesting(source) > MaxNesting)
            return Encode(source);
        try
        {
            var root = CSharpSyntaxTree.ParseText(source, Options).GetRoot();
            var pieces = new List<(string Text, string? Css)>();
            foreach (var token in root.DescendantTokens())
            {
                AddTrivia(pieces, token.LeadingTrivia);
                pieces.Add((token.Text, Classify(token)));
                AddTrivia(pieces, token.TrailingTrivia);
            }

            // One span for neighbours of one class ($" text {x} " of an interpolated string has three).
            var html = new StringBuilder(source.Length * 2);
            for (var i = 0; i < pieces.Count;)
            {
                var css = pieces[i].Css;
                var text = new StringBuilder();
                for (; i < pieces.Count && pieces[i].Css == css; i++)
                    text.Append(pieces[i].Text);
                Append(html, text.ToString(), css);
            }

            return html.ToString();
        }
        catch (InsufficientExecutionStackException)
        {
            return Encode(source);
        }
    }

    // Deepest bracket nesting, counting brackets in strings and comments too (an upper bound is all it needs).
    private static int Nesting(string source)
    {
        int depth = 0, max = 0;
        foreach (var c in source)
        {
            if (c is '(' or '[' or '{')
                max = Math.Max(max, ++depth);
            else if (c is ')' or ']' or '}' && depth > 0)
                depth--;
        }

        return max;
    }

    private static void AddTrivia(List<(string Text, string? Css)> pieces, SyntaxTriviaList trivia)
    {
        foreach (var t in trivia)
        {
            var text = t.ToFullString();
            var kind = t.Kind();
            var css = kind switch
            {
                SyntaxKind.SingleLineCommentTrivia => Banner().IsMatch(text) ? "c banner" : "c",
                SyntaxKind.MultiLineCommentTrivia or SyntaxKind.SingleLineDocumentationCommentTrivia
                    or SyntaxKind.MultiLineDocumentationCommentTrivia or SyntaxKind.DisabledTextTrivia => "c",
                _ when t.IsDirective || kind is SyntaxKind.ShebangDirectiveTrivia or SyntaxKind.BadDirectiveTrivia => "d",
                _ => null,
            };
            if (css == "d")
            {
                // A directive's trivia ends with its line break; keep that outside the span.
                var body = text.TrimEnd('\r', '\n');
                pieces.Add((body, css));
                pieces.Add((text[body.Length..], null));
            }
            else
                pieces.Add((text, css));
        }
    }

    private static string? Classify(SyntaxToken token)
    {
        var kind = token.Kind();
        if (kind == SyntaxKind.NumericLiteralToken)
            return "n";
        if (IsStringToken(kind))
            return "s";
        if (SyntaxFacts.IsKeywordKind(kind))
            return "k";
        if (kind != SyntaxKind.IdentifierToken)
            return null;
        return token.Parent switch
        {
            IdentifierNameSyntax { IsVar: true } name when SyntaxFacts.IsInTypeOnlyContext(name) => "k",
            SimpleNameSyntax name when SyntaxFacts.IsInTypeOnlyContext(name) => "t",
            SimpleNameSyntax name when IsCalled(name) => "f",
            BaseTypeDeclarationSyntax or DelegateDeclarationSyntax => "t",
            MethodDeclarationSyntax or LocalFunctionStatementSyntax => "f",
            _ => null,
        };
    }

    private static bool IsCalled(SimpleNameSyntax name) => name.Parent switch
    {
        InvocationExpressionSyntax call => call.Expression == name,
        MemberAccessExpressionSyntax access => access.Name == name && access.Parent is InvocationExpressionSyntax call && call.Expression == access,
        _ => false,
    };

    // String, char, raw, UTF-8 and interpolated-string pieces ($", text, ").
    private static bool IsStringToken(SyntaxKind kind)
    {
        var name = kind.ToString();
        return name.EndsWith("Token", StringComparison.Ordinal)
               && (name.Contains("String", StringComparison.Ordinal) || name.Contains("CharacterLiteral", StringComparison.Ordinal));
    }

    private static void Append(StringBuilder html, string text, string? css)
    {
        if (text.Length == 0)
            return;
        if (css is null)
            html.Append(Encode(text));
        else
            html.Append("<span class=\"").Append(css).Append("\">").Append(Encode(text)).Append("</span>");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    // A comment line that is only decoration: //////// or // ====== (10 or more of one character).
    [GeneratedRegex(@"^//\s*([/=*#~_+-])\1{9,}\s*$")]
    private static partial Regex Banner();
}
