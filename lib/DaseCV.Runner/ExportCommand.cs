using DaseCV.Runner.Html;
using DaseCV.Runner.Notebook;

namespace DaseCV.Runner;

/// <summary><c>export EXECUTED.ipynb [--out FILE.html]</c>: HTML only, nothing is run.</summary>
internal static class ExportCommand
{
    public static int Run(string[] args)
    {
        var parsed = CommandArguments.Parse("export", args, "--out", "-o");
        if (parsed.Help)
        {
            Console.WriteLine(Cli.HelpText);
            return Cli.Success;
        }

        if (parsed.Notebook is null)
            throw new UsageException("export needs a notebook: export EXECUTED.ipynb [--out FILE.html]");
        try
        {
            Console.WriteLine($"Wrote {Export(parsed.Notebook, parsed.Last("--out", "-o"))}");
        }
        catch (OutputWriteException e)
        {
            Console.Error.WriteLine($"error: {e.Message}. The earlier file (if any) is unchanged.");
            return OutputWriteException.ExitCode;
        }

        return Cli.Success;
    }

    /// <summary>Writes the HTML of <paramref name="input"/>; returns the HTML file's path.</summary>
    public static string Export(string input, string? output)
    {
        var path = Path.GetFullPath(input);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Notebook not found: {input}", input);
        var htmlPath = output ?? Path.ChangeExtension(path, ".html");
        // Before reading: `export x.ipynb --out x.ipynb` (or a link to it) must fail, not replace the notebook.
        OutputTarget.Check([htmlPath], [path], output is null ? $"export {input}" : $"--out {output}");
        var notebook = IpynbNotebook.Load(path);
        AtomicFile.WriteAllText(htmlPath, HtmlExporter.Render(notebook, Path.GetDirectoryName(path)));
        return htmlPath;
    }
}
