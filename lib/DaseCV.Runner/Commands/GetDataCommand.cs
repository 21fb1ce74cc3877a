using System.CommandLine;
using DaseCV.Data;
using DaseCV.Runner.Execution;
using DaseCV.Runner.IO;
using DaseCV.Runner.Text;

namespace DaseCV.Runner.Commands;

/// <summary>The options of <c>get-data</c>; null where not given.</summary>
internal sealed record GetDataOptions(string? DataDir, string? Source, string? Md5);

/// <summary>
/// <c>get-data [--data-dir DIR] [--from URL_OR_FILE] [--md5 HEX]</c>: fetches CIFAR-10 with
/// <see cref="Cifar10.EnsureDownloaded(string, string?, string?, IProgress{DownloadProgress}?, CancellationToken)"/>
/// and shows a progress bar. All the work is the library's; <see cref="Cli"/> parses the arguments, this prints.
/// </summary>
internal static class GetDataCommand
{
    /// <summary>The environment variable naming another source (a constant: reading it does not load DaseCV).</summary>
    public const string SourceVariable = Cifar10Download.SourceVariable;

    /// <summary>What the command does, after its options in <c>get-data --help</c>.</summary>
    public const string HelpNotes = $"""

        Downloads CIFAR-10 (binary version, 162 MB) into DIR/cifar-10-batches-bin, checks its size and MD5,
        and extracts it. Does nothing when the data set is already there; an interrupted download resumes.
        The default source is ${Cifar10Download.SourceVariable} if set, else {Cifar10Download.OfficialUrl}.
        Offline, run the notebook on the synthetic stand-in instead: run NOTEBOOK -p dataset synthetic
        """;

    /// <summary>The command for the runner's parser; its action calls <see cref="Run"/> with DaseCV loadable.</summary>
    /// <param name="interactive">True on a terminal: the progress bar redraws one line.</param>
    public static Command CommandLine(bool interactive)
    {
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Data folder [default: the repository's data/ folder, else ./data].",
            HelpName = "DIR",
        };
        var source = new Option<string>("--from")
        {
            Description = $"A mirror URL or a local archive instead of the official one [default: ${SourceVariable} if set, else the official URL].",
            HelpName = "URL_OR_FILE",
        };
        var md5 = new Option<string>("--md5")
        {
            Description = "Expected MD5 of an archive that is not the official one (its size is then not checked).",
            HelpName = "HEX",
        };
        CommandArguments.NotBlank(dataDir);
        CommandArguments.NotBlank(source);
        CommandArguments.NotBlank(md5);

        var command = new Command("get-data", "Download and check the CIFAR-10 data set.") { dataDir, source, md5 };
        command.SetAction((result, cancellationToken) =>
        {
            var options = new GetDataOptions(result.GetValue(dataDir), result.GetValue(source), result.GetValue(md5));
            var (output, error) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
            // get-data lives in its own class, loaded with DaseCV resolvable, so that `run` never loads DaseCV.
            return Task.FromResult(DaseCVLoader.Run(() => Run(options, output, error, interactive, cancellationToken)));
        });
        return command;
    }

    /// <summary>Runs the command writing to the given streams; <paramref name="interactive"/> redraws one progress line.</summary>
    /// <param name="cancellationToken">Cancels the download; Ctrl+C does too.</param>
    internal static int Run(GetDataOptions options, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellationToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return Download(options, output, error, interactive, cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static int Download(GetDataOptions options, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellationToken)
    {
        var (source, md5) = (options.Source, options.Md5);
        var dataDir = Path.GetFullPath(options.DataDir ?? DefaultDataDir());
        if (Cifar10.IsDownloaded(dataDir))
        {
            output.WriteLine($"CIFAR-10 is already in {dataDir}; nothing to do.");
            return ExitCode.Success;
        }
        output.WriteLine($"Getting CIFAR-10 into {dataDir} from {source ?? Cifar10Download.DefaultSource}");
        using var progress = new TerminalProgress(output, interactive);
        var bar = progress.Download();
        try
        {
            string folder = Cifar10.EnsureDownloaded(dataDir, source, md5, bar, cancellationToken);
            progress.EndStatus();
            output.WriteLine($"CIFAR-10 is ready in {folder}.");
            return ExitCode.Success;
        }
        catch (ArgumentException e)
        {
            progress.EndStatus();
            // The message names the bad value; .NET's "(Parameter 'source')" suffix would only repeat the option.
            error.WriteLine(Messages.Error("参数有误，没有下载任何内容（详见下一行）。",
                                           e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "")));
            error.WriteLine($"Run `{Cli.Invocation} get-data --help` for usage.");
            return ExitCode.UsageError;
        }
        catch (OperationCanceledException)
        {
            progress.EndStatus();
            error.WriteLine($"已取消；已下载的部分保留，再次运行会继续下载。\nCancelled. A partial download is kept in {Path.Combine(dataDir, Cifar10Download.ArchiveFileName)}.partial; run again to resume.");
            return ExitCode.Signaled(2);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            progress.EndStatus();
            error.WriteLine(Messages.Error("无法获取 CIFAR-10（详见下一行）。", e.Message));
            return ExitCode.Failed;
        }
    }

    /// <summary>The repository's data/ folder when run inside the repository, else ./data.</summary>
    private static string DefaultDataDir() =>
        IO.RepositoryRoot.Find(Directory.GetCurrentDirectory()) is { } root ? Path.Combine(root, "data") : "data";
}
