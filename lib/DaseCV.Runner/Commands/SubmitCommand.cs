using System.CommandLine;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DaseCV.Runner.Execution;
using DaseCV.Runner.Html;
using DaseCV.Runner.Ipynb;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.IO;

namespace DaseCV.Runner.Commands;

/// <summary>
/// <c>submit [--out FILE] [--executed NOTEBOOK] [-p NAME=VALUE]...</c> (CS231n's collect_submission): one zip with the
/// executed notebook, its HTML with an appendix of the student's code between the markers, and the files that hold
/// marked regions, at their repository paths.
/// </summary>
internal static class SubmitCommand
{
    /// <summary>The command for the runner's parser; its action calls <see cref="RunAsync(string?, string?, IReadOnlyList{KeyValuePair{string, string}})"/>.</summary>
    public static Command CommandLine()
    {
        var outFile = new Option<string>("--out", "-o") { Description = "The zip to write [default: artifacts/submission.zip].", HelpName = "FILE.zip" };
        var executed = new Option<string>("--executed")
        {
            Description = "A notebook already run top to bottom (e.g. saved by VS Code) instead of running it now.",
            HelpName = "NOTEBOOK.ipynb",
        };
        var parameters = new Option<string[]>(CommandArguments.ParameterAliases[0], CommandArguments.ParameterAliases[1..])
        {
            Description = "Override a variable of the notebook's parameters cell for the run (repeatable).",
            HelpName = "NAME=VALUE",
        };
        var command = new Command("submit", "Run the notebook and zip it, its HTML with your code, and your source files to hand in.")
        {
            outFile, executed, parameters,
        };
        command.SetAction((result, _) => RunAsync(result.GetValue(outFile), result.GetValue(executed),
            [.. (result.GetValue(parameters) ?? []).Select(NotebookParameters.Parse)]));
        return command;
    }

    /// <summary>The command with parsed values.</summary>
    /// <param name="outFile">The zip (default artifacts/submission.zip).</param>
    /// <param name="executedNotebook">A notebook already run top to bottom (e.g. saved by VS Code); null runs the notebook now.</param>
    /// <param name="parameters">Parameter overrides for that run.</param>
    public static async Task<int> RunAsync(string? outFile, string? executedNotebook, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var root = CourseLayout.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var layout = CourseLayout.Default;
        var zipPath = Path.GetFullPath(outFile ?? Path.Combine(root, "artifacts", "submission.zip"));
        var code = StudentCode(root, layout);
        RefuseStubs(code);

        string notebookPath;
        if (executedNotebook is not null)
            notebookPath = Path.GetFullPath(executedNotebook);
        else
        {
            var runDirectory = Path.Combine(root, "artifacts", "submission-run");
            var run = RunCommand.Prepare(new RunOptions(Path.Combine(root, layout.Notebook), runDirectory, parameters, Cli.DefaultCellTimeout, Verbose: false));
            if (await RunCommand.ExecuteAsync(run, TerminalProgress.ForConsole(), Console.Error) != Cli.Success)
                throw new UsageException($"{layout.Notebook} did not run to the end (the failing cell is named above), so there is nothing to submit yet; fix it and run submit again.");
            notebookPath = Path.Combine(runDirectory, Path.GetFileName(layout.Notebook));
        }

        if (!File.Exists(notebookPath))
            throw new FileNotFoundException($"Notebook not found: {notebookPath}", notebookPath);
        if (notebookPath == zipPath)
            throw new UsageException("--out would overwrite the notebook; choose another file.");
        var notebook = IpynbNotebook.Load(notebookPath);
        RefuseIncompleteRun(notebook, notebookPath);
        foreach (var answer in NotebookAnswers.Find(notebook).Where(a => !a.IsAnswered))
            Console.Error.WriteLine($"warning: {answer.Question} ({answer.Label}) has no answer yet.");

        var html = WithCodeAppendix(HtmlExporter.Render(notebook, Path.Combine(root, Path.GetDirectoryName(layout.Notebook)!)), code);
        Write(zipPath, root, layout, notebook, html, code.Select(c => c.RelativePath).Distinct());
        Console.WriteLine($"Wrote {zipPath}: {Path.GetFileName(layout.Notebook)} (executed), {notebook.Name}.html and {code.Select(c => c.RelativePath).Distinct().Count()} source files.");
        return Cli.Success;
    }

