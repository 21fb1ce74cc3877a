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
/// <param name="Tuning">What the exercise's retraining checks need (the data and each check's hyperparameters); null when it has none.</param>
internal sealed record GradeRequest(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("sources")] string Sources,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("exercise")] string Exercise = "softmax",
    [property: JsonPropertyName("tuning")] TuningRequest? Tuning = null);

/// <summary>
/// The subset of CIFAR-10 the retraining checks train on: drawn once by <see cref="Seed"/> from the instructor's data
/// (<c>Cifar10Subset.Write</c>), <see cref="Training"/> training images followed by <see cref="Validation"/> validation images.
/// </summary>
internal static class TuningSubset
{
    public const int Training = 5000, Validation = 1000, Seed = 231;
}

/// <summary>Hyperparameters a retraining check trains with, as read from a notebook's choice cell.</summary>
/// <param name="LearningRate">SGD step size.</param>
/// <param name="Reg">L2 regularization strength.</param>
/// <param name="HiddenSize">Hidden units of a two-layer net; null for the linear SVM.</param>
/// <param name="LearningRateDecay">A two-layer net's learning-rate decay per epoch; null for the linear SVM.</param>
internal sealed record Hyperparameters(
    [property: JsonPropertyName("learningRate")] double LearningRate,
    [property: JsonPropertyName("reg")] double Reg,
    [property: JsonPropertyName("hiddenSize")] int? HiddenSize = null,
    [property: JsonPropertyName("learningRateDecay")] double? LearningRateDecay = null);

/// <summary>One retraining check's hyperparameters: the student's (or why there are none) and the instructor's, which set the threshold.</summary>
/// <param name="Check">The check's id (<see cref="CatalogEntry.Id"/>).</param>
/// <param name="Student">The student's choice, checked for range by the runner; null when it could not be read.</param>
/// <param name="Problem">Why there is no usable choice (bilingual, naming the cell and the value): the check's message, 0 points.</param>
/// <param name="Reference">The instructor's choice, read from the instructor's notebook the same way.</param>
internal sealed record TunedChoice(
    [property: JsonPropertyName("check")] string Check,
    [property: JsonPropertyName("student")] Hyperparameters? Student,
    [property: JsonPropertyName("problem")] string? Problem,
    [property: JsonPropertyName("reference")] Hyperparameters Reference);

/// <summary>What an exercise's retraining checks need.</summary>
/// <param name="Data">The data folder holding the subset (<see cref="TuningSubset"/>) as <c>cifar-10-batches-bin/</c>.</param>
/// <param name="Choices">One entry per retraining check of the exercise.</param>
internal sealed record TuningRequest(
    [property: JsonPropertyName("data")] string Data,
    [property: JsonPropertyName("choices")] IReadOnlyList<TunedChoice> Choices);

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
