using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DaseCV.Runner.IO;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Coursework;

/// <summary>What <c>submit</c> records about the work and the run, besides who and which code.</summary>
/// <param name="Missing">The unfinished parts' names (<see cref="UnfinishedPart.Name"/>), e.g. <c>SoftmaxLoss.Vectorized</c>, <c>tuning</c>, <c>问题 2</c>.</param>
/// <param name="StoppedAt">Where the run stopped at a stub; null when every cell ran.</param>
/// <param name="Settings">The data set and parameters the notebook ran with.</param>
internal sealed record SubmissionState(IReadOnlyList<string> Missing, RunStop? StoppedAt, RunSettings Settings);

/// <summary>One released exercise in <c>submission.json</c>: handed in (its notebook is in the zip) or missing, and why.</summary>
/// <param name="Id">The exercise (<see cref="Exercise.Id"/>).</param>
/// <param name="Notebook">Its notebook's repository path.</param>
/// <param name="CodeHash">The code hash of its regions and notebook (see <see cref="SubmissionManifest"/>); null when it is not handed in.</param>
/// <param name="State">What of it is missing and what ran; null when it is not handed in, or in a format 1 manifest.</param>
/// <param name="NotHandedIn">Why the exercise is missing as a whole (not run, the run failed), bilingual; null when handed in.</param>
internal sealed record ExerciseEntry(string Id, string Notebook, string? CodeHash, SubmissionState? State, string? NotHandedIn = null)
{
    /// <summary>Its notebook is in the zip.</summary>
    public bool IsHandedIn => NotHandedIn is null;

    /// <summary>What the flat <c>missing</c> list says of it: the whole exercise, or each part as <c>exercise: part</c>.</summary>
    public IEnumerable<string> MissingNames => !IsHandedIn ? [Id] : (State?.Missing ?? []).Select(m => $"{Id}: {m}");
}

/// <summary><c>submission.json</c> read back (<see cref="SubmissionManifest.Read"/>).</summary>
/// <param name="Format">1 (name, ID, code hash), 2 (also what is missing and what ran) or 3 (all of it per exercise).</param>
/// <param name="StudentName">The typed name, as the notebook's parameters gave it.</param>
/// <param name="StudentId">The typed ID.</param>
/// <param name="ProducedBy"><c>submit</c> or <c>executed</c>.</param>
/// <param name="Exercises">The released exercises; formats 1 and 2 held the softmax exercise alone.</param>
internal sealed record SubmittedManifest(int Format, string StudentName, string StudentId, string ProducedBy, IReadOnlyList<ExerciseEntry> Exercises);

/// <summary>
/// <c>submission.json</c> in <c>submit</c>'s zip: who handed it in and, for each released exercise, whether it is
/// handed in, the hash of the code that produced its notebook's outputs, so <c>grade</c> can tell whether the zip's
/// code is still that code, what the work leaves unfinished and what the notebook ran with.
/// </summary>
/// <remarks>
/// An exercise's code hash is SHA-256 (lowercase hex) over, in order: every marked region it owns (files in
/// ordinal order, regions in file order) as <c>region FILE FUNCTION BYTES\n CODE\n</c>, then every code cell of the
/// exercise's notebook except the <c>injected-parameters</c> cell, as <c>cell BYTES\n SOURCE\n</c>; BYTES is the
/// UTF-8 length of CODE or SOURCE, line ends are \n. <c>submit</c> computes it from the files before it runs the
/// notebook and refuses when they changed by the time it writes the zip (for <c>--executed</c>: when a marked file
/// is newer than the executed notebook), so the hash names the code the outputs came from.
/// <para>Format 3 (written now): <c>format</c>, <c>studentName</c>, <c>studentId</c>, <c>files</c>, <c>producedBy</c>,
/// <c>missing</c> (flat: a whole exercise as <c>knn</c>, a part as <c>svm: tuning</c>) and <c>exercises</c>, one object
/// per released exercise: <c>id</c>, <c>notebook</c>, <c>handedIn</c>, then either <c>reason</c> (why it is missing)
/// or <c>codeSha256</c> and format 2's fields below. Formats 1 and 2 (read still) held the softmax exercise alone
/// at the top level, the hash over every marked region.</para>
/// <para>Format 2 adds <c>missing</c> (names, possibly empty), <c>stoppedAt</c> (null, or <c>cell</c>, <c>cellId</c>,
/// <c>part</c>, <c>cellsNotRun</c>), <c>dataset</c>, <c>parameters</c> (name → value as written),
/// <c>assignmentSettings</c> (true when the run used every one of the assignment's settings) and
/// <c>settingsDiffer</c> (<c>name</c>, <c>value</c>, <c>assignment</c> of each that differs).</para>
/// </remarks>
internal static class SubmissionManifest
{
    /// <summary>The entry's name in the zip.</summary>
    public const string EntryName = "submission.json";

