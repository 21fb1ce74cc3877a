using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DaseCV.Runner.Execution;
using DaseCV.Runner.Notebook;

namespace DaseCV.Runner.Html;

/// <summary>
/// An executed notebook as one self-contained HTML page: header (name, run date, .NET version, run time),
/// markdown, code, and outputs (text escaped, HTML as is, images inline, errors styled). plotly.js is inlined
/// once, in &lt;head&gt;, when an output draws a Plotly chart. The page depends only on the .ipynb, so
/// <c>run</c> and <c>export</c> of the same executed notebook give the same HTML.
/// </summary>
internal static partial class HtmlExporter
{
    // Jupyter's order of preference when an output carries several representations.
    private static readonly string[] MimeOrder =
        ["text/html", "image/svg+xml", "image/png", "image/jpeg", "image/gif", "text/markdown", "text/latex", "application/json", "text/plain"];

    /// <param name="notebook">The notebook (executed or not).</param>
    /// <param name="baseDirectory">Notebook folder, for relative images in markdown; null to leave them.</param>
    public static string Render(IpynbNotebook notebook, string? baseDirectory)
    {
        var body = new StringBuilder();
        AppendHeader(body, notebook);
        body.Append("<main>\n");
        foreach (var cell in notebook.Cells)
            AppendCell(body, cell, baseDirectory);
        body.Append("</main>\n");

        var bodyText = body.ToString();
        var head = new StringBuilder();
        head.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        head.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        head.Append($"<meta name=\"generator\" content=\"DaseCV.Runner\">\n<title>{Encode(notebook.Name)}</title>\n");
        head.Append("<style>\n").Append(Resource("notebook.css")).Append("</style>\n");
        if (notebook.Cells.Any(c => c.Type == "code" && c.Outputs.OfType<JsonObject>().Any(o => UsesPlotly(IpynbNotebook.JoinText(o["data"]?["text/html"])))))
        {
            // One copy of plotly.js for every chart on the page, from the Plotly.NET package.
            head.Append($"<script id=\"plotly-js\" data-version=\"{PlotlyJs.Version}\">\n");
            head.Append(PlotlyJs.Source.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase));
            head.Append("\n</script>\n");
            head.Append("<script>\n").Append(Resource("notebook.js")).Append("</script>\n");
        }

