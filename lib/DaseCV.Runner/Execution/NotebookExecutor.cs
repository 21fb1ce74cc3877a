using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Reactive.Linq;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using DaseCV.Runner.Notebook;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace DaseCV.Runner.Execution;

/// <summary>Outcome of <see cref="NotebookExecutor.RunAsync"/>.</summary>
/// <param name="FailedCellNumber">1-based position of the failing cell in the notebook, or null.</param>
/// <param name="FailedCellId">Its nbformat id.</param>
/// <param name="Error">The kernel's error message.</param>
internal sealed record ExecutionResult(TimeSpan Elapsed, int? FailedCellNumber, string? FailedCellId, string? Error)
{
    public bool Succeeded => FailedCellNumber is null;
}

/// <summary>
/// Runs a notebook's code cells in order on one in-process kernel, writing outputs and execution counts into
/// the document. Stops at the first failing cell (later cells depend on it); cells after it are left with no
/// outputs and no execution count, so stale results cannot pass for fresh ones.
/// </summary>
internal static class NotebookExecutor
{
    /// <summary>Key of the run record in the notebook metadata (read back by the HTML header).</summary>
    public const string RunMetadataKey = "dasecv_runner";

    /// <param name="notebook">Document to execute, changed in place.</param>
    /// <param name="workingDirectory">The notebook's folder: relative paths and <c>#r</c> resolve against it.</param>
    /// <param name="progress">Terminal progress.</param>
    /// <param name="parameters">The -p overrides, recorded in the metadata.</param>
    public static async Task<ExecutionResult> RunAsync(
        IpynbNotebook notebook, string workingDirectory, TerminalProgress progress,
        IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        notebook.NormalizeToNbformat45();
        var defaultKernel = DefaultKernelName(notebook);
        var cells = notebook.Cells;
        var codeCells = cells.Select((c, i) => (Cell: c, Number: i + 1)).Where(x => x.Cell.Type == "code").ToList();
        foreach (var (cell, _) in codeCells)
        {
            cell.Outputs.Clear();
            cell.Json["execution_count"] = null;
            cell.Metadata.Remove("execution");
        }

        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var previousDirectory = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(workingDirectory);
        ExecutionResult? failure = null;
        try
        {
            using var kernel = KernelSetup.Create();
            var collector = new CellOutputCollector();
            collector.DisplayChanged += progress.Display;
            using var subscription = kernel.KernelEvents.Subscribe(collector.Handle);

            for (var k = 0; k < codeCells.Count; k++)
            {
                var (cell, number) = codeCells[k];
                var source = cell.Source;
                progress.StartCell(k + 1, codeCells.Count, number, source);
                collector.StartCell(cell, k + 1);
                var cellStart = DateTimeOffset.UtcNow;

                var kernelName = cell.KernelName(defaultKernel);
                CommandFailed? failed;
                if (!IsCSharp(kernelName))
                {
                    failed = new CommandFailed(
                        $"Cell {number} targets the '{kernelName}' kernel; the runner executes C# cells only.",
                        new SubmitCode(source), null);
                }
                else
                {
                    var result = await kernel.SendAsync(new SubmitCode(source, KernelSetup.CSharpKernelName), CancellationToken.None);
                    failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
                }

                cell.Json["execution_count"] = k + 1;
                cell.Metadata["execution"] = new JsonObject
                {
                    ["iopub.execute_input"] = Timestamp(cellStart),
                    ["shell.execute_reply"] = Timestamp(DateTimeOffset.UtcNow),
                };
                if (failed is not null)
                    collector.AddError(failed);
                progress.EndCell(failed is null);
                if (failed is not null)
                {
                    failure = new ExecutionResult(TimeSpan.Zero, number, cell.Id, failed.Message);
                    break;
                }
            }
        }
        finally
        {
            Directory.SetCurrentDirectory(previousDirectory);
        }

        var result2 = (failure ?? new ExecutionResult(TimeSpan.Zero, null, null, null)) with { Elapsed = clock.Elapsed };
        RecordRun(notebook, started, result2, parameters);
        return result2;
    }

    private static void RecordRun(IpynbNotebook notebook, DateTimeOffset started, ExecutionResult result,
                                  IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var kernelVersion = typeof(Kernel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
                            ?? typeof(Kernel).Assembly.GetName().Version?.ToString();
        var record = new JsonObject
        {
            ["run_date"] = Timestamp(started),
            ["dotnet_version"] = RuntimeInformation.FrameworkDescription,
            ["kernel"] = $"Microsoft.DotNet.Interactive {kernelVersion}",
            ["run_seconds"] = Math.Round(result.Elapsed.TotalSeconds, 3),
            ["status"] = result.Succeeded ? "succeeded" : $"failed at cell {result.FailedCellNumber}",
        };
        if (parameters.Count > 0)
            record["parameters"] = new JsonObject(parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        notebook.Metadata[RunMetadataKey] = record;
    }

    /// <summary>The notebook's default kernel: VS Code's kernelInfo, else the kernelspec language, else C#.</summary>
    private static string DefaultKernelName(IpynbNotebook notebook)
    {
        var meta = notebook.Metadata;
        if (meta["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"] is JsonValue v && v.TryGetValue<string>(out var name))
            return name;
        var language = meta["kernelspec"]?["language"]?.GetValue<string>() ?? meta["language_info"]?["name"]?.GetValue<string>();
        return language is null or "C#" or "c#" or "csharp" ? KernelSetup.CSharpKernelName : language;
    }

    private static bool IsCSharp(string kernelName) => kernelName is "csharp" or "c#" or "C#";

    private static string Timestamp(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
