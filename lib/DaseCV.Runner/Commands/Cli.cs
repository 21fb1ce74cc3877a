using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using DaseCV.Runner.IO;
using DaseCV.Runner.Text;

namespace DaseCV.Runner.Commands;

/// <summary>
/// The runner's command line (System.CommandLine): assembles the commands, each defined in its own file under
/// Commands/ (run, export, get-data, handout, submit, grade, gradescope-bundle), with <c>--help</c>/<c>-h</c> at
/// the root and per command, <c>--version</c> and <c>--verbose</c>. Exit codes are <see cref="ExitCode"/>'s.
/// Errors are one message on stderr; the stack trace only with <c>--verbose</c>.
/// </summary>
internal static partial class Cli
{
    /// <summary>How the README starts the runner; help and error hints show it.</summary>
    public const string Invocation = "dotnet run --project lib/DaseCV.Runner --";

    /// <summary>Per-cell time limit when <c>--cell-timeout</c> is not given: generous, so only a hung cell hits it.</summary>
    public static readonly TimeSpan DefaultCellTimeout = TimeSpan.FromMinutes(30);

    private const string RootNotes = """

        Exit codes: 0 success, 1 a cell failed (also: timed out, called Environment.Exit, crashed the kernel
        process) or get-data failed, 2 bad arguments or input (nothing is run or written), 3 an output could
        not be written (e.g. a full disk), 130/143 interrupted by Ctrl-C/SIGTERM.
        Run `COMMAND --help` for a command's options, e.g. `run --help`.
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
            return ExitCode.UsageError;
        }

        // Response files (@FILE) are off: a value starting with '@' is a value, never a file to read.
        var parsed = root.Parse(CommandArguments.JoinPapermillParameters(args), new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Action is ParseErrorAction)
        {
            error.WriteLine("错误：命令行参数有误（详见下文）。");
            foreach (var message in parsed.Errors.Select(e => e.Message).Distinct())
                error.WriteLine($"error: {message}");
            error.WriteLine($"Run `{Invocation} {CommandPath(parsed.CommandResult)}--help` for usage.");
            return ExitCode.UsageError;
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
        var run = RunCommand.CommandLine(verbose);
        var export = ExportCommand.CommandLine();
        var getData = GetDataCommand.CommandLine(interactive);
        root.Subcommands.Add(run);
        root.Subcommands.Add(export);
        root.Subcommands.Add(getData);
        root.Subcommands.Add(KernelHostCommand.CommandLine());
        // Coursework (README, "For instructors"): each command's options live in its own file. The student release
        // leaves out Cli.Instructor.cs and the instructor's commands, and the partial call below then compiles to nothing.
        root.Subcommands.Add(Commands.SubmitCommand.CommandLine());
        AddInstructorCommands(root);

        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithNotes((HelpAction)help.Action!, new Dictionary<Command, string>
        {
            [root] = RootNotes,
            [run] = RunCommand.HelpNotes,
            [export] = ExportCommand.HelpNotes,
            [getData] = GetDataCommand.HelpNotes,
        });
        var version = root.Options.OfType<VersionOption>().Single();
        version.Action = new PrintVersion();
        return root;
    }

    /// <summary>Adds handout, grade and gradescope-bundle (Cli.Instructor.cs; absent from the student release).</summary>
    static partial void AddInstructorCommands(RootCommand root);

    /// <summary>"run " for the run command, "" at the root: the hint points at the help of the command in use.</summary>
    private static string CommandPath(CommandResult result) =>
        result.Command is RootCommand ? "" : result.Command.Name + " ";

    private static int Report(Exception e, bool verbose, CommandResult command, TextWriter error)
    {
        // Bad input the user can fix: the message says what and where. Anything else also names its type.
        var expected = e is UsageException or InvalidDataException or IOException or UnauthorizedAccessException;
        var chinese = e switch
        {
            UsageException => "参数或输入有误，没有运行或写入任何内容（详见下一行）。",
            FileNotFoundException or DirectoryNotFoundException => "找不到文件（详见下一行）。",
            InvalidDataException => "文件内容有误（详见下一行）。",
            IOException or UnauthorizedAccessException => "无法读取或写入文件（详见下一行）。",
            _ => "运行器内部出错（详见下一行）。",
        };
        error.WriteLine(Messages.Error(chinese, expected ? e.Message : $"{e.GetType().Name}: {e.Message}"));
        if (e is UsageException)
            error.WriteLine($"Run `{Invocation} {CommandPath(command)}--help` for usage.");
        if (verbose)
            error.WriteLine(e.ToString());
        else if (!expected)
            error.WriteLine("(Run with --verbose for the stack trace.)");
        return ExitCode.UsageError;
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
            return ExitCode.Success;
        }
    }

    /// <summary><c>--version</c>: the runner's version and the kernel and runtime it runs notebooks on.</summary>
    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(
                $"DaseCV.Runner {Execution.RunnerVersions.Runner} (kernel {Execution.RunnerVersions.Kernel}, {Execution.RunnerVersions.Runtime})");
            return ExitCode.Success;
        }
    }
}