        return head.Append("</head>\n<body>\n").Append(bodyText).Append("</body>\n</html>\n").ToString();
    }

    /// <summary>True when some output calls plotly.js (the notebook's chart formatter, XPlot, Plotly.NET).</summary>
    public static bool UsesPlotly(string html) =>
        html.Contains("Plotly.newPlot", StringComparison.Ordinal) || html.Contains("Plotly.react", StringComparison.Ordinal);

    private static void AppendHeader(StringBuilder html, IpynbNotebook notebook)
    {
        var run = notebook.Metadata[NotebookExecutor.RunMetadataKey] as JsonObject;
        html.Append("<header class=\"nb-header\">\n");
        html.Append($"<h1>{Encode(notebook.Name)}.ipynb</h1>\n<dl>\n");
        void Row(string name, string? value) => html.Append($"<dt>{name}</dt><dd>{Encode(value ?? "not recorded")}</dd>\n");
        Row("Run date", Text(run?["run_date"]) is { } date ? date.Replace('T', ' ').Replace("Z", " UTC") : null);
        Row(".NET", Text(run?["dotnet_version"]));
        Row("Kernel", Text(run?["kernel"]) ?? KernelDisplayName(notebook));
        Row("Run time", run?["run_seconds"] is JsonValue seconds
            ? TerminalProgress.Format(TimeSpan.FromSeconds(seconds.GetValue<double>()))
            : null);
        if (Text(run?["status"]) is { } status)
            Row("Status", status);
        if (run?["parameters"] is JsonObject parameters && parameters.Count > 0)
            Row("Parameters", string.Join(", ", parameters.Select(p => $"{p.Key}={Text(p.Value)}")));
        html.Append("</dl>\n</header>\n");
    }

    private static string? KernelDisplayName(IpynbNotebook notebook) => Text(notebook.Metadata["kernelspec"]?["display_name"]);

    private static void AppendCell(StringBuilder html, IpynbCell cell, string? baseDirectory)
    {
        var id = cell.Id is { } cellId ? $" id=\"cell-{Encode(cellId)}\"" : "";
        switch (cell.Type)
        {
            case "markdown":
                html.Append($"<section class=\"cell markdown\"{id}>\n");
                html.Append(MarkdownRenderer.ToHtml(cell.Source, cell.Json["attachments"] as JsonObject, baseDirectory));
                html.Append("</section>\n");
                return;
            case "raw":
                html.Append($"<section class=\"cell raw\"{id}><pre>{Encode(cell.Source)}</pre></section>\n");
                return;
        }

        var count = cell.Json["execution_count"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : (int?)null;
        var injected = cell.Tags.Contains(NotebookParameters.InjectedTag);
        var classes = "cell code" + (injected ? " injected" : "") + (count is null && cell.Outputs.Count == 0 ? " not-run" : "");
        html.Append($"<section class=\"{classes}\"{id}>\n<div class=\"input\">");
        html.Append($"<div class=\"prompt\">[{(count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? " ")}]</div>");
        if (injected)
            html.Append("<div class=\"label\">Parameters set on the command line</div>");
        html.Append($"<pre class=\"source\"><code class=\"language-csharp\">{Encode(cell.Source)}</code></pre></div>\n");
        if (count is null && cell.Outputs.Count == 0)
            html.Append("<div class=\"outputs not-run-note\">not run</div>\n");
        if (cell.Outputs.Count > 0)
        {
            html.Append("<div class=\"outputs\">\n");
            foreach (var output in cell.Outputs.OfType<JsonObject>())
                AppendOutput(html, output);
            html.Append("</div>\n");
        }

        html.Append("</section>\n");
    }

    /// <summary>One nbformat output.</summary>
    internal static void AppendOutput(StringBuilder html, JsonObject output)
    {
        switch (Text(output["output_type"]))
        {
            case "stream":
                var name = Text(output["name"]) == "stderr" ? "stderr" : "stdout";
                html.Append($"<pre class=\"output stream {name}\">{Encode(StripAnsi(IpynbNotebook.JoinText(output["text"])))}</pre>\n");
                break;
            case "error":
                var traceback = (output["traceback"] as JsonArray ?? []).Select(t => StripAnsi(Text(t) ?? "")).ToList();
                html.Append("<div class=\"output error\"><pre>");
                html.Append($"<strong>{Encode(Text(output["ename"]) ?? "Error")}</strong>: {Encode(StripAnsi(Text(output["evalue"]) ?? ""))}");
                if (traceback.Count > 0)
                    html.Append('\n').Append(Encode(string.Join("\n", traceback)));
                html.Append("</pre></div>\n");
                break;
            case "display_data" or "execute_result" or "update_display_data":
                if (output["data"] is JsonObject data)
                    AppendData(html, data);
                break;
        }
    }

    private static void AppendData(StringBuilder html, JsonObject data)
    {
        var mime = MimeOrder.FirstOrDefault(data.ContainsKey)
                   ?? data.Select(d => d.Key).FirstOrDefault(k => k.StartsWith("image/", StringComparison.Ordinal));
        if (mime is null)
            return;
        var value = data[mime];
        var text = mime.EndsWith("json", StringComparison.Ordinal) && value is not JsonValue
            ? value!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true })
            : IpynbNotebook.JoinText(value);
        switch (mime)
        {
            case "text/html" or "image/svg+xml":
                html.Append($"<div class=\"output html\">{text}</div>\n");
                break;
            case "text/markdown":
                html.Append($"<div class=\"output markdown\">{MarkdownRenderer.ToHtml(text)}</div>\n");
                break;
            case "text/latex":
                html.Append($"<div class=\"output math display\">{LatexText.ToHtml(text.Trim().Trim('$'))}</div>\n");
                break;
            case "text/plain" or "application/json":
                html.Append($"<pre class=\"output text\">{Encode(StripAnsi(text))}</pre>\n");
                break;
            default:
                html.Append($"<div class=\"output image\"><img alt=\"output image\" src=\"data:{mime};base64,{text.Replace("\n", "")}\"></div>\n");
                break;
        }
    }

    private static string Resource(string name)
    {
        using var stream = typeof(HtmlExporter).Assembly.GetManifestResourceStream("DaseCV.Runner.Html." + name)!;
        return new StreamReader(stream).ReadToEnd();
    }

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string StripAnsi(string text) => Ansi().Replace(text, "");

    [GeneratedRegex(@"\u001b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex Ansi();
}
