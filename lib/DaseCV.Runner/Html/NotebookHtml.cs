using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Html;

/// <summary>
/// The generic renderer: a notebook as one self-contained page over the template <c>notebook.html</c>: markdown,
/// highlighted C#, outputs (text escaped, notebook HTML sanitised, images inline, charts from their plotly bundle,
/// errors styled), cells with a folding tag grouped in closed &lt;details&gt;. Course-specific parts are
/// <see cref="HtmlStep"/>s (see <see cref="HtmlExporter"/>). The page's only scripts are plotly.js and
/// <c>notebook.js</c>, inlined once when a chart is drawn and allowed by hash in its Content-Security-Policy.
/// </summary>
/// <remarks>
/// Every fragment that comes from the notebook passes through <see cref="UntrustedHtml"/>; that is not a step
/// one can leave out. The page depends only on the notebook and the steps, so <c>run</c> and <c>export</c> of the
/// same executed notebook give the same bytes.
/// </remarks>
internal static partial class NotebookHtml
{
    // Jupyter's order of preference when an output carries several representations, the chart bundle first.
    private static readonly string[] MimeOrder =
        [PlotlyCharts.MimeType, "text/html", "image/svg+xml", "image/png", "image/jpeg", "image/gif", "image/webp", "text/markdown", "text/latex", "application/json", "text/plain"];

    /// <param name="notebook">The notebook (executed or not).</param>
    /// <param name="notebookFolder">Its folder, for relative images in markdown; null to embed none.</param>
    /// <param name="steps">Applied in order.</param>
    /// <param name="foldedTags">Cells with one of these tags are folded away.</param>
    public static string Render(IpynbNotebook notebook, string? notebookFolder, IReadOnlyList<HtmlStep> steps, IReadOnlyCollection<string> foldedTags)
    {
        var page = new HtmlPage(notebook, notebookFolder, steps);
        var body = new StringBuilder("<main>\n");
        // Polyglot Notebooks names the kernel; Jupyter (the .NET kernel's kernelspec) names the language.
        var defaultKernel = Text(notebook.Metadata["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"])
                            ?? Text(notebook.Metadata["kernelspec"]?["language"]) ?? "csharp";
        bool IsFolded(IpynbCell cell) => cell.Tags.Any(foldedTags.Contains);
        void Append(IpynbCell cell) => AppendSafely(body, cell, html =>
            html.Append(steps.Select(s => s.Cell(cell, page)).FirstOrDefault(h => h is not null) ?? RenderCell(cell, page, defaultKernel)));

        var cells = notebook.Cells;
        for (var i = 0; i < cells.Count;)
        {
            if (!IsFolded(cells[i]))
            {
                Append(cells[i++]);
                continue;
            }

            // Consecutive folded cells share one <details>: closed on screen and in print, one click away.
            var end = i;
            while (end < cells.Count && IsFolded(cells[end]))
                end++;
            var kinds = cells.Skip(i).Take(end - i).SelectMany(c => c.Tags.Intersect(foldedTags)).Distinct().Select(t => t.Replace('-', ' '));
            body.Append($"<details class=\"folded\">\n<summary>准备与日志 Setup and logs: {end - i} cell{(end - i == 1 ? "" : "s")} ({Encode(string.Join(", ", kinds))})</summary>\n");
            for (; i < end; i++)
                Append(cells[i]);
            body.Append("</details>\n");
        }

        body.Append("</main>\n");
        foreach (var step in steps)
            step.Finish(page);

        var charts = notebook.Cells.Any(c => c.Type == "code" && c.Outputs.OfType<JsonObject>().Any(o => o["data"] is JsonObject d && PlotlyCharts.Has(d)));
        // One copy of plotly.js for every chart on the page, from the Plotly.NET package.
        PageScript[] scripts = charts ? [new(PlotlyJs.Source, "plotly-js"), new(Resource("notebook.js"))] : [];
        return HtmlDocument.Write(Language(notebook), notebook.Name, page.Header.ToString() + body + page.Appendix, scripts: scripts);
    }

