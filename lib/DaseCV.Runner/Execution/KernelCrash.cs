using System.Text.Json.Nodes;

namespace DaseCV.Runner.Execution;

/// <summary>
/// Why the kernel process died, read from what the .NET runtime printed on its standard error as it ended:
/// "Unhandled exception. TYPE: MESSAGE" (an exception on another thread, an <c>async void</c>), "Stack overflow.",
/// "Process terminated. MESSAGE" (<c>Environment.FailFast</c>), or else only the exit code or signal.
/// </summary>
internal static class KernelCrash
{
    /// <summary>Lines on which the runtime starts its last words; from there on stderr is the crash report.</summary>
    public static bool StartsReport(string line) =>
        line.StartsWith("Unhandled exception. ", StringComparison.Ordinal) ||
        line == "Stack overflow." ||
        line.StartsWith("Process terminated.", StringComparison.Ordinal);

    /// <summary>The nbformat error output for the cell that was running when the kernel process ended.</summary>
    /// <param name="report">The runtime's report (from <see cref="StartsReport"/> on), empty if it printed none.</param>
    /// <param name="exitCode">The kernel process's exit code (128 + N when signal N ended it).</param>
    public static JsonObject ErrorOutput(IReadOnlyList<string> report, int exitCode)
    {
        const string Saved = "The kernel process ended; the runner saved the cells that finished before it.";
        var head = report.Count > 0 ? report[0] : "";
        var frames = UserFrames(report.Skip(1));
        if (head.StartsWith("Unhandled exception. ", StringComparison.Ordinal))
        {
            // "System.InvalidOperationException: boom" → InvalidOperationException, boom (the message may span lines).
            var text = head["Unhandled exception. ".Length..];
            var message = string.Join("\n", [text, .. report.Skip(1).TakeWhile(l => !l.StartsWith("   at ", StringComparison.Ordinal))]);
            var colon = message.IndexOf(": ", StringComparison.Ordinal);
            var type = colon > 0 ? message[..colon] : message;
            var evalue = colon > 0 ? message[(colon + 2)..] : "";
            return CellOutputCollector.ErrorOutput(type[(type.LastIndexOf('.') + 1)..],
                $"{evalue}\n(unhandled on another thread, e.g. in an async void method or a Task that nobody awaited: it ended the kernel process. {Saved})",
                frames);
        }

        if (head == "Stack overflow.")
            return CellOutputCollector.ErrorOutput("StackOverflowException",
                $"The call stack overflowed, e.g. a recursion that never stops. {Saved}", frames);

        if (head.StartsWith("Process terminated.", StringComparison.Ordinal))
        {
            var message = string.Join("\n", report.Skip(1).TakeWhile(l => !l.StartsWith("   at ", StringComparison.Ordinal))).Trim();
            return CellOutputCollector.ErrorOutput("FailFast",
                $"{(message.Length > 0 ? message : head)}\n(Environment.FailFast ended the kernel process. {Saved})", frames);
        }

        var how = exitCode > 128 ? $"was killed by signal {exitCode - 128}{SignalName(exitCode - 128)}" : $"exited with code {exitCode}";
        var hint = exitCode == 137 ? " (SIGKILL: the system may have run out of memory)" : "";
        return CellOutputCollector.ErrorOutput("KernelProcessEnded", $"The kernel process {how}{hint} while this cell was running. {Saved}", null);
    }

    private static string SignalName(int signal) => signal switch
    {
        6 => " (SIGABRT)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        _ => "",
    };

    /// <summary>The first frames of the notebook's own code, as the kernel's cell errors show them (at most 20 lines).</summary>
    private static string? UserFrames(IEnumerable<string> lines)
    {
        var kept = lines.Where(l => l.StartsWith("   at Submission#", StringComparison.Ordinal) ||
                                    l.StartsWith("Repeated ", StringComparison.Ordinal))
            .Take(20).ToList();
        return kept.Count == 0 ? null : string.Join("\n", kept);
    }
}
