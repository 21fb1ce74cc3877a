using DaseCV.Runner.Text;
namespace DaseCV.Runner.Coursework.Grading;

/// <summary>The student's part of one marked file: the regions to splice, or why they cannot be used.</summary>
/// <param name="RelativePath">The file's repository path, e.g. lib/DaseCV/Classifiers/SoftmaxLoss.cs.</param>
/// <param name="Regions">The student's graded regions; empty when <paramref name="Problem"/> is set.</param>
/// <param name="Problem">Why the file could not be used (missing, too large, markers changed, code outside the regions), or null.</param>
internal sealed record StudentFile(string RelativePath, IReadOnlyList<MarkedRegion> Regions, string? Problem);

/// <summary>
/// The splice stage: one exercise's regions taken from the student's submission and put into the instructor's
/// library, once per exercise; every other exercise's regions stay the instructor's, so a slip costs only its own
/// exercise. A region is taken only when the file outside the markers is the instructor's (compared as syntax trees);
/// anything unusable becomes a throw that names the problem. Submitted text is capped before it is parsed, and
/// parsed on a thread with a large stack: 20,000 nested parentheses must be a student's row, not the grader's crash.
/// </summary>
internal static class Splice
{
    /// <summary>A submitted marked file, and one region in it, at the most.</summary>
    public const int MaxFileChars = 256 * 1024, MaxRegionChars = 64 * 1024;

    private const int ParserStackBytes = 512 << 20;

