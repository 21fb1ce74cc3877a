using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DaseCV.Runner.Ipynb;

/// <summary>
/// A code cell read as C# syntax, never run: parsed as a script (a cell's top-level statements and declarations), as
/// the results summary and the grader's choice reader read a student's cells.
/// </summary>
internal static class CellSyntax
{
    /// <summary>The cell's syntax tree; null when it is nested too deeply to parse (a hostile cell), which holds nothing to read.</summary>
    public static SyntaxNode? Parse(string source)
    {
        try
        {
            return CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(kind: SourceCodeKind.Script)).GetRoot();
        }
        catch (InsufficientExecutionStackException)
        {
            return null;
        }
    }
}
