using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DaseCV.Runner.Execution;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Html;

/// <summary>
/// An executed notebook as one self-contained HTML page for grading: a header (student name and ID, a results
/// summary linking to the result cells and the written answers, run details), markdown, highlighted C# and
/// outputs (text escaped, HTML as is, images inline, errors styled), answers of <c>pdf-inline</c> cells in boxes,
/// and setup cells and logs folded away in &lt;details&gt;. plotly.js is inlined once, in &lt;head&gt;, when an output
/// draws a Plotly chart. The page depends only on the .ipynb and the machine's own paths (hidden, see
/// <see cref="LocalPaths"/>), so <c>run</c> and <c>export</c> of the same executed notebook give the same HTML.
/// </summary>
/// <remarks>
/// Notebooks are untrusted: no local file outside the notebook's folder is read, image outputs are embedded only
/// with an image MIME type and base64 data, and every attribute value is escaped. Folded cells: tags
/// <c>setup</c>, <c>parameters</c>, <c>injected-parameters</c> and <c>pdf-ignore</c>.
/// </remarks>
internal static partial class HtmlExporter
{
    // Jupyter's order of preference when an output carries several representations.
    private static readonly string[] MimeOrder =
        ["text/html", "image/svg+xml", "image/png", "image/jpeg", "image/gif", "image/webp", "text/markdown", "text/latex", "application/json", "text/plain"];

    /// <summary>Tag of cells that prepare the assignment (build, load, parameters) rather than answer it.</summary>
    public const string SetupTag = "setup";

    /// <summary>CS231n's tag for cells its grading PDF leaves out.</summary>
    public const string IgnoreTag = "pdf-ignore";

    private static readonly string[] FoldedTags = [SetupTag, NotebookParameters.ParametersTag, NotebookParameters.InjectedTag, IgnoreTag];

