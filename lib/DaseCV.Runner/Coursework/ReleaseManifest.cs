using System.Text.Json;
using System.Text.Json.Nodes;
using DaseCV.Runner.IO;

namespace DaseCV.Runner.Coursework;

/// <summary>
/// <c>.dasecv/release.json</c>, written by <c>handout</c> into the release: which exercises it holds, so that
/// <c>submit</c> collects those and no others. <c>{"format": 1, "exercises": ["knn", "svm"]}</c>, ids in the course's
/// order. The instructor's checkout has none: there every exercise whose notebook it holds is the assignment's.
/// </summary>
internal static class ReleaseManifest
{
    /// <summary>The file's path in a release.</summary>
    public const string RelativePath = ".dasecv/release.json";

    /// <summary>Version of the format described above.</summary>
    public const int Format = 1;

    /// <summary>The file's JSON for a release of <paramref name="exercises"/>.</summary>
    public static string ToJson(IEnumerable<Exercise> exercises) =>
        new JsonObject { ["format"] = Format, ["exercises"] = new JsonArray([.. exercises.Select(e => (JsonNode)e.Id)]) }.ToJsonString(JsonFiles.Options) + "\n";

    /// <summary>The exercises the checkout at <paramref name="root"/> holds: those its release.json names, or without one every exercise whose notebook is there.</summary>
    /// <exception cref="UsageException">The file is not a release manifest, or names an exercise this course does not have; the message names the file.</exception>
    public static IReadOnlyList<Exercise> Read(string root, CourseLayout layout)
    {
        var path = Path.Combine(root, RelativePath);
        if (!File.Exists(path))
            return [.. layout.Exercises.Where(e => File.Exists(Path.Combine(root, e.Notebook)))];
        IReadOnlyList<Exercise> Broken(string why) => throw new UsageException(
            $"{RelativePath} 已损坏（{why}）：请从发放的作业中恢复这个文件 ({RelativePath} is broken: {why}; restore it from the handout).");
        try
        {
            if (JsonNode.Parse(File.ReadAllText(path)) is not JsonObject { } json || json["exercises"] is not JsonArray ids)
                return Broken("expected {\"format\": 1, \"exercises\": [...]}");
            var names = ids.Select(i => i is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).ToList();
            if (names.Any(n => n is null) || names.Count == 0)
                return Broken("\"exercises\" must list exercise names");
            var unknown = names.Where(n => layout.Exercises.All(e => e.Id != n)).ToList();
            return unknown.Count > 0
                ? Broken($"unknown exercise {string.Join(", ", unknown)}")
                : [.. layout.Exercises.Where(e => names.Contains(e.Id))];
        }
        catch (JsonException e)
        {
            return Broken("not JSON: " + e.Message);
        }
    }
}
