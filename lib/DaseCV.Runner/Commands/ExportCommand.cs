using System.CommandLine;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.IO;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Commands;

/// <summary>
/// <c>export EXECUTED.ipynb [--out FILE.html|DIR]</c>: HTML only, nothing is run; the page <c>run</c> writes for the
/// same notebook (<see cref="Coursework.CourseHtml"/>), with the student-code appendix of the course library nearest the notebook.
/// </summary>
internal static class ExportCommand
{
    /// <summary>Exports and reports the file written; returns the exit code.</summary>
    public static int Run(string input, string? output, TextWriter stdout, TextWriter error)
    {
        try
        {
            stdout.WriteLine($"Wrote {Export(input, output, Directory.GetCurrentDirectory(), error)}");
        }
        catch (OutputWriteException e)
        {
            error.WriteLine($"error: {e.Message}. The earlier file (if any) is unchanged.");
            return OutputWriteException.ExitCode;
        }

        return ExitCode.Success;
    }

    /// <summary>
    /// Writes the HTML of <paramref name="input"/>: to <paramref name="output"/> (an .html file, or a folder for
    /// NAME.html), by default to artifacts/NAME.html under <paramref name="currentDirectory"/>, as <c>run</c> does.
    /// Warns on <paramref name="error"/> when code cells have not run. Returns the HTML file's path.
    /// </summary>
    /// <exception cref="UsageException">The output is not an HTML file or folder, is the notebook itself, or cannot be written.</exception>
    /// <exception cref="OutputWriteException">Writing the HTML failed (e.g. a full disk); the earlier file is unchanged.</exception>
    public static string Export(string input, string? output, string currentDirectory, TextWriter error)
    {
        var path = Path.GetFullPath(input, currentDirectory);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Notebook not found: {input}", input);
        var htmlPath = HtmlPath(Path.GetFileNameWithoutExtension(path), output, currentDirectory);
        // The notebook itself (through a symlink, .., a hard link), a folder in the way, a folder that cannot be
        // written: all refused before anything is read or written.
        OutputTarget.Check([htmlPath], [path], output is null ? $"export {input}" : $"--out {output}");
        var notebook = IpynbNotebook.Load(path);

        WarnIfNotRun(notebook, input, error);
        AtomicFile.WriteAllText(htmlPath, CourseHtml.Render(notebook, Path.GetDirectoryName(path)));
        return htmlPath;
    }

    /// <summary>Where the HTML of notebook <paramref name="name"/> goes for <c>--out</c> <paramref name="output"/>.</summary>
    /// <exception cref="UsageException"><paramref name="output"/> names a file that is not .html.</exception>
    internal static string HtmlPath(string name, string? output, string currentDirectory)
    {
        if (output is null)
            return Path.Combine(currentDirectory, "artifacts", name + ".html");
        var full = Path.GetFullPath(output, currentDirectory);
        if (Directory.Exists(full) || output.EndsWith('/') || output.EndsWith(Path.DirectorySeparatorChar))
            return Path.Combine(full, name + ".html");
        if (Path.GetExtension(full).ToLowerInvariant() is ".html" or ".htm")
            return full;
        throw new UsageException($"--out {output}: export writes HTML; give a FILE.html or a folder (ending in '/' if it does not exist yet).");
    }

    /// <summary>A notebook that never ran exports to code without results: say so (the HTML is still written).</summary>
    private static void WarnIfNotRun(IpynbNotebook notebook, string input, TextWriter error)
    {
        var code = notebook.Cells.Where(c => c.Type == "code").ToList();
        var ran = code.Count(c => c.Outputs.Count > 0 || c.Json["execution_count"] is not null);
        if (code.Count > 0 && ran == 0)
            error.WriteLine($"warning: {input} has no outputs (it never ran, or was saved without them); the HTML shows the code only. " +
                            $"Run it first: {Cli.Invocation} run {input}");
        else if (code.Count(c => c.Json["execution_count"] is null) is var notRun and > 0)
            error.WriteLine($"warning: {notRun} of {code.Count} code cells in {input} have not run; their results are missing from the HTML.");
    }

    public const string HelpNotes = $"""

        Turns an executed notebook (from run, or saved by VS Code) into the same HTML, without running it.
        Warns when the notebook has no outputs (it never ran). Never writes over the notebook.

        Example:
          {Cli.Invocation} export notebooks/softmax.ipynb        (writes artifacts/softmax.html)
        """;

    /// <summary>The command for the runner's parser; its action calls <see cref="Run"/>.</summary>
    public static Command CommandLine()
    {
        var notebook = new Argument<string>("EXECUTED.ipynb") { Description = "An executed notebook (from run, or saved by VS Code)." };
        var output = new Option<string>("--out", "-o")
        {
            Description = "The HTML file to write, or a folder for NAME.html [default: artifacts/NAME.html].",
            HelpName = "FILE.html|DIR",
        };
        CommandArguments.NotBlank(output);

        var command = new Command("export", "Turn an executed notebook into the HTML to hand in, without running it.") { notebook, output };
        command.SetAction(result => Run(
            result.GetRequiredValue(notebook), result.GetValue(output),
            result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }
}
