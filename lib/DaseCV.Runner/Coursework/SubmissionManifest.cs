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

/// <summary><c>submission.json</c> read back (<see cref="SubmissionManifest.Read"/>).</summary>
/// <param name="Format">1 (name, ID, code hash) or 2 (also what is missing and what ran).</param>
/// <param name="StudentName">The typed name, as the notebook's parameters gave it.</param>
/// <param name="StudentId">The typed ID.</param>
/// <param name="ProducedBy"><c>submit</c> or <c>executed</c>.</param>
/// <param name="State">What is missing and what ran; null in a format 1 manifest, which did not record it.</param>
internal sealed record SubmittedManifest(int Format, string StudentName, string StudentId, string ProducedBy, SubmissionState? State);

/// <summary>
/// <c>submission.json</c> in <c>submit</c>'s zip: who handed it in, the hash of the code that produced the
/// notebook's outputs, so <c>grade</c> can tell whether the zip's code is still that code, and (format 2) what the
/// work leaves unfinished and what the notebook ran with.
/// </summary>
/// <remarks>
/// The code hash is SHA-256 (lowercase hex) over, in order: every marked region of the submitted C# files (files in
/// ordinal order, regions in file order) as <c>region FILE FUNCTION BYTES\n CODE\n</c>, then every code cell of the
/// submitted notebook except the <c>injected-parameters</c> cell, as <c>cell BYTES\n SOURCE\n</c>; BYTES is the
/// UTF-8 length of CODE or SOURCE, line ends are \n. <c>submit</c> computes it from the files before it runs the
/// notebook and refuses when they changed by the time it writes the zip (for <c>--executed</c>: when a marked file
/// is newer than the executed notebook), so the hash names the code the outputs came from.
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
    public const int Format = 2;

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
    /// Whether a submission's code is still the code its outputs came from: its <c>submission.json</c>'s
    /// <c>codeSha256</c> against <see cref="CodeHash"/> of the submission's own files. One line for the grading
    /// summary, Chinese first.
    /// </summary>
    /// <param name="find">A submission's file by its repository path, or null when absent.</param>
    /// <param name="markedFiles">The course's files with marked regions (<see cref="CourseLayout.MarkedFiles"/>).</param>
    /// <param name="notebookPath">The course notebook's repository path.</param>
    public static string Verify(Func<string, string?> find, IEnumerable<string> markedFiles, string notebookPath)
    {
        const string label = "code hash: ";
        if (find(EntryName) is not { } manifestPath)
            return label + $"没有 {EntryName}，这份提交不是 submit 写出的 (no {EntryName}: not made by submit; outputs not tied to the code)";
        try
        {
            var recorded = JsonNode.Parse(File.ReadAllText(manifestPath))?["codeSha256"]?.GetValue<string>();
            if (find(notebookPath) is not { } notebook || recorded is null)
                return label + $"无法核对 (cannot check: {(recorded is null ? "no codeSha256 in " + EntryName : "no notebook")})";
            return CodeHash(CourseLayout.ReadRegions(markedFiles, find), IpynbNotebook.Load(notebook)) == recorded
                ? label + "输出来自这份代码 (the outputs came from this code: codeSha256 matches)"
                : label + "代码或 notebook 在运行之后被改过，输出不是这份代码产生的 (the code or notebook changed after the run: codeSha256 differs)";
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException or InvalidOperationException)
        {
            return label + $"无法核对 (cannot check: {e.Message})";
        }
    }

    /// <summary>The manifest's JSON.</summary>
    /// <param name="producedBy"><c>"submit"</c> (the notebook ran inside submit) or <c>"executed"</c> (<c>--executed</c>).</param>
    /// <param name="state">What is missing and what ran; null writes none of format 2's fields.</param>
    public static string ToJson(string codeHash, string studentName, string studentId, string notebook, IEnumerable<string> files, string producedBy,
        SubmissionState? state = null)
    {
        var json = new JsonObject
        {
            ["format"] = Format,
            ["studentName"] = studentName,
            ["studentId"] = studentId,
            ["notebook"] = notebook,
            ["files"] = new JsonArray([.. files.Order(StringComparer.Ordinal).Select(f => (JsonNode)f)]),
            ["codeSha256"] = codeHash,
            ["producedBy"] = producedBy,
        };
        if (state is not null)
        {
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
        }

        return json.ToJsonString(JsonFiles.Options) + "\n";
    }

    /// <summary>A manifest's JSON read back, format 1 or 2 (format 1's <see cref="SubmittedManifest.State"/> is null).</summary>
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

        T Field<T>(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<T>(out var value) ? value
            : throw new InvalidDataException($"{EntryName}: \"{name}\" is missing or not a {typeof(T).Name}.");
        string? Text(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var value) ? value : null;

        var format = Field<int>(root, "format");
        SubmissionState? state = null;
        if (root["missing"] is JsonArray missing)
        {
            var stop = root["stoppedAt"] is JsonObject s
                ? new RunStop(Field<string>(s, "cell"), Text(s, "cellId"), Field<string>(s, "part"), Field<int>(s, "cellsNotRun"))
                : null;
            var parameters = (root["parameters"] as JsonObject ?? []).Where(p => p.Value is JsonValue)
                .ToDictionary(p => p.Key, p => p.Value!.ToString());
            var differences = (root["settingsDiffer"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(d => new RunSettings.Difference(Field<string>(d, "name"), Text(d, "value"), Field<string>(d, "assignment")))
                .ToList();
            state = new SubmissionState([.. missing.Select(m => m?.ToString() ?? "")], stop, new RunSettings(Text(root, "dataset"), parameters, differences));
        }

        return new SubmittedManifest(format, Field<string>(root, "studentName"), Field<string>(root, "studentId"), Field<string>(root, "producedBy"), state);
    }
}
