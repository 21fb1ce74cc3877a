using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Coursework;

/// <summary>
/// <c>submission.json</c> in <c>submit</c>'s zip: who handed it in, and the hash of the code that produced the
/// notebook's outputs, so <c>grade</c> can tell whether the zip's code is still that code.
/// </summary>
/// <remarks>
/// The code hash is SHA-256 (lowercase hex) over, in order: every marked region of the submitted C# files (files in
/// ordinal order, regions in file order) as <c>region FILE FUNCTION BYTES\n CODE\n</c>, then every code cell of the
/// submitted notebook except the <c>injected-parameters</c> cell, as <c>cell BYTES\n SOURCE\n</c>; BYTES is the
/// UTF-8 length of CODE or SOURCE, line ends are \n. <c>submit</c> computes it from the files before it runs the
/// notebook and refuses when they changed by the time it writes the zip (for <c>--executed</c>: when a marked file
/// is newer than the executed notebook), so the hash names the code the outputs came from.
/// </remarks>
internal static class SubmissionManifest
{
    /// <summary>The entry's name in the zip.</summary>
    public const string EntryName = "submission.json";

    /// <summary>Version of the format described above.</summary>
    public const int Format = 1;

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
    public static string ToJson(string codeHash, string studentName, string studentId, string notebook, IEnumerable<string> files, string producedBy) =>
        new JsonObject
        {
            ["format"] = Format,
            ["studentName"] = studentName,
            ["studentId"] = studentId,
            ["notebook"] = notebook,
            ["files"] = new JsonArray([.. files.Order(StringComparer.Ordinal).Select(f => (JsonNode)f)]),
            ["codeSha256"] = codeHash,
            ["producedBy"] = producedBy,
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
}
