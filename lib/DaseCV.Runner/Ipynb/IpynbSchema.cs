using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DaseCV.Runner.Ipynb;

/// <summary>
/// Checks the JSON types of every notebook field the runner and the HTML export read (nbformat 4's schema for
/// those fields), so that a hand-edited or generated notebook gets a message naming the file, the cell and the
/// JSON path, never a crash deep in the export. Fields nobody reads are left alone.
/// </summary>
internal static class IpynbSchema
{
    private static readonly string[] CellTypes = ["code", "markdown", "raw"];
    private static readonly string[] OutputTypes = ["stream", "display_data", "execute_result", "error", "update_display_data"];

    /// <exception cref="InvalidDataException">A field has the wrong type; the message names the file and the JSON path.</exception>
    public static void Check(JsonObject root, string file)
    {
        try
        {
            CheckRoot(root, file);
        }
        catch (ArgumentException e) when (e.ParamName == "key")
        {
            // JsonObject builds its dictionary lazily and throws on the first access to an object with a repeated key.
            throw new InvalidDataException($"{file} repeats a key in one JSON object ({e.Message.Split(" (")[0]}); a notebook's keys are unique.", e);
        }
    }

    private static void CheckRoot(JsonObject root, string file)
    {
        var at = new Checker(file);
        // Read through its JSON text: a value built in memory (JsonValue.Create(4)) converts only to its own type.
        if (root["nbformat"] is not JsonValue nbformat || nbformat.GetValueKind() != JsonValueKind.Number
            || !double.TryParse(nbformat.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var major))
            throw at.Error("$.nbformat", root["nbformat"], "the number 4");
        if (major != 4)
            throw new InvalidDataException($"{file} has nbformat {major.ToString(CultureInfo.InvariantCulture)}; the runner reads nbformat 4 notebooks.");
        at.Integer(root, "nbformat_minor", "$");

        if (at.Object(root, "metadata", "$") is { } metadata)
        {
            if (at.Object(metadata, "kernelspec", "$.metadata") is { } kernelspec)
                at.Strings(kernelspec, "$.metadata.kernelspec", "name", "display_name", "language");
            if (at.Object(metadata, "language_info", "$.metadata") is { } languageInfo)
                at.Strings(languageInfo, "$.metadata.language_info", "name");
            if (at.Object(metadata, "polyglot_notebook", "$.metadata") is { } polyglot &&
                at.Object(polyglot, "kernelInfo", "$.metadata.polyglot_notebook") is { } kernelInfo)
                at.Strings(kernelInfo, "$.metadata.polyglot_notebook.kernelInfo", "defaultKernelName");
            if (at.Object(metadata, "dasecv_runner", "$.metadata") is { } run)
            {
                at.Strings(run, "$.metadata.dasecv_runner", "run_date", "dotnet_version", "kernel", "status");
                at.Number(run, "run_seconds", "$.metadata.dasecv_runner");
                at.Object(run, "parameters", "$.metadata.dasecv_runner");
            }
        }

        if (root["cells"] is not JsonArray cells)
            throw at.Error("$.cells", root["cells"], "an array of cells");
        for (var i = 0; i < cells.Count; i++)
            CheckCell(cells[i], i, at);
    }

    private static void CheckCell(JsonNode? node, int index, Checker at)
    {
        var path = $"$.cells[{index}]";
        if (node is not JsonObject cell)
            throw at.Error(path, node, "a cell object");
        var cellType = cell["cell_type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null;
        if (cellType is null || !CellTypes.Contains(cellType))
            throw at.Error($"{path}.cell_type", cell["cell_type"], "\"code\", \"markdown\" or \"raw\"");
        at.String(cell, "id", path);
        at.MultilineText(cell, "source", path);
        if (at.Object(cell, "metadata", path) is { } metadata)
        {
            at.StringArray(metadata, "tags", $"{path}.metadata");
            if (at.Object(metadata, "polyglot_notebook", $"{path}.metadata") is { } polyglot)
            {
                at.Strings(polyglot, $"{path}.metadata.polyglot_notebook", "kernelName");
                at.StringArray(polyglot, "tags", $"{path}.metadata.polyglot_notebook");
            }

            if (at.Object(metadata, "dotnet_interactive", $"{path}.metadata") is { } dotnet)
            {
                at.Strings(dotnet, $"{path}.metadata.dotnet_interactive", "language");
                at.StringArray(dotnet, "tags", $"{path}.metadata.dotnet_interactive");
            }
        }

        if (at.Object(cell, "attachments", path) is { } attachments)
            foreach (var (name, bundle) in attachments)
                CheckBundle(bundle, $"{path}.attachments{Key(name)}", at);

        if (cellType != "code")
            return;
        at.Integer(cell, "execution_count", path);
        if (cell["outputs"] is null)
            return;
        if (cell["outputs"] is not JsonArray outputs)
            throw at.Error($"{path}.outputs", cell["outputs"], "an array of outputs");
        for (var j = 0; j < outputs.Count; j++)
            CheckOutput(outputs[j], $"{path}.outputs[{j}]", at);
    }

    private static void CheckOutput(JsonNode? node, string path, Checker at)
    {
        if (node is not JsonObject output)
            throw at.Error(path, node, "an output object");
        var type = output["output_type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null;
        if (type is null || !OutputTypes.Contains(type))
            throw at.Error($"{path}.output_type", output["output_type"], "one of " + string.Join(", ", OutputTypes));
        switch (type)
        {
            case "stream":
                at.Strings(output, path, "name");
                at.MultilineText(output, "text", path);
                break;
            case "error":
                at.Strings(output, path, "ename", "evalue");
                at.StringArray(output, "traceback", path);
                break;
            default:
                at.Integer(output, "execution_count", path);
                at.Object(output, "metadata", path);
                if (output["data"] is { } data)
                    CheckBundle(data, $"{path}.data", at);
                break;
        }
    }

    /// <summary>A MIME bundle: JSON types hold any JSON, every other type text (a string or a list of lines).</summary>
    private static void CheckBundle(JsonNode? node, string path, Checker at)
    {
        if (node is not JsonObject bundle)
            throw at.Error(path, node, "an object of MIME type → content");
        foreach (var (mime, _) in bundle)
            if (!(mime == "application/json" || mime.EndsWith("+json", StringComparison.Ordinal)))
                at.MultilineText(bundle, mime, path);
    }

    private static string Key(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? "." + name : $"[{JsonSerializer.Serialize(name)}]";

    private static string Describe(JsonNode? node) => node switch
    {
        null => "missing (or null)",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => $"the string {Truncate(node.ToJsonString())}",
            JsonValueKind.Number => $"the number {Truncate(node.ToJsonString())}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {node.ToJsonString()}",
            _ => node.ToJsonString(),
        },
        _ => node.ToJsonString(),
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..39] + "…";

    /// <summary>Type checks of optional fields: a missing field (or JSON null where nbformat allows it) passes.</summary>
    private sealed class Checker(string file)
    {
        public string File { get; } = file;

        public InvalidDataException Error(string path, JsonNode? found, string expected) =>
            new($"{File}: {path} is {Describe(found)}; expected {expected}.{CellHint(path)}");

        public JsonObject? Object(JsonObject parent, string key, string path) => parent[key] switch
        {
            null => null,
            JsonObject o => o,
            var other => throw Error($"{path}{Key(key)}", other, "an object"),
        };

        public string? String(JsonObject parent, string key, string path) => parent[key] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            var other => throw Error($"{path}{Key(key)}", other, "a string"),
        };

        public void Strings(JsonObject parent, string path, params string[] keys)
        {
            foreach (var key in keys)
                String(parent, key, path);
        }

        public void Integer(JsonObject parent, string key, string path)
        {
            if (parent[key] is { } node && !(node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out _)))
                throw Error($"{path}{Key(key)}", node, "a whole number");
        }

        public void Number(JsonObject parent, string key, string path)
        {
            if (parent[key] is { } node && !(node is JsonValue v && v.GetValueKind() == JsonValueKind.Number))
                throw Error($"{path}{Key(key)}", node, "a number");
        }

        public void StringArray(JsonObject parent, string key, string path)
        {
            if (parent[key] is null)
                return;
            if (parent[key] is not JsonArray array)
                throw Error($"{path}{Key(key)}", parent[key], "an array of strings");
            for (var i = 0; i < array.Count; i++)
                if (!(array[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String))
                    throw Error($"{path}{Key(key)}[{i}]", array[i], "a string");
        }

        /// <summary>nbformat's multiline string: a string, or an array of strings (lines).</summary>
        public void MultilineText(JsonObject parent, string key, string path)
        {
            if (parent[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                return;
            if (parent[key] is JsonArray)
                StringArray(parent, key, path);
            else if (parent[key] is { } other)
                throw Error($"{path}{Key(key)}", other, "a string or an array of strings (lines)");
        }

        /// <summary>" (cell 3)" for a path inside $.cells[2]: people count cells from 1.</summary>
        private static string CellHint(string path)
        {
            if (!path.StartsWith("$.cells[", StringComparison.Ordinal))
                return "";
            var end = path.IndexOf(']', StringComparison.Ordinal);
            return int.TryParse(path["$.cells[".Length..end], CultureInfo.InvariantCulture, out var index)
                ? $" (That is cell {index + 1} of the notebook.)"
                : "";
        }
    }
}
