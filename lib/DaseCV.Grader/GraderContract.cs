using System.Text.Json.Serialization;

namespace DaseCV.Grader;

// What the grader prints and `DaseCV.Runner grade` reads, as JSON: compiled into both (the runner links this file),
// so the two cannot drift apart.

/// <summary>One autograder check, declared only in <see cref="Catalog"/>; <c>DaseCV.Grader catalog</c> prints the list.</summary>
/// <param name="Id">Stable id.</param>
/// <param name="Name">What Gradescope shows (Chinese, then English).</param>
/// <param name="Points">Points.</param>
/// <param name="Visibility">Gradescope's visibility of the test.</param>
/// <param name="Kind"><c>code</c>: the grader runs the student's code; <c>answer</c>: the runner reads the notebook.</param>
/// <param name="Tests">What the check tests, for the instructor.</param>
internal sealed record CatalogEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("points")] double Points,
    [property: JsonPropertyName("visibility")] string Visibility,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("tests")] string Tests);

/// <summary>A code check's result: the fraction of its points, what the student reads, and what only the instructor reads.</summary>
internal sealed record CheckVerdict(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("fraction")] double Fraction,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("detail")] string Detail);

/// <summary>What <c>DaseCV.Grader check</c> prints: the sandbox that ran and every code check's verdict.</summary>
internal sealed record GraderReport(
    [property: JsonPropertyName("sandbox")] string Sandbox,
    [property: JsonPropertyName("isolated")] bool Isolated,
    [property: JsonPropertyName("outcomes")] IReadOnlyList<CheckVerdict> Outcomes);
