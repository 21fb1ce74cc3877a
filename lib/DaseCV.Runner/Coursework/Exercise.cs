using DaseCV.Runner.Html;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Coursework;

/// <summary>
/// One exercise of the assignment, named after its notebook: what the student completes for it and the run it asks
/// for. Releases, hand-ins and grades are per exercise: <c>handout --exercise</c> stubs only the chosen exercises'
/// regions, <c>submit</c> lists an unfinished exercise as missing, <c>grade</c> splices only one exercise's regions
/// from the student at a time.
/// </summary>
/// <param name="Id">The notebook's name without extension (<c>knn</c>, <c>svm</c>, …), as the grader's catalog names it.</param>
/// <param name="Notebook">The exercise's notebook, relative to the repository root.</param>
/// <param name="Functions">The marked functions the student writes for it (<see cref="MarkedRegion.Function"/>; <c>Class.*</c> is every function of a class).</param>
/// <param name="Uses">Marked functions of other exercises its notebook calls: shipped solved when this exercise is released without their own.</param>
/// <param name="Questions">The numbered questions (问题 N) of its answer cells.</param>
/// <param name="AssignmentSettings">The run the exercise asks for: the notebook's parameters (name → value as written in the
/// parameters cell, whose defaults these are; a test keeps them equal). <c>submit</c> warns about and records a run that differs.</param>
/// <param name="TuningCell">The id of its marked tuning cell, listed as <see cref="UnfinishedWork.TuningPart"/> when unfinished; null when it has none.</param>
/// <param name="Results">The cells its grading page's results table reads (<see cref="ExerciseResults"/>).</param>
/// <param name="Choices">Its choice cells, one per retraining check of the grader (none by default).</param>
internal sealed record Exercise(
    string Id,
    string Notebook,
    IReadOnlyList<string> Functions,
    IReadOnlyList<string> Uses,
    IReadOnlyList<int> Questions,
    IReadOnlyDictionary<string, string> AssignmentSettings,
    string? TuningCell,
    ResultCells Results,
    IReadOnlyList<ChoiceCell>? Choices = null)
{
    /// <summary><see cref="Choices"/>, never null.</summary>
    public IReadOnlyList<ChoiceCell> ChoiceCells => Choices ?? [];

    /// <summary>True when <paramref name="function"/> (e.g. <c>SvmLoss.Naive</c>) is one this exercise's student writes.</summary>
    public bool Owns(string function) => Matches(Functions, function);

    /// <summary>True when this exercise's notebook calls <paramref name="function"/> of another exercise.</summary>
    public bool Calls(string function) => Matches(Uses, function);

    /// <summary>True when <paramref name="notebook"/> has a cell with each id of <see cref="Results"/>: it is this exercise's notebook, run or not.</summary>
    public bool HasResultCells(IpynbNotebook notebook) => Results.Cells.All(id => notebook.Cells.Any(c => c.Id == id));

    private static bool Matches(IReadOnlyList<string> patterns, string function) =>
        patterns.Any(p => p.EndsWith(".*", StringComparison.Ordinal) ? function.StartsWith(p[..^1], StringComparison.Ordinal) : function == p);
}
