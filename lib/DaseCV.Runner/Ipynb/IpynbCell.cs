using System.Text.Json.Nodes;

namespace DaseCV.Runner.Ipynb;

/// <summary>One cell of an <see cref="IpynbNotebook"/>, a view over its JSON object.</summary>
internal sealed class IpynbCell(JsonObject json)
{
    /// <summary>The cell's JSON object (edits go straight into the document).</summary>
    public JsonObject Json { get; } = json;

    /// <summary><c>code</c>, <c>markdown</c> or <c>raw</c>.</summary>
    public string Type => Json["cell_type"]!.GetValue<string>();

    /// <summary>nbformat 4.5 cell id, if any.</summary>
    public string? Id => Json["id"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>The cell's source text.</summary>
    public string Source => IpynbNotebook.JoinText(Json["source"]);

    /// <summary>The cell's metadata (created if missing).</summary>
    public JsonObject Metadata => IpynbNotebook.GetOrAddObject(Json, "metadata");

    /// <summary>The outputs of a code cell (created if missing).</summary>
    public JsonArray Outputs
    {
        get
        {
            if (Json["outputs"] is JsonArray outputs)
                return outputs;
            var created = new JsonArray();
            Json["outputs"] = created;
            return created;
        }
    }

    /// <summary>
    /// Tags from <c>metadata.tags</c> (Jupyter, papermill) and from <c>metadata.polyglot_notebook.tags</c> /
    /// <c>metadata.dotnet_interactive.tags</c> (where Polyglot Notebooks tooling may keep them).
    /// </summary>
    public IReadOnlyList<string> Tags
    {
        get
        {
            var meta = Json["metadata"] as JsonObject;
            IEnumerable<JsonNode?> all = [
                .. meta?["tags"] as JsonArray ?? [],
                .. meta?["polyglot_notebook"]?["tags"] as JsonArray ?? [],
                .. meta?["dotnet_interactive"]?["tags"] as JsonArray ?? []];
            return all.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>().Distinct().ToList();
        }
    }

    /// <summary>
    /// The kernel a code cell targets: VS Code's <c>polyglot_notebook.kernelName</c>, the older
    /// <c>dotnet_interactive.language</c>, else <paramref name="defaultKernel"/>.
    /// </summary>
    public string KernelName(string defaultKernel)
    {
        var meta = Json["metadata"] as JsonObject;
        var name = meta?["polyglot_notebook"]?["kernelName"] ?? meta?["dotnet_interactive"]?["language"];
        return name is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : defaultKernel;
    }

    /// <summary>A new code cell targeting the C# kernel, written as VS Code Polyglot writes one.</summary>
    public static IpynbCell NewCode(string source, params string[] tags)
    {
        var metadata = new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
        };
        if (tags.Length > 0)
            metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode)t).ToArray());
        return new IpynbCell(new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["id"] = NewId(),
            ["metadata"] = metadata,
            ["outputs"] = new JsonArray(),
            ["source"] = IpynbNotebook.SplitLines(source),
        });
    }

    /// <summary>nbformat 4.5: 1–64 characters from [a-zA-Z0-9-_].</summary>
    public static bool IsValidId(string id) =>
        id.Length is >= 1 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string NewId() => Guid.NewGuid().ToString("N")[..12];
}
