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
        Console.WriteLine($"Wrote {Export(parsed.Notebook, parsed.Last("--out", "-o"))}");
        return Cli.Success;
    }

    /// <summary>Writes the HTML of <paramref name="input"/>; returns the HTML file's path.</summary>
    public static string Export(string input, string? output)
    {
        var path = Path.GetFullPath(input);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Notebook not found: {input}", input);
        var notebook = IpynbNotebook.Load(path);
        var htmlPath = output ?? Path.ChangeExtension(path, ".html");
        AtomicFile.WriteAllText(htmlPath, HtmlExporter.Render(notebook, Path.GetDirectoryName(path)));
        return htmlPath;
    }
}
