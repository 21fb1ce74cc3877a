using DaseCV.Runner.Html;
using DaseCV.Runner.Notebook;

namespace DaseCV.Runner;

/// <summary><c>export EXECUTED.ipynb [--out FILE.html]</c>: HTML only, nothing is run.</summary>
internal static class ExportCommand
{
    public static int Run(string[] args)
    {
        string? input = null;
        string? output = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case var help when Cli.IsHelp(help):
                    Console.WriteLine(Cli.HelpText);
                    return Cli.Success;
                case "--out" or "-o":
                    output = Cli.OptionValue(args, ref i);
                    break;
                case var option when option.StartsWith('-'):
                    throw new UsageException($"export: unknown option '{option}'.");
                default:
                    input = input is null ? args[i] : throw new UsageException($"export takes one notebook; got '{input}' and '{args[i]}'.");
                    break;
            }
        }

        if (input is null)
            throw new UsageException("export needs a notebook: export EXECUTED.ipynb [--out FILE.html]");
        var written = Export(input, output);
        Console.WriteLine($"Wrote {written}");
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
