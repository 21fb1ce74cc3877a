using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.DotNet.Interactive;
using DaseCV.Runner.Commands;

namespace DaseCV.Runner;

/// <summary>
/// The runner's one command-line parser (System.CommandLine): <c>run</c>, <c>export</c>, <c>get-data</c>, with
/// <c>--help</c>/<c>-h</c> at the root and per command, <c>--version</c> and <c>--verbose</c>.
/// Exit codes: 0 success, 1 a notebook cell failed, 2 bad usage or input. Errors are one message on stderr;
/// the stack trace only with <c>--verbose</c>.
/// </summary>
internal static partial class Cli
{
    public const int Success = 0;
    public const int CellFailed = 1;
    public const int UsageError = 2;

    /// <summary>How the README starts the runner; help and error hints show it.</summary>
    public const string Invocation = "dotnet run --project lib/DaseCV.Runner --";

    /// <summary>Per-cell time limit when <c>--cell-timeout</c> is not given: generous, so only a hung cell hits it.</summary>
    public static readonly TimeSpan DefaultCellTimeout = TimeSpan.FromMinutes(30);

    private const string RootNotes = """

        Exit codes: 0 success, 1 a cell failed, 2 bad arguments or input (nothing is run or written),
        3 an output could not be written (e.g. a full disk), 130/143 run interrupted by Ctrl-C/SIGTERM.
        Run `COMMAND --help` for a command's options, e.g. `run --help`.
        """;

    private const string RunNotes = $"""

        Executes every code cell in order, in process, on the .NET Interactive C# kernel (as VS Code Polyglot
        Notebooks; #r "nuget:..." works), with the notebook's folder as current directory. Writes DIR/NAME.ipynb
        (executed, nbformat 4.5) and DIR/NAME.html (self-contained). On the first failing cell the run stops,
        still writes both files with the error in place, prints the cell number and `ename: evalue`, exits 1.
        The executed notebook is saved after every cell; Ctrl-C or SIGTERM writes both files with the cells that
        ran (later cells marked not run) and exits 130/143; a cell past --cell-timeout or calling
        Environment.Exit fails like any failing cell.

        Parameters (papermill convention): -p NAME VALUE or -p NAME=VALUE overrides a variable declared in the
        cell tagged "parameters"; the values go into one cell tagged "injected-parameters" right after it
        (replacing the one an earlier run left). Each value must be a value of the declared C# type (string,
        bool, char, int, long, double, float, decimal, ...) and becomes a literal of it: a string is always an
        escaped string literal, never code. An unknown name, a name given twice or a value of the wrong type
        stops the run before anything is run or written (exit 2).

        Examples:
          {Invocation} run notebooks/softmax.ipynb
          {Invocation} run notebooks/softmax.ipynb -p dataset synthetic -p numIters 200
          {Invocation} run notebooks/softmax.ipynb --out=artifacts/quick -p dataset=synthetic
        """;

    private const string ExportNotes = $"""

        Turns an executed notebook (from run, or saved by VS Code) into the same HTML, without running it.
        Warns when the notebook has no outputs (it never ran). Never writes over the notebook.

        Example:
          {Invocation} export notebooks/softmax.ipynb        (writes artifacts/softmax.html)
        """;

