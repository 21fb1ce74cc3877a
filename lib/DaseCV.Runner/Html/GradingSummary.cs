using System.Text.Json.Nodes;
using DaseCV.Runner.Ipynb;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DaseCV.Runner.Html;

/// <summary>A result the summary shows: its value and the id of the cell whose output holds it (for a link), or why it is missing.</summary>
internal sealed record SummaryValue(string? Value, string? CellId, string? Missing = null)
{
    public static SummaryValue NotFound(string why) => new(null, null, why);
}

/// <summary>A column of the results table with the value the notebook printed for it.</summary>
internal sealed record SummaryResult(string Label, SummaryValue Value);

/// <summary>
/// What a grader wants first: who handed the notebook in, and the results it reached.
/// </summary>
/// <param name="StudentName">The parameter <c>studentName</c>; null when not given.</param>
/// <param name="StudentId">The parameter <c>studentId</c>; null when not given.</param>
/// <param name="Results">One per column of the exercise's <see cref="ResultCells"/>, in its order.</param>
internal sealed record GradingSummary(string? StudentName, string? StudentId, IReadOnlyList<SummaryResult> Results)
{
    public const string StudentNameParameter = "studentName";
    public const string StudentIdParameter = "studentId";

    /// <summary>
    /// Reads the summary from the cells a student cannot add or move into place. Student name and ID: the
    /// declarations of <c>studentName</c> / <c>studentId</c> in the parameters cell (<see cref="ResultCells.Parameters"/>,
    /// else the first cell tagged <c>parameters</c>), then in the <c>injected-parameters</c> cell right after it
    /// where the runner puts the TA's <c>-p</c> values, which win. A value is a string literal or a call whose last
    /// string-literal argument is the default (<c>Param("STUDENT_NAME", "张三")</c>). Any other cell, tagged or
    /// not, is ignored. Results: each column's value only from the standard output of its own cell, found by id,
    /// exactly one code cell with that id, never folded (<see cref="ResultColumn.Read"/> picks the line). A value
    /// not found says where it was looked for.
    /// </summary>
    /// <param name="isFolded">True for cells the page folds away (setup, logs); their output is never a result.</param>
    public static GradingSummary From(IpynbNotebook notebook, ResultCells cells, Func<IpynbCell, bool> isFolded)
    {
        string? name = null, id = null;
        foreach (var cell in ParameterCells(notebook, cells))
        {
            foreach (var (variable, value) in StringDeclarations(cell.Source))
            {
                if (variable == StudentNameParameter)
                    name = value;
                else if (variable == StudentIdParameter)
                    id = value;
            }
        }

        var results = cells.Columns.Select(column => new SummaryResult(column.Label,
            Cell(notebook, column.Cell, isFolded, out var cell) is { } problem ? SummaryValue.NotFound(problem)
            : column.Read(Stdout(cell!)) is { } value ? new SummaryValue(value, cell!.Id)
            : SummaryValue.NotFound(NoLine(column.Cell))));
        return new GradingSummary(name, id, [.. results]);
    }

    private static string NoLine(string id) => $"单元 {id} 没有输出这一行 cell {id} printed no such line";

    // The parameters cell and, directly after it, the runner's injected cell.
    private static IEnumerable<IpynbCell> ParameterCells(IpynbNotebook notebook, ResultCells cells)
    {
        var list = notebook.Cells;
        var index = IndexOf(list, c => c.Id == cells.Parameters && c.Tags.Contains(NotebookParameters.ParametersTag));
        if (index < 0)
            index = IndexOf(list, c => c.Type == "code" && c.Tags.Contains(NotebookParameters.ParametersTag));
        if (index < 0)
            yield break;
        yield return list[index];
        if (index + 1 < list.Count && NotebookParameters.IsInjected(list[index + 1]))
            yield return list[index + 1];
    }

    private static int IndexOf(IReadOnlyList<IpynbCell> cells, Func<IpynbCell, bool> match)
    {
        for (var i = 0; i < cells.Count; i++)
            if (match(cells[i]))
                return i;
        return -1;
    }

    // The one code cell with this id, shown (not folded); otherwise why not.
    private static string? Cell(IpynbNotebook notebook, string id, Func<IpynbCell, bool> isFolded, out IpynbCell? cell)
    {
        var matches = notebook.Cells.Where(c => c.Id == id).ToList();
        cell = matches.Count == 1 && matches[0].Type == "code" ? matches[0] : null;
        return matches.Count switch
        {
            0 => $"没有单元 {id} no cell {id}",
            > 1 => $"单元 {id} 出现 {matches.Count} 次 cell {id} appears {matches.Count} times",
            _ when cell is null => $"单元 {id} 不是代码单元 cell {id} is not a code cell",
            _ when isFolded(cell) => $"单元 {id} 被折叠 cell {id} is folded away",
            _ => null,
        };
    }

    // A stream whose text is not strings (a malformed notebook) holds no result; the cell itself shows the problem.
    private static string Stdout(IpynbCell cell)
    {
        try
        {
            return string.Concat(cell.Outputs.OfType<JsonObject>()
                .Where(o => o["output_type"] is JsonValue t && t.TryGetValue<string>(out var type) && type == "stream")
                .Where(o => o["name"] is not JsonValue n || !n.TryGetValue<string>(out var stream) || stream == "stdout")
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
        if (CellSyntax.Parse(source) is not { } root)
            yield break;

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
}