    /// <summary>The student's regions: every marked C# file (file, region).</summary>
    internal static IReadOnlyList<(string RelativePath, MarkedRegion Region)> StudentCode(string root, CourseLayout layout) =>
        layout.MarkedFiles(root)
            .SelectMany(f => SolutionMarkers.Find(File.ReadAllText(Path.Combine(root, f)), f).Select(r => (f, r)))
            .ToList();

    private static void RefuseStubs(IReadOnlyList<(string RelativePath, MarkedRegion Region)> code)
    {
        var stubs = code.Where(c => SolutionMarkers.IsStub(c.Region)).Select(c => $"{c.Region.Function} in {c.RelativePath}").ToList();
        if (stubs.Count > 0)
            throw new UsageException("these parts still throw NotImplementedException; complete them before submitting:\n  " + string.Join("\n  ", stubs));
    }

    /// <summary>Every code cell ran once, in order, without an error: what Restart + Run All (or `run`) gives.</summary>
    internal static void RefuseIncompleteRun(IpynbNotebook notebook, string path)
    {
        var previous = 0;
        var number = 0;
        foreach (var cell in notebook.Cells)
        {
            number++;
            if (cell.Type != "code")
                continue;
            if (SolutionMarkers.HasMarkers(cell.Source) && SolutionMarkers.Find(cell.Source, path, "cell").Any(SolutionMarkers.IsStub))
                throw new UsageException($"{path}: cell {number} still throws NotImplementedException; complete it before submitting.");
            var count = cell.Json["execution_count"] is JsonValue v && v.TryGetValue<int>(out var c) ? c : (int?)null;
            if (count is not int executed || executed <= previous)
                throw new UsageException($"{path} has not run top to bottom: cell {number} {(count is null ? "has not run" : $"ran as [{count}] after [{previous}]")}. " +
                                         "Restart the kernel and Run All (or let submit run it), then submit again.");
            if (cell.Outputs.OfType<JsonObject>().Any(o => o["output_type"]?.GetValue<string>() == "error"))
                throw new UsageException($"{path}: cell {number} ended with an error; fix it, Run All again, then submit.");
            previous = executed;
        }

        if (previous == 0)
            throw new UsageException($"{path} has no executed code cells; run the notebook first.");
    }

    /// <summary>The notebook HTML with an appendix: each marked region's code, named by file and function.</summary>
    internal static string WithCodeAppendix(string html, IReadOnlyList<(string RelativePath, MarkedRegion Region)> code)
    {
        var appendix = new StringBuilder();
        appendix.Append("<section id=\"student-code\" style=\"max-width:60rem;margin:2rem auto;padding:0 1rem\">\n");
        appendix.Append("<h2>附录：学生的代码 (Appendix: the student's code between START/END OF YOUR CODE)</h2>\n");
        foreach (var (file, region) in code)
        {
            appendix.Append($"<h3><code>{WebUtility.HtmlEncode(region.Function)}</code> — <code>{WebUtility.HtmlEncode(file)}</code></h3>\n");
            appendix.Append($"<pre style=\"white-space:pre-wrap;background:#f6f8fa;padding:.5rem\"><code>{WebUtility.HtmlEncode(Dedent(region.Code))}</code></pre>\n");
        }

        appendix.Append("</section>\n");
        var end = html.LastIndexOf("</body>", StringComparison.Ordinal);
        return end < 0 ? html + appendix : html.Insert(end, appendix.ToString());
    }

    private static void Write(string zipPath, string root, CourseLayout layout, IpynbNotebook notebook, string html, IEnumerable<string> files)
    {
        // Through a temporary file and a rename (AtomicFile): a failed write never leaves a partial zip.
        AtomicFile.Write(zipPath, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);

            void Add(string name, string text)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(text);
            }

            Add(layout.Notebook, notebook.ToJson());
            Add(notebook.Name + ".html", html);
            foreach (var file in files)
                Add(file, File.ReadAllText(Path.Combine(root, file)));
        });
    }

    private static string Dedent(string code)
    {
        var lines = SolutionMarkers.Lines(code);
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }
}
