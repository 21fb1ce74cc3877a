namespace DaseCV.Runner.Html;

/// <summary>
/// One column of the results table: its heading (Chinese, then English), the code cell that prints the value (by
/// nbformat id), and how the value is read from that cell's printed text.
/// </summary>
/// <param name="Label">The column's heading, e.g. <c>测试集精度 Test accuracy</c>.</param>
/// <param name="Cell">The id of the cell whose standard output holds the value.</param>
/// <param name="Read">The value in that output; null when it printed no such line.</param>
internal sealed record ResultColumn(string Label, string Cell, Func<string, string?> Read);

/// <summary>
/// The cells of an exercise's notebook the summary trusts, by nbformat cell id: the parameters cell (student name and
/// ID) and the cells that print each result, one column each, in the order the table shows them.
/// </summary>
/// <param name="Parameters">The parameters cell's id.</param>
/// <param name="Columns">The results table's columns.</param>
internal sealed record ResultCells(string Parameters, IReadOnlyList<ResultColumn> Columns)
{
    /// <summary>No results table: a notebook that is not one of the course's still gets the student and the run.</summary>
    public static ResultCells None { get; } = new("", []);

    /// <summary>The ids of the cells that print results, each once, in column order.</summary>
    public IEnumerable<string> Cells => Columns.Select(c => c.Cell).Distinct();
}
