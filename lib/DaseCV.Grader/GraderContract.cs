using System.Text.Json.Serialization;

namespace DaseCV.Grader;

// What the grader prints and `DaseCV.Runner grade` reads, as JSON: compiled into both (the runner links this file),
// so the two cannot drift apart.

/// <summary>One autograder check, declared only in the grader's <c>Catalog</c>; <c>DaseCV.Grader catalog</c> prints the list.</summary>
/// <param name="Id">Stable id.</param>
/// <param name="Name">What Gradescope shows (Chinese, then English).</param>
/// <param name="Points">Points.</param>
/// <param name="Visibility">Gradescope's visibility of the test.</param>
/// <param name="Kind"><c>code</c>: the grader runs the student's code; <c>answer</c>: the runner reads the notebook.</param>
/// <param name="Tests">What the check tests, for the instructor.</param>
/// <param name="Exercise">The exercise the check belongs to (<c>softmax</c>, <c>knn</c>, <c>svm</c>, <c>two_layer_net</c>, <c>features</c>: the notebook's name); each exercise's checks total 100 points.</param>
internal sealed record CatalogEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("points")] double Points,
    [property: JsonPropertyName("visibility")] string Visibility,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("tests")] string Tests,
    [property: JsonPropertyName("exercise")] string Exercise = "softmax");

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
    [property: JsonPropertyName("outcomes")] IReadOnlyList<CheckVerdict> Outcomes,
    [property: JsonPropertyName("limits")] string Limits = "");

/// <summary>A request to <c>DaseCV.Grader serve</c>, one JSON line: compile the spliced library in <paramref name="Sources"/> and check it.</summary>
/// <param name="Id">The runner's name for the submission, echoed back.</param>
/// <param name="Sources">A folder of the library's .cs files by repository path (lib/DaseCV/...), the student's regions spliced in.</param>
/// <param name="Version">The assembly version of the instructor's DaseCV (the harness binds to it).</param>
/// <param name="Exercise">The exercise whose code checks run (<see cref="CatalogEntry.Exercise"/>): the sources hold the student's regions of that exercise only, the instructor's code in every other exercise's.</param>
internal sealed record GradeRequest(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("sources")] string Sources,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("exercise")] string Exercise = "softmax");

/// <summary>The answer to a <see cref="GradeRequest"/>, one JSON line.</summary>
/// <param name="Id">The request's id.</param>
/// <param name="CompileErrors">The compiler's errors (repository paths), or why compiling stopped; null when it compiled.</param>
/// <param name="Fault">The machine's fault (the sandbox failed), never the student's; null otherwise.</param>
/// <param name="Report">The checks' verdicts; null when nothing was run.</param>
internal sealed record GradeResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("compileErrors")] string? CompileErrors,
    [property: JsonPropertyName("fault")] string? Fault,
    [property: JsonPropertyName("report")] GraderReport? Report);

/// <summary><c>serve</c>'s first line: ready with the sandbox and limits it will use, or the fault that stops all grading.</summary>
internal sealed record ServeStatus(
    [property: JsonPropertyName("ready")] bool Ready,
    [property: JsonPropertyName("sandbox")] string Sandbox,
    [property: JsonPropertyName("limits")] string Limits,
    [property: JsonPropertyName("fault")] string? Fault);

/// <summary>
/// Limits for one sandboxed process and everything it starts: what the runner asks for (<c>grade --time-limit
/// --memory-limit --allow-unlimited</c>) and the grader enforces, one record for both.
/// </summary>
/// <param name="Time">Wall-clock limit for one check (or one compilation).</param>
/// <param name="MemoryBytes">Memory of the process tree, page cache, tmpfs and memfd pages included (a cgroup's limit; also the GC heap's).</param>
/// <param name="OutputBytes">What the student's code may print (stderr), before it is stopped.</param>
/// <param name="Tasks">Threads and processes at once (a cgroup's task limit).</param>
/// <param name="TmpBytes">Size of the sandbox's private /tmp.</param>
/// <param name="AllowUnlimited">Grade even where the kernel cannot enforce memory and process limits (a container that is itself the limit).</param>
internal sealed record Limits(TimeSpan Time, long MemoryBytes, long OutputBytes = 1L << 20, int Tasks = 256, long TmpBytes = 64L << 20, bool AllowUnlimited = false)
{
    /// <summary>A check's limits by default: fits Gradescope's container (768 MB, half a CPU) and, with two jobs, a 2-core machine within 1 GB in all.</summary>
    public static Limits Default { get; } = new(TimeSpan.FromSeconds(60), 384L << 20);
}
