using System.Text.Json.Nodes;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Html;

/// <summary>
/// The outputs step: a cell's outputs as the runner writes them, whichever client executed the notebook. Jupyter
/// (JupyterLab, VS Code's Jupyter extension) saves each chunk of printed text as its own stream output and keeps
/// the .NET kernel's own bootstrapping scripts (one probes the kernel's HTTP addresses, i.e. the student's machine);
/// here consecutive streams of the same name become one and the kernel's script outputs are dropped.
/// </summary>
internal static class JupyterOutputs
{
    // Names only the .NET kernel's front-end scripts use (its HTTP API discovery and require.js set-up).
    private static readonly string[] KernelScriptMarkers = ["probingAddresses", "loadDotnetInteractiveApi", "dotnetInteractiveRequire", "configureRequire("];

    /// <summary>The outputs to show, in order.</summary>
    public static IReadOnlyList<JsonObject> Normalize(IEnumerable<JsonNode?> outputs)
    {
        var result = new List<JsonObject>();
        foreach (var output in outputs.OfType<JsonObject>())
        {
            if (IsKernelScript(output))
                continue;
            if (result.Count > 0 && StreamName(output) is { } name && StreamName(result[^1]) == name
                && TryText(result[^1], out var before) && TryText(output, out var after))
            {
                result[^1] = new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = before + after };
                continue;
            }

            result.Add(output);
        }

        return result;
    }

    /// <summary>True for a display of the kernel's own script (not of anything the notebook computed).</summary>
    public static bool IsKernelScript(JsonObject output) =>
        output["data"] is JsonObject data && data["text/html"] is { } html && TryJoin(html) is { } text
        && text.Contains("<script", StringComparison.OrdinalIgnoreCase)
        && KernelScriptMarkers.Any(m => text.Contains(m, StringComparison.Ordinal));

    private static string? StreamName(JsonObject output) =>
        output["output_type"] is JsonValue t && t.TryGetValue<string>(out var type) && type == "stream"
        && output["name"] is JsonValue n && n.TryGetValue<string>(out var name) ? name : null;

    private static bool TryText(JsonObject output, out string text)
    {
        var joined = TryJoin(output["text"]);
        text = joined ?? "";
        return joined is not null;
    }

    // A value of the wrong JSON type (a malformed notebook) is left for the renderer to report.
    private static string? TryJoin(JsonNode? node)
    {
        try
        {
            return IpynbNotebook.JoinText(node);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