    /// <summary>
    /// The student's files holding <paramref name="exercise"/>'s regions (each with those regions or its problem), and
    /// lib/DaseCV's sources with them spliced in.
    /// </summary>
    public static (IReadOnlyList<StudentFile> Files, IReadOnlyDictionary<string, string> Sources) Run(string repositoryRoot, CourseLayout layout, Submission submission,
        Exercise exercise)
    {
        (IReadOnlyList<StudentFile>, IReadOnlyDictionary<string, string>) result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var graded = layout.MarkedFiles(repositoryRoot).ToDictionary(f => f, f => File.ReadAllText(Path.Combine(repositoryRoot, f)));
                var files = graded.Keys.Select(f => ReadStudentFile(f, graded[f], exercise, submission)).Where(f => f is not null).Select(f => f!).ToList();
                result = (files, Sources(repositoryRoot, layout, exercise, files));
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, ParserStackBytes);
        thread.Start();
        thread.Join();
        if (failure is not null)
            throw new InvalidDataException(Feedback.Say("提交的代码无法读取", "the submitted code cannot be read") + $": {failure.GetType().Name}: {failure.Message}", failure);
        return result;
    }

    /// <summary>
    /// The student's regions of <paramref name="exercise"/> in one marked file, or the reason they cannot be used;
    /// null when the file holds none of the exercise's regions.
    /// </summary>
    private static StudentFile? ReadStudentFile(string relativePath, string instructorText, Exercise exercise, Submission submission)
    {
        var instructorRegions = SolutionMarkers.Find(instructorText, relativePath);
        var gradedFunctions = instructorRegions.Select(r => r.Function).Where(exercise.Owns).ToList();
        if (gradedFunctions.Count == 0)
            return null;
        if (submission.Find(relativePath) is not { } path)
            return new StudentFile(relativePath, [], Feedback.Say($"未实现：提交中没有 {relativePath}", $"not implemented: {relativePath} is not in the submission"));
        if (new FileInfo(path).Length > MaxFileChars * 4L)
            return new StudentFile(relativePath, [], TooLarge(relativePath));
        try
        {
            var text = File.ReadAllText(path);
            if (text.Length > MaxFileChars)
                return new StudentFile(relativePath, [], TooLarge(relativePath));
            var regions = SolutionMarkers.Find(text, relativePath);
            if (!regions.Select(r => r.Function).SequenceEqual(instructorRegions.Select(r => r.Function)))
                return new StudentFile(relativePath, [],
                    Feedback.Say($"{relativePath}：标记被改动了", $"{relativePath}: the markers were changed") +
                    $": expected regions in {string.Join(", ", instructorRegions.Select(r => r.Function))}; " +
                    $"found {(regions.Count == 0 ? "none" : string.Join(", ", regions.Select(r => r.Function)))}");
            var student = regions.Where(r => gradedFunctions.Contains(r.Function)).ToList();
            if (student.FirstOrDefault(r => r.Code.Length > MaxRegionChars) is { } long_)
                return new StudentFile(relativePath, [], Feedback.Say($"{relativePath}：{long_.Function} 中的代码超过 {MaxRegionChars / 1024} KB", $"{relativePath}: the code in {long_.Function} is longer than {MaxRegionChars / 1024} KB"));
            var spliced = SolutionMarkers.Replace(instructorText, instructorRegions, r =>
                gradedFunctions.Contains(r.Function) ? Counterpart(student, instructorRegions, r).Code : r.Code);
            if (SolutionMarkers.OutsideRegionsProblem(instructorText, spliced, relativePath) is { } problem)
                return new StudentFile(relativePath, [], problem);
            return new StudentFile(relativePath, student, null);
        }
        catch (InvalidDataException e)
        {
            return new StudentFile(relativePath, [], Feedback.Say($"{relativePath}：标记已损坏", $"{relativePath}: the markers are broken") + $": {e.Message}");
        }
    }

    /// <summary>lib/DaseCV's sources: the instructor's, with each usable student region in, and a throw naming the problem otherwise.</summary>
    private static Dictionary<string, string> Sources(string repositoryRoot, CourseLayout layout, Exercise exercise, IReadOnlyList<StudentFile> studentFiles)
    {
        var library = Path.Combine(repositoryRoot, layout.StudentCodeFolder);
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(library, "*.cs", SearchOption.AllDirectories))
        {
            var relative = CourseLayout.ToRelative(repositoryRoot, file);
            if (!CourseLayout.IsBuildOutput(CourseLayout.ToRelative(library, file)))
                sources[relative] = File.ReadAllText(file);
        }

        foreach (var student in studentFiles)
        {
            var text = sources[student.RelativePath];
            var regions = SolutionMarkers.Find(text, student.RelativePath);
            sources[student.RelativePath] = SolutionMarkers.Replace(text, regions, region =>
            {
                if (!exercise.Owns(region.Function))
                    return region.Code;
                if (student.Problem is null)
                    return Counterpart(student.Regions, regions, region).Code;
                // Nothing usable from the student here: the function throws, naming the problem.
                return $"{region.Indent}#pragma warning disable CS0162\n{region.Indent}throw new NotImplementedException(\"{Escape(student.Problem)}\");";
            });
        }

        return sources;
    }

    /// <summary>
    /// The region of <paramref name="from"/> that stands where <paramref name="region"/> stands among <paramref name="regions"/>:
    /// the same function's region of the same rank, since a function may have several (kNN's PredictLabels has two).
    /// </summary>
    private static MarkedRegion Counterpart(IReadOnlyList<MarkedRegion> from, IReadOnlyList<MarkedRegion> regions, MarkedRegion region)
    {
        var rank = regions.TakeWhile(r => r != region).Count(r => r.Function == region.Function);
        return from.Where(r => r.Function == region.Function).ElementAt(rank);
    }

    private static string Escape(string text) =>
        Feedback.Clean(text.ReplaceLineEndings(" "), 500).Replace("\\", "\\\\").Replace("\"", "\\\"");

    private static string TooLarge(string relativePath) => Feedback.Say(
        $"{relativePath} 超过 {MaxFileChars / 1024} KB；只有标记之间的代码是你的，文件大小应与发放的一致",
        $"{relativePath} is larger than {MaxFileChars / 1024} KB; only the code between the markers is yours, and it is graded only when the file is the handout's size");
}