    /// <param name="notebook">The notebook (executed or not).</param>
    /// <param name="baseDirectory">Notebook folder, for relative images in markdown; null to leave them.</param>
    /// <param name="localPaths">Paths to hide; by default this machine's (<see cref="LocalPaths.ForThisMachine"/>).</param>
    public static string Render(IpynbNotebook notebook, string? baseDirectory, LocalPaths? localPaths = null)
    {
        var paths = localPaths ?? LocalPaths.ForThisMachine(baseDirectory);
        var answerCells = notebook.Cells
            .Where(c => c.Type == "markdown" && c.Tags.Contains(AnswerCell.Tag))
            .Select((c, i) => (Cell: c, Anchor: $"answer-{i + 1}", Parsed: AnswerCell.Parse(paths.Hide(c.Source))))
            .ToList();

        var body = new StringBuilder();
        AppendHeader(body, notebook, answerCells.Select(a => (a.Parsed.Title, a.Anchor)).ToList(), paths);
        body.Append("<main>\n");
        var defaultKernel = Text(notebook.Metadata["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]) ?? "csharp";
        var cells = notebook.Cells;
        for (var i = 0; i < cells.Count;)
        {
            if (!IsFolded(cells[i]))
            {
                var answer = answerCells.FirstOrDefault(a => a.Cell.Json == cells[i].Json);
                var cell = cells[i];
                if (answer.Cell is not null)
                    AppendSafely(body, cell, html => AppendAnswerCell(html, answer.Cell, answer.Parsed, answer.Anchor, baseDirectory));
                else
                    AppendSafely(body, cell, html => AppendCell(html, cell, baseDirectory, paths, defaultKernel));
                i++;
                continue;
            }

            // Consecutive folded cells share one <details>: closed on screen and in print, one click away.
            var end = i;
            while (end < cells.Count && IsFolded(cells[end]))
                end++;
            var kinds = cells.Skip(i).Take(end - i).SelectMany(c => c.Tags.Intersect(FoldedTags)).Distinct().Select(t => t.Replace('-', ' '));
            body.Append($"<details class=\"folded\">\n<summary>Setup and logs: {end - i} cell{(end - i == 1 ? "" : "s")} ({Encode(string.Join(", ", kinds))})</summary>\n");
            for (; i < end; i++)
            {
                var cell = cells[i];
                AppendSafely(body, cell, html => AppendCell(html, cell, baseDirectory, paths, defaultKernel));
            }
            body.Append("</details>\n");
        }

        body.Append("</main>\n");

        var bodyText = body.ToString();
        var head = new StringBuilder();
        head.Append($"<!DOCTYPE html>\n<html lang=\"{Encode(Language(notebook))}\">\n<head>\n<meta charset=\"utf-8\">\n");
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

    /// <summary>True for cells the grading view folds away (setup, parameters, pdf-ignore).</summary>
    public static bool IsFolded(IpynbCell cell) => cell.Tags.Any(FoldedTags.Contains);

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

    private static void AppendHeader(StringBuilder html, IpynbNotebook notebook, List<(string Title, string Anchor)> answers, LocalPaths paths)
    {
        var summary = GradingSummary.From(notebook);
        html.Append("<header class=\"nb-header\">\n");
        html.Append($"<h1>{Encode(notebook.Name)}.ipynb</h1>\n");

        html.Append("<dl class=\"student\">\n");
        void Student(string label, string? value) => html.Append($"<dt>{label}</dt><dd>")
            .Append(string.IsNullOrWhiteSpace(value) ? "<span class=\"missing\">not given</span>" : Encode(value)).Append("</dd>\n");
        Student("Student", summary.StudentName);
        Student("Student ID", summary.StudentId);
        html.Append("</dl>\n");

        SummaryValue?[] results = [summary.BestLearningRate, summary.BestReg, summary.ValAccuracy, summary.TestAccuracy];
        if (results.Any(r => r is not null))
        {
            html.Append("<table class=\"results\">\n<tr><th>Best learning rate</th><th>Best regularization strength</th><th>Validation accuracy</th><th>Test accuracy</th></tr>\n<tr>");
            foreach (var result in results)
                html.Append("<td>").Append(result switch
                {
                    null => "<span class=\"missing\">not found</span>",
                    { CellId: { } cell } => $"<a href=\"#cell-{Encode(cell)}\">{Encode(result.Value)}</a>",
                    _ => Encode(result.Value),
                }).Append("</td>");
            html.Append("</tr>\n</table>\n");
        }

        if (answers.Count > 0)
            html.Append("<p class=\"answer-links\">Answers: ")
                .AppendJoin(" · ", answers.Select(a => $"<a href=\"#{a.Anchor}\">{Encode(a.Title.Length > 0 ? a.Title : a.Anchor)}</a>"))
                .Append("</p>\n");

        var run = notebook.Metadata[NotebookExecutor.RunMetadataKey] as JsonObject;
        html.Append("<dl class=\"run\">\n");
        void Row(string name, string? value) => html.Append($"<dt>{name}</dt><dd>{Encode(value ?? "not recorded")}</dd>\n");
        Row("Run date", Text(run?["run_date"]) is { } date ? date.Replace('T', ' ').Replace("Z", " UTC") : null);
        Row(".NET", Text(run?["dotnet_version"]));
        Row("Kernel", Text(run?["kernel"]) ?? KernelDisplayName(notebook));
        Row("Run time", run?["run_seconds"] is JsonValue seconds && seconds.TryGetValue<double>(out var s) && double.IsFinite(s) && s >= 0
            ? TerminalProgress.Format(TimeSpan.FromSeconds(Math.Min(s, TimeSpan.MaxValue.TotalSeconds / 2)))
            : null);
        if (Text(run?["status"]) is { } status)
            Row("Status", status);
        if (run?["parameters"] is JsonObject parameters && parameters.Count > 0)
            Row("Parameters", paths.Hide(string.Join(", ", parameters.Select(p => $"{p.Key}={Text(p.Value)}"))));
        html.Append("</dl>\n</header>\n");
    }

    private static string? KernelDisplayName(IpynbNotebook notebook) => Text(notebook.Metadata["kernelspec"]?["display_name"]);

    private static void AppendAnswerCell(StringBuilder html, IpynbCell cell, AnswerCell parsed, string anchor, string? baseDirectory)
    {
        var attachments = cell.Json["attachments"] as JsonObject;
        html.Append($"<section class=\"cell markdown pdf-inline\"{CellId(cell)}>\n<div class=\"question\">\n");
        html.Append(MarkdownRenderer.ToHtml(parsed.Question, attachments, baseDirectory));
        html.Append("</div>\n");
        if (parsed.Answers.Count == 0)
            html.Append($"<div class=\"answer missing\" id=\"{anchor}\"><div class=\"answer-label\">No answer found</div>" +
                        "<div class=\"answer-body\"><p>No paragraph starts with 答: / 你的回答: / 你的解释: in this cell.</p></div></div>\n");
        for (var k = 0; k < parsed.Answers.Count; k++)
        {
            var (label, markdown) = parsed.Answers[k];
            html.Append($"<div class=\"answer\" id=\"{anchor}{(k == 0 ? "" : "-" + (k + 1))}\">");
            html.Append($"<div class=\"answer-label\">{Encode(label)}</div>\n<div class=\"answer-body\">\n");
            html.Append(markdown.Length == 0 ? "<p class=\"missing\">(empty)</p>\n" : MarkdownRenderer.ToHtml(markdown, attachments, baseDirectory));
            html.Append("</div></div>\n");
        }

        html.Append("</section>\n");
    }

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
            body.Append($"<section class=\"cell unreadable\"{CellId(cell)}><p class=\"markdown-error\">This cell could not be shown: ")
                .Append(Encode(e.Message)).Append("</p></section>\n");
        }
    }

    private static string CellId(IpynbCell cell) => cell.Id is { } id ? $" id=\"cell-{Encode(id)}\"" : "";

    private static void AppendCell(StringBuilder html, IpynbCell cell, string? baseDirectory, LocalPaths paths, string defaultKernel)
    {
        var id = CellId(cell);
        switch (cell.Type)
        {
            case "markdown":
                html.Append($"<section class=\"cell markdown\"{id}>\n");
                html.Append(MarkdownRenderer.ToHtml(paths.Hide(cell.Source), cell.Json["attachments"] as JsonObject, baseDirectory));
                html.Append("</section>\n");
                return;
            case "raw":
                html.Append($"<section class=\"cell raw\"{id}><pre>{Encode(paths.Hide(cell.Source))}</pre></section>\n");
                return;
        }

        var count = cell.Json["execution_count"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : (int?)null;
        var injected = cell.Tags.Contains(NotebookParameters.InjectedTag);
        var classes = "cell code" + (injected ? " injected" : "") + (count is null && cell.Outputs.Count == 0 ? " not-run" : "");
        html.Append($"<section class=\"{classes}\"{id}>\n<div class=\"input\">");
        html.Append($"<div class=\"prompt\">[{(count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? " ")}]</div>");
        if (injected)
            html.Append("<div class=\"label\">Parameters set on the command line</div>");
        var source = paths.Hide(cell.Source);
        var kernel = cell.KernelName(defaultKernel);
        var isCSharp = kernel is "csharp" or "C#" or "c#";
        html.Append($"<pre class=\"source\"><code class=\"language-{(isCSharp ? "csharp" : Encode(kernel))}\">");
        html.Append(isCSharp ? CSharpHighlighter.ToHtml(source) : Encode(source)).Append("</code></pre></div>\n");
        if (count is null && cell.Outputs.Count == 0)
            html.Append("<div class=\"outputs not-run-note\">not run</div>\n");
        if (cell.Outputs.Count > 0)
        {
            html.Append("<div class=\"outputs\">\n");
            foreach (var output in cell.Outputs.OfType<JsonObject>())
                AppendOutput(html, output, paths);
            html.Append("</div>\n");
        }

        html.Append("</section>\n");
    }

    /// <summary>One nbformat output.</summary>
    internal static void AppendOutput(StringBuilder html, JsonObject output, LocalPaths? localPaths = null)
    {
        var paths = localPaths ?? LocalPaths.None;
        switch (Text(output["output_type"]))
        {
            case "stream":
                var name = Text(output["name"]) == "stderr" ? "stderr" : "stdout";
                html.Append($"<pre class=\"output stream {name}\">{Encode(paths.Hide(StripAnsi(IpynbNotebook.JoinText(output["text"]))))}</pre>\n");
                break;
            case "error":
                var traceback = (output["traceback"] as JsonArray ?? []).Select(t => paths.Hide(StripAnsi(Text(t) ?? ""))).ToList();
                string ename = Text(output["ename"]) ?? "Error", evalue = paths.Hide(StripAnsi(Text(output["evalue"]) ?? ""));
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
                    AppendData(html, data, paths);
                break;
        }
    }

    // As deep as the notebook reader allows, so a JSON output that loaded also exports.
    private static readonly System.Text.Json.JsonSerializerOptions IndentedJson = new() { WriteIndented = true, MaxDepth = IpynbNotebook.MaxDepth };

    private static void AppendData(StringBuilder html, JsonObject data, LocalPaths paths)
    {
        // Only known MIME types are shown, so a key never reaches an attribute; image data must be base64.
        var mime = MimeOrder.FirstOrDefault(m => data.ContainsKey(m) && (!MarkdownRenderer.IsImageType(m)
                                                   || MarkdownRenderer.IsBase64(IpynbNotebook.JoinText(data[m]))));
        if (mime is null)
            return;
        var value = data[mime];
        var text = mime.EndsWith("json", StringComparison.Ordinal) && value is not JsonValue
            ? value!.ToJsonString(IndentedJson)
            : IpynbNotebook.JoinText(value);
        switch (mime)
        {
            case "text/html":
                html.Append($"<div class=\"output html\">{paths.Hide(text)}</div>\n");
                break;
            case "image/svg+xml":
                html.Append($"<div class=\"output html\">{text}</div>\n");
                break;
            case "text/markdown":
                html.Append($"<div class=\"output markdown\">{MarkdownRenderer.ToHtml(paths.Hide(text))}</div>\n");
                break;
            case "text/latex":
                html.Append($"<div class=\"output math display\">{LatexText.ToHtml(paths.Hide(text).Trim().Trim('$'))}</div>\n");
                break;
            case "text/plain" when ProgressLine.Final(StripAnsi(text), out var finished) is { } progress:
                html.Append($"<pre class=\"output progress{(finished ? "" : " stopped")}\">{Encode(paths.Hide(progress))}</pre>\n");
                break;
            case "text/plain" or "application/json":
                html.Append($"<pre class=\"output text\">{Encode(paths.Hide(StripAnsi(text)))}</pre>\n");
                break;
            default:
                html.Append($"<div class=\"output image\"><img alt=\"output image\" src=\"data:{Encode(mime)};base64,{Encode(text.Replace("\n", ""))}\"></div>\n");
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

    private static string StripAnsi(string text) => AnsiCodes.Strip(text);

    [GeneratedRegex(@"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial Regex LanguageTag();

    [GeneratedRegex(@"[A-Za-z]+")]
    private static partial Regex LatinWord();
}