    /// <summary>Parses and runs the process's arguments on the console.</summary>
    public static Task<int> MainAsync(string[] args) =>
        InvokeAsync(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected);

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given streams; returns the exit code.</summary>
    /// <param name="interactive">True on a terminal: progress bars redraw one line.</param>
    public static async Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool interactive = false)
    {
        var verbose = new Option<bool>("--verbose")
        {
            Description = "Print stack traces with errors (and a failing cell's trace).",
            Recursive = true,
        };
        var root = BuildCommands(verbose, interactive);
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // Errors are reported below, as one message; signals are the run's and get-data's own business.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };

        // No arguments: the overview, but as a failed call (a script that forgot its arguments must notice).
        if (args.Count == 0)
        {
            await root.Parse(["--help"]).InvokeAsync(configuration);
            return UsageError;
        }

        // Response files (@FILE) are off: a value starting with '@' is a value, never a file to read.
        var parsed = root.Parse(CommandArguments.JoinPapermillParameters(args), new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Action is ParseErrorAction)
        {
            foreach (var message in parsed.Errors.Select(e => e.Message).Distinct())
                error.WriteLine($"error: {message}");
            error.WriteLine($"Run `{Invocation} {CommandPath(parsed.CommandResult)}--help` for usage.");
            return UsageError;
        }

        try
        {
            return await parsed.InvokeAsync(configuration);
        }
        catch (Exception e)
        {
            return Report(e, parsed.GetValue(verbose), parsed.CommandResult, error);
        }
    }

    private static RootCommand BuildCommands(Option<bool> verbose, bool interactive)
    {
        var root = new RootCommand("DaseCV.Runner: run a C# Polyglot notebook headless and hand it in as one HTML file.")
        {
            HelpName = Invocation,
        };
        root.Options.Add(verbose);
        var run = RunCommandLine(verbose);
        var export = ExportCommandLine();
        var getData = GetDataCommandLine(interactive);
        root.Subcommands.Add(run);
        root.Subcommands.Add(export);
        root.Subcommands.Add(getData);
        // Coursework (README, "For instructors"): each command's options live in its own file. The student release
        // leaves out Cli.Instructor.cs and the instructor's commands, and the partial call below then compiles to nothing.
        root.Subcommands.Add(Commands.SubmitCommand.CommandLine());
        AddInstructorCommands(root);

        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithNotes((HelpAction)help.Action!, new Dictionary<Command, string>
        {
            [root] = RootNotes,
            [run] = RunNotes,
            [export] = ExportNotes,
            [getData] = GetDataCommand.HelpNotes,
        });
        var version = root.Options.OfType<VersionOption>().Single();
        version.Action = new PrintVersion();
        return root;
    }

    /// <summary>Adds handout, grade and gradescope-bundle (Cli.Instructor.cs; absent from the student release).</summary>
    static partial void AddInstructorCommands(RootCommand root);

    private static Command RunCommandLine(Option<bool> verbose)
    {
        var notebook = new Argument<string>("NOTEBOOK.ipynb") { Description = "The notebook to run." };
        var outDir = new Option<string>("--out", "-o")
        {
            Description = "Output folder for NAME.ipynb and NAME.html.",
            HelpName = "DIR",
            DefaultValueFactory = _ => "artifacts",
        };
        var parameters = new Option<string[]>(CommandArguments.ParameterAliases[0], CommandArguments.ParameterAliases[1..])
        {
            Description = "Override a variable of the notebook's parameters cell (repeatable; also -p NAME VALUE).",
            HelpName = "NAME=VALUE",
        };
        var cellTimeout = new Option<TimeSpan?>("--cell-timeout")
        {
            Description = $"Stop a cell that runs longer than this and report it as failed: seconds or 90s, 20m, 1.5h; 0 or off for no limit [default: {DefaultCellTimeout.TotalMinutes:0}m].",
            HelpName = "TIME",
            CustomParser = ParseTimeout,
        };
        NotBlank(outDir);

        var command = new Command("run", "Run a notebook top to bottom; write the executed notebook and its HTML.")
        {
            notebook, outDir, parameters, cellTimeout,
        };
        command.SetAction(async (result, _) =>
        {
            var options = new RunOptions(
                result.GetRequiredValue(notebook),
                result.GetRequiredValue(outDir),
                [.. (result.GetValue(parameters) ?? []).Select(Ipynb.NotebookParameters.Parse)],
                result.GetResult(cellTimeout) is null ? DefaultCellTimeout : result.GetValue(cellTimeout),
                result.GetValue(verbose));
            return await RunCommand.RunAsync(options, result.InvocationConfiguration.Error);
        });
        return command;
    }

    private static Command ExportCommandLine()
    {
        var notebook = new Argument<string>("EXECUTED.ipynb") { Description = "An executed notebook (from run, or saved by VS Code)." };
        var output = new Option<string>("--out", "-o")
        {
            Description = "The HTML file to write, or a folder for NAME.html [default: artifacts/NAME.html].",
            HelpName = "FILE.html|DIR",
        };
        NotBlank(output);

        var command = new Command("export", "Turn an executed notebook into the HTML to hand in, without running it.") { notebook, output };
        command.SetAction(result => ExportCommand.Run(
            result.GetRequiredValue(notebook), result.GetValue(output),
            result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    private static Command GetDataCommandLine(bool interactive)
    {
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Data folder [default: the repository's data/ folder, else ./data].",
            HelpName = "DIR",
        };
        var source = new Option<string>("--from")
        {
            Description = $"A mirror URL or a local archive instead of the official one [default: ${GetDataCommand.SourceVariable} if set, else the official URL].",
            HelpName = "URL_OR_FILE",
        };
        var md5 = new Option<string>("--md5")
        {
            Description = "Expected MD5 of an archive that is not the official one (its size is then not checked).",
            HelpName = "HEX",
        };
        NotBlank(dataDir);
        NotBlank(source);
        NotBlank(md5);

        var command = new Command("get-data", "Download and check the CIFAR-10 data set.") { dataDir, source, md5 };
        command.SetAction((result, cancellationToken) =>
        {
            var options = new GetDataOptions(result.GetValue(dataDir), result.GetValue(source), result.GetValue(md5));
            var (output, error) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
            // get-data lives in its own class, loaded with DaseCV resolvable, so that `run` never loads DaseCV.
            return Task.FromResult(DaseCVLoader.Run(() => GetDataCommand.Run(options, output, error, interactive, cancellationToken)));
        });
        return command;
    }

    private static TimeSpan? ParseTimeout(ArgumentResult result)
    {
        try
        {
            return CommandArguments.ParseTimeout(result.Tokens.Single().Value);
        }
        catch (FormatException e)
        {
            result.AddError($"--cell-timeout: {e.Message}");
            return null;
        }
    }

    /// <summary>An option given as <c>--name=</c> or <c>--name ""</c> is an error, not an empty value.</summary>
    private static void NotBlank(Option<string> option) => option.Validators.Add(result =>
    {
        if (result.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value)))
            result.AddError($"{option.Name} needs a value.");
    });

    /// <summary>"run " for the run command, "" at the root: the hint points at the help of the command in use.</summary>
    private static string CommandPath(CommandResult result) =>
        result.Command is RootCommand ? "" : result.Command.Name + " ";

    private static int Report(Exception e, bool verbose, CommandResult command, TextWriter error)
    {
        // Bad input the user can fix: the message says what and where. Anything else also names its type.
        var expected = e is UsageException or InvalidDataException or IOException or UnauthorizedAccessException;
        error.WriteLine(expected ? $"error: {e.Message}" : $"error: {e.GetType().Name}: {e.Message}");
        if (e is UsageException)
            error.WriteLine($"Run `{Invocation} {CommandPath(command)}--help` for usage.");
        if (verbose)
            error.WriteLine(e.ToString());
        else if (!expected)
            error.WriteLine("(Run with --verbose for the stack trace.)");
        return UsageError;
    }

    /// <summary>Default help, then the command's own notes (conventions, examples, exit codes).</summary>
    private sealed class HelpWithNotes(HelpAction help, IReadOnlyDictionary<Command, string> notes) : SynchronousCommandLineAction
    {
        // As the default help: `run --help` without a notebook is help, not an error.
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            help.Invoke(parseResult);
            if (notes.TryGetValue(parseResult.CommandResult.Command, out var text))
                parseResult.InvocationConfiguration.Output.WriteLine(text.Trim('\n') + "\n");
            return Success;
        }
    }

    /// <summary><c>--version</c>: the runner's version and the kernel and runtime it runs notebooks on.</summary>
    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            static string Version(Assembly assembly) =>
                assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
                ?? assembly.GetName().Version?.ToString() ?? "?";
            parseResult.InvocationConfiguration.Output.WriteLine(
                $"DaseCV.Runner {Version(typeof(Cli).Assembly)} (kernel Microsoft.DotNet.Interactive {Version(typeof(Kernel).Assembly)}, {RuntimeInformation.FrameworkDescription})");
            return Success;
        }
    }
}
