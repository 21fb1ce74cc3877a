using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DaseCV.Runner.Ipynb;
using DaseCV.Runner.Text;

namespace DaseCV.Runner.Execution;

/// <summary>How the terminal reports a failed cell.</summary>
internal static partial class RunFailure
{
    /// <summary>
    /// The terminal's report of a failed cell: its number as the user counts cells (the injected-parameters cell
    /// not counted) and <c>ename: evalue</c>; the trace only when <paramref name="verbose"/>.
    /// </summary>
    public static string Describe(IpynbNotebook notebook, ExecutionResult result, bool verbose)
    {
        var cell = notebook.Cells.FirstOrDefault(c => c.Id == result.FailedCellId);
        var where = NotebookParameters.UserCellNumber(notebook, result.FailedCellId) is { } number
            ? $"cell {number} (id {result.FailedCellId})"
            : cell is not null && NotebookParameters.IsInjected(cell) ? "the injected parameters cell" : result.FailedCell ?? "a cell";
        var error = cell?.Outputs.OfType<JsonObject>().LastOrDefault(o => o["output_type"]?.GetValue<string>() == "error");
        var ename = error?["ename"]?.GetValue<string>() is { Length: > 0 } name ? name : "Error";
        var evalue = (error?["evalue"]?.GetValue<string>() ?? result.Error ?? "").Replace("\r\n", "\n");
        var traceback = error?["traceback"] is JsonArray lines ? lines.Select(l => l?.GetValue<string>() ?? "").ToList() : [];

        // The traceback may repeat "ename: evalue" as its first line (nbconvert's form); that is printed once.
        var trace = traceback.Select(l => AnsiCodes.Strip(l).TrimEnd()).ToList();
        if (trace.Count > 0 && trace[0] == $"{ename}: {evalue.Split('\n')[0].TrimEnd()}")
            trace.RemoveAt(0);

        // Kernel messages may start with the exception's full name ("System.InvalidOperationException: ...").
        var value = evalue.TrimEnd();
        if (value.IndexOf(ename + ": ", StringComparison.Ordinal) is var at and >= 0 && FullTypeName().IsMatch(value[..at]))
            value = value[(at + ename.Length + 2)..];
        var shown = WithoutStackFrames(value);
        var (zh, en) = result.End == RunEnd.KernelCrashed
            ? ($"{Messages.Cell(result.FailedCell)}运行时内核进程崩溃；之后的单元格没有运行。", $"{where} crashed the kernel process; later cells were not run.")
            : ($"{Messages.Cell(result.FailedCell)}出错；之后的单元格没有运行。", $"{where} failed; later cells were not run.");
        var message = $"{Messages.Error(zh, en)}\n{ename}: {(verbose ? value : shown)}";
        if (verbose)
        {
            // The traceback's lines that the message does not already carry inline.
            var extra = trace.Where(l => l.Trim().Length > 0 && !value.Contains(l, StringComparison.Ordinal)).ToList();
            if (extra.Count > 0)
                message += "\n" + string.Join("\n", extra);
        }
        else if (trace.Count > 0 || shown != value)
            message += "\n(Run with --verbose for the trace.)";
        return message.TrimEnd();
    }

    /// <summary>
    /// The message without what some kernel errors carry inline after it: .NET stack frames (<c>   at ...</c>) and
    /// the inner exceptions' headers (<c> ---> System.Net.Http.HttpRequestException: ...</c>).
    /// </summary>
    private static string WithoutStackFrames(string text) =>
        string.Join("\n", text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !StackFrame().IsMatch(l))).TrimEnd();

    [GeneratedRegex(@"^\s*(System\.)?([A-Za-z_]\w*\.)*$")]
    private static partial Regex FullTypeName();

    [GeneratedRegex(@"^\s+at \S|^\s*--- End of (inner exception )?stack trace|^\s*---> ")]
    private static partial Regex StackFrame();
}
