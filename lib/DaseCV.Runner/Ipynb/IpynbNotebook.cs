using System.Text.Json;
using System.Text.Json.Nodes;
using DaseCV.Runner.IO;

namespace DaseCV.Runner.Ipynb;

/// <summary>
/// A Jupyter notebook (.ipynb) kept as its JSON tree, so that every field the runner does not understand
/// (notebook and cell metadata, attachments, VS Code's polyglot_notebook blocks) survives a round trip.
/// </summary>
internal sealed class IpynbNotebook
{
    /// <summary>The metadata key of the runner's run record (date, versions, time, status, parameters).</summary>
    public const string RunMetadataKey = "dasecv_runner";

    /// <summary>How deeply a notebook's JSON may nest (<see cref="JsonFiles.MaxDepth"/>).</summary>
    public const int MaxDepth = JsonFiles.MaxDepth;

    private IpynbNotebook(JsonObject root, string name)
    {
        Root = root;
        Name = name;
    }

    /// <summary>The whole document.</summary>
    public JsonObject Root { get; }

    /// <summary>File name without extension, e.g. <c>softmax</c>.</summary>
    public string Name { get; }

    /// <summary>Notebook-level metadata (created if missing).</summary>
    public JsonObject Metadata => GetOrAddObject(Root, "metadata");

    /// <summary>The cells in document order.</summary>
    public IReadOnlyList<IpynbCell> Cells =>
        (Root["cells"] as JsonArray ?? []).Select(c => new IpynbCell((JsonObject)c!)).ToList();

    /// <summary>Reads and checks an .ipynb file.</summary>
    /// <exception cref="InvalidDataException">The file cannot be read or is not an nbformat 4 notebook (see
    /// <see cref="IpynbSchema"/>); the message names the file and, for a wrong type, the JSON path.</exception>
    public static IpynbNotebook Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"cannot read the notebook {path}: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses and checks notebook text; <paramref name="path"/> names it in errors and gives its <see cref="Name"/>.</summary>
    public static IpynbNotebook Parse(string text, string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: JsonFiles.DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }

        return FromJson(node, path);
    }

    /// <summary>Wraps a parsed notebook; <paramref name="path"/> names it in errors and gives its <see cref="Name"/>.</summary>
    public static IpynbNotebook FromJson(JsonNode? node, string path)
    {
        if (node is not JsonObject root)
            throw new InvalidDataException($"{path} does not hold a JSON object; a notebook is {{\"cells\": [...], \"nbformat\": 4, ...}}.");
        IpynbSchema.Check(root, path);
        return new IpynbNotebook(root, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>
    /// Brings the document to nbformat 4.5: every cell gets a unique id (existing ids are kept),
    /// code cells get <c>outputs</c> and <c>execution_count</c>.
    /// </summary>
    public void NormalizeToNbformat45()
    {
        Root["nbformat"] = 4;
        var minor = Root["nbformat_minor"]?.GetValue<int>() ?? 0;
        if (minor < 5)
            Root["nbformat_minor"] = 5;

        var seen = new HashSet<string>();
        foreach (var cell in Cells)
        {
            if (cell.Id is not { } id || !IpynbCell.IsValidId(id) || !seen.Add(id))
            {
                id = IpynbCell.NewId();
                while (!seen.Add(id))
                    id = IpynbCell.NewId();
                cell.Json["id"] = id;
            }

            GetOrAddObject(cell.Json, "metadata");
            if (cell.Type == "code")
            {
                cell.Json["outputs"] ??= new JsonArray();
                if (!cell.Json.ContainsKey("execution_count"))
                    cell.Json["execution_count"] = null;
            }
        }
    }

    /// <summary>Inserts <paramref name="cell"/> after the cell at <paramref name="index"/>.</summary>
    public void InsertCellAfter(int index, IpynbCell cell) => ((JsonArray)Root["cells"]!).Insert(index + 1, cell.Json);

    /// <summary>The document as .ipynb text (one-space indent, as Jupyter writes).</summary>
    public string ToJson() => Root.ToJsonString(JsonFiles.Notebook) + "\n";

    /// <summary>Writes the document via a temporary file, so an interrupted write never leaves a truncated notebook.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>Joins nbformat's multiline string (a string or an array of lines).</summary>
    public static string JoinText(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    /// <summary>Splits text into nbformat's list of lines, each keeping its newline.</summary>
    public static JsonArray SplitLines(string text)
    {
        var lines = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n')
                continue;
            lines.Add(text[start..(i + 1)]);
            start = i + 1;
        }

        if (start < text.Length)
            lines.Add(text[start..]);
        return lines;
    }

    internal static JsonObject GetOrAddObject(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing)
            return existing;
        var created = new JsonObject();
        parent[key] = created;
        return created;
    }
}