    /// <summary>
    /// The page's <c>lang</c>: <c>metadata.lang</c> or <c>metadata.language</c> when it is a language tag
    /// (<c>zh-CN</c>), else the script most words of the markdown cells are written in, a CJK character counting
    /// as a word: <c>zh</c>, <c>ja</c> (any kana), <c>ko</c>, or <c>en</c>.
    /// </summary>
    public static string Language(IpynbNotebook notebook)
    {
        foreach (var key in (string[])["lang", "language"])
            if (Text(notebook.Metadata[key]) is { } tag && LanguageTag().IsMatch(tag))
                return tag;
        var text = string.Concat(notebook.Cells.Where(c => c.Type == "markdown").Select(c => c.Source));
        int han = 0, kana = 0, hangul = 0;
        foreach (var ch in text)
        {
            if (ch is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF')
                han++;
            else if (ch is >= '\u3040' and <= '\u30FF')
                kana++;
            else if (ch is >= '\uAC00' and <= '\uD7AF')
                hangul++;
        }

        var latinWords = LatinWord().Count(text);
        if (han + kana + hangul <= latinWords)
            return "en";
        return kana > 0 ? "ja" : hangul > han ? "ko" : "zh";
    }

    /// <summary>The <c>id</c> attribute a cell's section carries (for links), or "".</summary>
    public static string CellId(IpynbCell cell) => cell.Id is { } id ? $" id=\"cell-{Encode(id)}\"" : "";

    // A cell whose content breaks the renderer (a value of an unexpected JSON type, say) becomes a note in the page
    // instead of ending the whole export.
    private static void AppendSafely(StringBuilder body, IpynbCell cell, Action<StringBuilder> append)
    {
        var html = new StringBuilder();
        try
        {
            append(html);
            body.Append(html);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            body.Append($"<section class=\"cell unreadable\"{CellId(cell)}><p class=\"markdown-error\">无法显示此单元 This cell could not be shown: ")
                .Append(Encode(e.Message)).Append("</p></section>\n");
        }
    }

    private static string RenderCell(IpynbCell cell, HtmlPage page, string defaultKernel)
    {
        var html = new StringBuilder();
        var id = CellId(cell);
        switch (cell.Type)
        {
            case "markdown":
                html.Append($"<section class=\"cell markdown\"{id}>\n");
                html.Append(page.Markdown(cell.Source, cell.Json["attachments"] as JsonObject));
                html.Append("</section>\n");
                return html.ToString();
            case "raw":
                html.Append($"<section class=\"cell raw\"{id}><pre>{Encode(page.Text(cell.Source))}</pre></section>\n");
                return html.ToString();
        }

        var count = cell.Json["execution_count"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : (int?)null;
        var injected = cell.Tags.Contains(NotebookParameters.InjectedTag);
        var classes = "cell code" + (injected ? " injected" : "") + (count is null && cell.Outputs.Count == 0 ? " not-run" : "");
        html.Append($"<section class=\"{classes}\"{id}>\n<div class=\"input\">");
        html.Append($"<div class=\"prompt\">[{(count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? " ")}]</div>");
        if (injected)
            html.Append("<div class=\"label\">命令行设置的参数 Parameters set on the command line</div>");
        html.Append(SourceHtml(page.Text(cell.Source), cell.KernelName(defaultKernel))).Append("</div>\n");
        if (count is null && cell.Outputs.Count == 0)
            html.Append("<div class=\"outputs not-run-note\">未运行 not run</div>\n");
        var outputs = JupyterOutputs.Normalize(cell.Outputs);
        if (outputs.Count > 0)
        {
            html.Append("<div class=\"outputs\">\n");
            foreach (var output in outputs)
                AppendOutput(html, output, page);
            html.Append("</div>\n");
        }

        html.Append("</section>\n");
        return html.ToString();
    }

    /// <summary>A code listing: C# (the kernel names csharp or C#) highlighted, anything else escaped.</summary>
    public static string SourceHtml(string source, string kernel = "csharp")
    {
        var isCSharp = kernel is "csharp" or "C#" or "c#";
        return $"<pre class=\"source\"><code class=\"language-{(isCSharp ? "csharp" : Encode(kernel))}\">" +
               (isCSharp ? CSharpHighlighter.ToHtml(source) : Encode(source)) + "</code></pre>";
    }

    /// <summary>One nbformat output.</summary>
    internal static void AppendOutput(StringBuilder html, JsonObject output, HtmlPage page)
    {
        switch (Text(output["output_type"]))
        {
            case "stream":
                var name = Text(output["name"]) == "stderr" ? "stderr" : "stdout";
                html.Append($"<pre class=\"output stream {name}\">{Encode(page.Text(StripAnsi(IpynbNotebook.JoinText(output["text"]))))}</pre>\n");
                break;
            case "error":
                var traceback = (output["traceback"] as JsonArray ?? []).Select(t => page.Text(StripAnsi(Text(t) ?? ""))).ToList();
                string ename = Text(output["ename"]) ?? "Error", evalue = page.Text(StripAnsi(Text(output["evalue"]) ?? ""));
                // The runner (like IPython) starts the traceback with "ename: evalue"; it is shown once, in bold.
                if (traceback.Count > 0 && traceback[0] == $"{ename}: {evalue}")
                    traceback.RemoveAt(0);
                html.Append("<div class=\"output error\"><pre>");
                html.Append($"<strong>{Encode(ename)}</strong>: {Encode(evalue)}");
                if (traceback.Count > 0)
                    html.Append('\n').Append(Encode(string.Join("\n", traceback)));
                html.Append("</pre></div>\n");
                break;
            case "display_data" or "execute_result" or "update_display_data":
                if (output["data"] is JsonObject data)
                    AppendData(html, data, page);
                break;
        }
    }

    // As deep as the notebook reader allows, so a JSON output that loaded also exports.

    private static void AppendData(StringBuilder html, JsonObject data, HtmlPage page)
    {
        // Only known MIME types are shown, so a key never reaches an attribute; image data must be base64.
        var mime = MimeOrder.FirstOrDefault(m => data.ContainsKey(m) && (m == PlotlyCharts.MimeType ? PlotlyCharts.Has(data)
                                                   : !MarkdownRenderer.IsImageType(m) || MarkdownRenderer.IsBase64(IpynbNotebook.JoinText(data[m]))));
        if (mime is null)
            return;
        if (mime == PlotlyCharts.MimeType)
        {
            html.Append(PlotlyCharts.Html(data));
            return;
        }

        var value = data[mime];
        var text = mime.EndsWith("json", StringComparison.Ordinal) && value is not JsonValue
            ? value!.ToJsonString(IO.JsonFiles.Options)
            : IpynbNotebook.JoinText(value);
        switch (mime)
        {
            case "text/html":
                html.Append($"<div class=\"output html\">{UntrustedHtml.Sanitize(page.Text(text))}</div>\n");
                break;
            case "image/svg+xml":
                // As an image an SVG is only a picture: the browser runs none of its scripts or handlers, loads nothing.
                var svg = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
                html.Append($"<div class=\"output image\"><img alt=\"SVG output\" src=\"data:image/svg+xml;base64,{svg}\"></div>\n");
                break;
            case "text/markdown":
                html.Append($"<div class=\"output markdown\">{MarkdownRenderer.ToHtml(page.Text(text))}</div>\n");
                break;
            case "text/latex":
                html.Append($"<div class=\"output math display\">{LatexText.ToHtml(page.Text(text).Trim().Trim('$'))}</div>\n");
                break;
            case "text/plain" or "application/json":
                var shown = page.Text(StripAnsi(text));
                html.Append((mime == "text/plain" ? page.Steps.Select(s => s.PlainText(shown)).FirstOrDefault(h => h is not null) : null)
                            ?? $"<pre class=\"output text\">{Encode(shown)}</pre>\n");
                break;
            default:
                html.Append($"<div class=\"output image\"><img alt=\"output image\" src=\"data:{Encode(mime)};base64,{Encode(text.Replace("\n", ""))}\"></div>\n");
                break;
        }
    }

    internal static string Resource(string name)
    {
        using var stream = typeof(NotebookHtml).Assembly.GetManifestResourceStream("DaseCV.Runner.Html." + name)!;
        return new StreamReader(stream).ReadToEnd();
    }

    internal static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    internal static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string StripAnsi(string text) => AnsiCodes.Strip(text);

    [GeneratedRegex(@"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial Regex LanguageTag();


    [GeneratedRegex(@"[A-Za-z]+")]
    private static partial Regex LatinWord();
}