    /// <summary>Version of the format described above.</summary>
    public const int Format = 3;

    /// <summary>The code hash of <paramref name="regions"/> and <paramref name="notebook"/>'s code cells.</summary>
    public static string CodeHash(IEnumerable<(string RelativePath, MarkedRegion Region)> regions, IpynbNotebook notebook)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Part(string header, string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n"));
            hash.AppendData(Encoding.UTF8.GetBytes($"{header} {bytes.Length}\n"));
            hash.AppendData(bytes);
            hash.AppendData("\n"u8);
        }

        foreach (var (file, region) in regions.OrderBy(r => r.RelativePath, StringComparer.Ordinal).ThenBy(r => r.Region.StartLine))
            Part($"region {file} {region.Function}", region.Code);
        foreach (var cell in notebook.Cells.Where(c => c.Type == "code" && !NotebookParameters.IsInjected(c)))
            Part("cell", cell.Source);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// Whether one exercise's code in a submission is still the code its outputs came from: the manifest's
    /// <c>codeSha256</c> for it against <see cref="CodeHash"/> of the submission's own files. One line for the grading
    /// summary, Chinese first.
    /// </summary>
    /// <param name="find">A submission's file by its repository path, or null when absent.</param>
    /// <param name="markedFiles">The course's files with marked regions (<see cref="CourseLayout.MarkedFiles"/>).</param>
    /// <param name="exercise">The exercise.</param>
    public static string Verify(Func<string, string?> find, IEnumerable<string> markedFiles, Exercise exercise)
    {
        var label = $"code hash ({exercise.Id}): ";
        if (find(EntryName) is not { } manifestPath)
            return label + $"没有 {EntryName}，这份提交不是 submit 写出的 (no {EntryName}: not made by submit; outputs not tied to the code)";
        try
        {
            var manifest = Read(File.ReadAllText(manifestPath));
            var recorded = manifest.Exercises.FirstOrDefault(e => e.Id == exercise.Id)?.CodeHash;
            if (find(exercise.Notebook) is not { } notebook || recorded is null)
                return label + $"无法核对 (cannot check: {(recorded is null ? $"no codeSha256 for {exercise.Id} in " + EntryName : "no notebook")})";
            // Formats 1 and 2 hashed every marked region.
            var regions = CourseLayout.ReadRegions(markedFiles, find).Where(r => manifest.Format < 3 || exercise.Owns(r.Region.Function));
            return CodeHash(regions, IpynbNotebook.Load(notebook)) == recorded
                ? label + "输出来自这份代码 (the outputs came from this code: codeSha256 matches)"
                : label + "代码或 notebook 在运行之后被改过，输出不是这份代码产生的 (the code or notebook changed after the run: codeSha256 differs)";
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException or InvalidOperationException)
        {
            return label + $"无法核对 (cannot check: {e.Message})";
        }
    }

    /// <summary>The manifest's JSON (format 3).</summary>
    /// <param name="producedBy"><c>"submit"</c> (the notebooks ran inside submit) or <c>"executed"</c> (<c>--executed</c>).</param>
    /// <param name="exercises">Every released exercise, handed in or not.</param>
    public static string ToJson(string studentName, string studentId, IEnumerable<string> files, string producedBy, IReadOnlyList<ExerciseEntry> exercises)
    {
        var json = new JsonObject
        {
            ["format"] = Format,
            ["studentName"] = studentName,
            ["studentId"] = studentId,
            ["files"] = new JsonArray([.. files.Order(StringComparer.Ordinal).Select(f => (JsonNode)f)]),
            ["producedBy"] = producedBy,
            ["missing"] = new JsonArray([.. exercises.SelectMany(e => e.MissingNames).Select(m => (JsonNode)m)]),
            ["exercises"] = new JsonArray([.. exercises.Select(e => (JsonNode)ExerciseJson(e))]),
        };
        return json.ToJsonString(JsonFiles.Options) + "\n";
    }

