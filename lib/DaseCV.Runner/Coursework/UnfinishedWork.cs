using System.Text.Json.Nodes;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Coursework;

/// <summary>A part of the assignment that a submission leaves undone.</summary>
/// <param name="Name">As <c>submission.json</c> lists it: the function (<c>SoftmaxLoss.Vectorized</c>), <c>tuning</c>, or <c>问题 N</c>.</param>
/// <param name="Where">Where the student finds it: the file, or the notebook and the cell's first line.</param>
/// <param name="StubKey">What the part's stub throws (<see cref="SolutionMarkers.StubKey"/>); null for an answer.</param>
internal sealed record UnfinishedPart(string Name, string Where, string? StubKey)
{
    /// <summary>An unanswered question rather than code.</summary>
    public bool IsAnswer => StubKey is null;
}

/// <summary>Where the run of unfinished work stopped: the first failing cell, failed by a stub's NotImplementedException.</summary>
/// <param name="Cell">The cell as the student finds it (<c>单元（cell）“first line”</c>).</param>
/// <param name="CellId">The cell's id, when it has one.</param>
/// <param name="Part">The <see cref="UnfinishedPart.Name"/> whose stub threw.</param>
/// <param name="CellsNotRun">Code cells after it, none of which ran.</param>
internal sealed record RunStop(string Cell, string? CellId, string Part, int CellsNotRun);

/// <summary>
/// What one exercise of a submission leaves undone: the exercise's functions still stubs (other exercises' are not
/// its parts), marked cells of its notebook still stubs, and unanswered questions. A notebook run stops at the first cell whose code reaches
/// a stub; <see cref="StubThatFailed"/> tells that failure from any other, so unfinished work can still be handed in.
/// </summary>
internal static class UnfinishedWork
{
    /// <summary>The name the tuning cell gets in the list.</summary>
    public const string TuningPart = "tuning";

    /// <summary>Every unfinished part: code in file order, then notebook cells, then questions in notebook order.</summary>
    /// <param name="code">The course's marked regions (<see cref="CourseLayout.MarkedRegions"/>).</param>
    /// <param name="exercise">The exercise: its functions, its notebook's path and its tuning cell (listed as <see cref="TuningPart"/>; other marked cells by their first line).</param>
    /// <param name="notebook">The exercise's notebook handed in (its marked cells and answers).</param>
    public static IReadOnlyList<UnfinishedPart> Find(IReadOnlyList<(string RelativePath, MarkedRegion Region)> code, Exercise exercise, IpynbNotebook notebook)
    {
        var functions = code.Where(c => exercise.Owns(c.Region.Function) && SolutionMarkers.IsStub(c.Region))
            .Select(c => new UnfinishedPart(c.Region.Function, c.RelativePath, SolutionMarkers.StubKey(c.Region.Function, c.RelativePath)));
        var cells = notebook.Cells.Where(IsStubCell).Select(c =>
        {
            // The stub names the cell by its first line, as the handout wrote it.
            var block = Block(c);
            return new UnfinishedPart(c.Id == exercise.TuningCell ? TuningPart : block, $"{exercise.Notebook}：{block}", SolutionMarkers.StubKey(block, exercise.Notebook));
        });
        var answers = NotebookAnswers.Find(notebook).Where(a => !a.IsAnswered).Select(a => new UnfinishedPart(a.Question, exercise.Notebook, null));
        return [.. functions.Concat(cells).Concat(answers).DistinctBy(p => p.Name)];
    }

    /// <summary>
    /// The part whose stub made <paramref name="cell"/> fail: its error output is a NotImplementedException whose
    /// message names one of <paramref name="parts"/> (<see cref="UnfinishedPart.StubKey"/>; a marked cell's own stub
    /// names the cell). Null for any other failure, which is the student's to fix, and for a stub of a part that is
    /// finished (a copied throw).
    /// </summary>
    public static UnfinishedPart? StubThatFailed(IpynbCell cell, IReadOnlyList<UnfinishedPart> parts)
    {
        // The runner writes ename NotImplementedException and the message; a Jupyter front end may put the full type
        // name and the stack in evalue or traceback: all of it is looked at.
        var text = string.Join("\n", cell.Outputs.OfType<JsonObject>()
            .Where(o => o["output_type"] is JsonValue t && t.TryGetValue<string>(out var type) && type == "error")
            .SelectMany(o => new[] { o["ename"], o["evalue"] }.Concat(o["traceback"] as JsonArray ?? []))
            .Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : ""));
        return text.Contains(nameof(NotImplementedException), StringComparison.Ordinal)
            ? parts.FirstOrDefault(p => p.StubKey is { } key && text.Contains(key, StringComparison.Ordinal))
            : null;
    }

    private static bool IsStubCell(IpynbCell cell) =>
        cell.Type == "code" && SolutionMarkers.HasMarkers(cell.Source) && SolutionMarkers.Find(cell.Source, "cell", "cell").Any(SolutionMarkers.IsStub);

    private static string Block(IpynbCell cell) => $"单元（cell）“{CourseLayout.CellTitle(cell.Source)}”";
}
