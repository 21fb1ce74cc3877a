using DaseCV.Grader;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Coursework.Grading;

namespace DaseCV.Runner.Tests.Coursework.Grading;

/// <summary>Source folders for the grader's <c>serve</c>, built from this repository's library with chosen edits (stubs, planted slips).</summary>
internal static class GraderSources
{
    /// <summary>
    /// A sources folder as the runner builds one: every .cs file of lib/DaseCV by repository path (build output left
    /// out), the instructor's code, with <paramref name="edit"/> applied to the files it names.
    /// </summary>
    public static string Sources(string folder, IReadOnlyDictionary<string, Func<string, string>> edit)
    {
        var root = TestPaths.RepositoryRoot;
        var library = Path.Combine(root, "lib", "DaseCV");
        foreach (var file in Directory.EnumerateFiles(library, "*.cs", SearchOption.AllDirectories))
        {
            if (CourseLayout.IsBuildOutput(CourseLayout.ToRelative(library, file)))
                continue;
            var relative = CourseLayout.ToRelative(root, file);
            var text = File.ReadAllText(file);
            var target = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, edit.TryGetValue(relative, out var change) ? change(text) : text);
        }

        foreach (var path in edit.Keys)
            Assert.True(File.Exists(Path.Combine(root, path)), $"no {path} in the library");
        return folder;
    }

    /// <summary>
    /// Every request at once in one <c>serve</c> (bubblewrap required, as a class's grading would run), its response by id.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, GradeResponse>> GradeAllAsync(Limits limits,
        IEnumerable<(string Id, string Sources, string Exercise, TuningRequest? Tuning)> requests)
    {
        await using var serve = await GraderProcess.StartAsync(limits);
        if (!serve.Status.Sandbox.StartsWith("bubblewrap", StringComparison.Ordinal))
            throw new InvalidOperationException("The grading tests need bubblewrap (apt-get install bubblewrap); serve reported: " + serve.Status.Sandbox);
        var version = typeof(DaseCV.Classifiers.SoftmaxLoss).Assembly.GetName().Version!.ToString();
        var answered = await Task.WhenAll(requests.Select(r => serve.GradeAsync(r.Id, r.Sources, version, r.Exercise, r.Tuning)));
        return answered.ToDictionary(r => r.Id);
    }

    /// <summary>Every marked region of the file replaced by a stub that throws, as the handout ships it.</summary>
    public static string Stub(string text, string path) =>
        SolutionMarkers.Replace(text, SolutionMarkers.Find(text, path), region =>
            $"{region.Indent}#pragma warning disable CS0162\n{region.Indent}throw new NotImplementedException(\"stub\");");

    /// <summary><paramref name="from"/> replaced by <paramref name="to"/>; it must occur exactly once, inside a marked region.</summary>
    public static string Plant(string text, string path, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0 && text.IndexOf(from, at + 1, StringComparison.Ordinal) < 0, $"'{from}' does not occur exactly once in {path}");
        var line = text[..at].Count(c => c == '\n');
        Assert.Contains(SolutionMarkers.Find(text, path), r => r.StartLine < line && line < r.EndLine);
        return text.Replace(from, to, StringComparison.Ordinal);
    }
}