    private static JsonObject ExerciseJson(ExerciseEntry entry)
    {
        var json = new JsonObject { ["id"] = entry.Id, ["notebook"] = entry.Notebook, ["handedIn"] = entry.IsHandedIn };
        if (!entry.IsHandedIn)
        {
            json["reason"] = entry.NotHandedIn;
            return json;
        }

        json["codeSha256"] = entry.CodeHash;
        if (entry.State is not { } state)
            return json;
        json["missing"] = new JsonArray([.. state.Missing.Select(m => (JsonNode)m)]);
        json["stoppedAt"] = state.StoppedAt is not { } stop ? null : new JsonObject
        {
            ["cell"] = stop.Cell, ["cellId"] = stop.CellId, ["part"] = stop.Part, ["cellsNotRun"] = stop.CellsNotRun,
        };
        json["dataset"] = state.Settings.Dataset;
        json["parameters"] = new JsonObject(state.Settings.Parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        json["assignmentSettings"] = state.Settings.AreTheAssignments;
        json["settingsDiffer"] = new JsonArray([.. state.Settings.Differences.Select(d => (JsonNode)new JsonObject
        {
            ["name"] = d.Name, ["value"] = d.Value, ["assignment"] = d.Assignment,
        })]);
        return json;
    }

    /// <summary>A manifest's JSON read back, format 1, 2 or 3 (formats 1 and 2 as one softmax exercise).</summary>
    /// <exception cref="InvalidDataException">Not a manifest: not a JSON object, or a field missing or of the wrong kind (named).</exception>
    public static SubmittedManifest Read(string json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"{EntryName} is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{EntryName} is not valid JSON: {e.Message}", e);
        }

        var format = Field<int>(root, "format");
        IReadOnlyList<ExerciseEntry> exercises = format >= 3
            ? [.. (root["exercises"] as JsonArray ?? throw new InvalidDataException($"{EntryName}: \"exercises\" is missing or not a list.")).Select(ReadExercise)]
            : [new ExerciseEntry("softmax", Text(root, "notebook") ?? "notebooks/softmax.ipynb", Text(root, "codeSha256"), ReadState(root))];
        return new SubmittedManifest(format, Field<string>(root, "studentName"), Field<string>(root, "studentId"), Field<string>(root, "producedBy"), exercises);
    }

    private static ExerciseEntry ReadExercise(JsonNode? node)
    {
        var entry = node as JsonObject ?? throw new InvalidDataException($"{EntryName}: an entry of \"exercises\" is not an object.");
        var handedIn = Field<bool>(entry, "handedIn");
        return new ExerciseEntry(Field<string>(entry, "id"), Field<string>(entry, "notebook"), handedIn ? Field<string>(entry, "codeSha256") : null,
            handedIn ? ReadState(entry) : null, handedIn ? null : Text(entry, "reason") ?? "not handed in");
    }

    /// <summary>Format 2's fields of <paramref name="o"/>, or null when it has none.</summary>
    private static SubmissionState? ReadState(JsonObject o)
    {
        if (o["missing"] is not JsonArray missing)
            return null;
        var stop = o["stoppedAt"] is JsonObject s
            ? new RunStop(Field<string>(s, "cell"), Text(s, "cellId"), Field<string>(s, "part"), Field<int>(s, "cellsNotRun"))
            : null;
        var parameters = (o["parameters"] as JsonObject ?? []).Where(p => p.Value is JsonValue)
            .ToDictionary(p => p.Key, p => p.Value!.ToString());
        var differences = (o["settingsDiffer"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(d => new RunSettings.Difference(Field<string>(d, "name"), Text(d, "value"), Field<string>(d, "assignment")))
            .ToList();
        return new SubmissionState([.. missing.Select(m => m?.ToString() ?? "")], stop, new RunSettings(Text(o, "dataset"), parameters, differences));
    }

    private static T Field<T>(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<T>(out var value) ? value
        : throw new InvalidDataException($"{EntryName}: \"{name}\" is missing or not a {typeof(T).Name}.");

    private static string? Text(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var value) ? value : null;
}
