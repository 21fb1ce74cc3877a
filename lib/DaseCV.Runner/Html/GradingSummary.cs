using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DaseCV.Runner.Ipynb;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DaseCV.Runner.Html;

/// <summary>A result the summary shows: its value and the id of the cell whose output holds it (for a link).</summary>
internal sealed record SummaryValue(string Value, string? CellId);

/// <summary>
/// What a grader wants first: who handed the notebook in, and the results it reached.
/// </summary>
/// <param name="StudentName">The parameter <c>studentName</c>; null when not given.</param>
/// <param name="StudentId">The parameter <c>studentId</c>; null when not given.</param>
/// <param name="BestLearningRate">Learning rate of the best validation accuracy in the tuning grid.</param>
/// <param name="BestReg">Regularization strength of that configuration.</param>
/// <param name="ValAccuracy">The best validation accuracy the notebook printed.</param>
/// <param name="TestAccuracy">The final test set accuracy the notebook printed.</param>
internal sealed partial record GradingSummary(
    string? StudentName, string? StudentId,
    SummaryValue? BestLearningRate, SummaryValue? BestReg, SummaryValue? ValAccuracy, SummaryValue? TestAccuracy)
{
    public const string StudentNameParameter = "studentName";
    public const string StudentIdParameter = "studentId";

    /// <summary>
    /// Reads the summary from the notebook. Student name and ID: the last declaration of <c>studentName</c> /
    /// <c>studentId</c> in the cells tagged <c>parameters</c> and <c>injected-parameters</c>, in notebook order
    /// (so <c>-p</c> wins), whose value is a string literal or a call whose last string-literal argument is the
    /// default (<c>Param("STUDENT_NAME", "张三")</c>). Results: the stdout lines the CS231n notebooks print,
    /// the last such line in the notebook for each —
    /// <c>best validation accuracy achieved during cross-validation: V</c>, <c>… final test set accuracy: T</c>,
    /// and the first grid line <c>lr L reg R train accuracy: … val accuracy: V</c> of the cell that printed V
    /// (the notebook keeps the first configuration in grid order on ties, and so does this).
    /// </summary>
    public static GradingSummary From(IpynbNotebook notebook)
    {
        string? name = null, id = null;
        foreach (var cell in notebook.Cells.Where(c => c.Type == "code"
                     && (c.Tags.Contains(NotebookParameters.ParametersTag) || c.Tags.Contains(NotebookParameters.InjectedTag))))
        {
            foreach (var (variable, value) in StringDeclarations(cell.Source))
            {
                if (variable == StudentNameParameter)
                    name = value;
                else if (variable == StudentIdParameter)
                    id = value;
            }
        }

        SummaryValue? val = null, test = null, lr = null, reg = null;
        foreach (var cell in notebook.Cells.Where(c => c.Type == "code"))
        {
            var stdout = Stdout(cell);
            if (TestLine().Matches(stdout).LastOrDefault() is { } testMatch)
                test = new SummaryValue(testMatch.Groups["v"].Value, cell.Id);
            if (BestLine().Matches(stdout).LastOrDefault() is { } bestMatch)
            {
                var best = bestMatch.Groups["v"].Value;
                val = new SummaryValue(best, cell.Id);
                var grid = GridLine().Matches(stdout).FirstOrDefault(g => g.Groups["val"].Value == best);
                lr = grid is null ? null : new SummaryValue(grid.Groups["lr"].Value, cell.Id);
                reg = grid is null ? null : new SummaryValue(grid.Groups["reg"].Value, cell.Id);
            }
        }

        return new GradingSummary(name, id, lr, reg, val, test);
    }

    // A stream whose text is not strings (a malformed notebook) holds no result; the cell itself shows the problem.
    private static string Stdout(IpynbCell cell)
    {
        try
        {
            return string.Concat(cell.Outputs.OfType<JsonObject>()
                .Where(o => o["output_type"] is JsonValue t && t.TryGetValue<string>(out var type) && type == "stream")
                .Select(o => IpynbNotebook.JoinText(o["text"])));
        }
        catch (InvalidOperationException)
        {
            return "";
        }
    }

    // Top-level `TYPE NAME = "literal"` or `TYPE NAME = F(..., "literal")`, in source order.
    private static IEnumerable<(string Name, string Value)> StringDeclarations(string source)
    {
        SyntaxNode root;
        try
        {
            root = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(kind: SourceCodeKind.Script)).GetRoot();
        }
        catch (InsufficientExecutionStackException)
        {
            yield break;
        }

        foreach (var declarator in root.DescendantNodes().OfType<VariableDeclaratorSyntax>())
        {
            var value = declarator.Initializer?.Value switch
            {
                LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) => literal.Token.ValueText,
                InvocationExpressionSyntax call => call.ArgumentList.Arguments.Select(a => a.Expression)
                    .OfType<LiteralExpressionSyntax>().LastOrDefault(l => l.IsKind(SyntaxKind.StringLiteralExpression))?.Token.ValueText,
                _ => null,
            };
            if (value is not null)
                yield return (declarator.Identifier.ValueText, value.Trim());
        }
    }

    [GeneratedRegex(@"^best validation accuracy achieved during cross-validation: (?<v>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex BestLine();

    [GeneratedRegex(@"^lr (?<lr>\S+) reg (?<reg>\S+) train accuracy: \S+ val accuracy: (?<val>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex GridLine();

    [GeneratedRegex(@"final test set accuracy: (?<v>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex TestLine();
}
