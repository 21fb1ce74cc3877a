using System.Text.Json.Nodes;
using DaseCV.Runner.Ipynb;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace DaseCV.Runner.Execution;

/// <summary>
/// Turns kernel events into nbformat outputs, as VS Code Polyglot Notebooks shows and saves them:
/// consecutive writes to one stream join one <c>stream</c> output (stdout and stderr stay apart, in order),
/// a displayed value is one <c>display_data</c> that <see cref="DisplayedValueUpdated"/> replaces in place
/// (in whichever earlier cell it was displayed), a return value is an <c>execute_result</c>.
/// </summary>
/// <remarks>
/// Kernel 1.0.0-beta.26120.1 raises <c>display(x)</c> with one <c>DisplayedValue</c> and returns another, so the
/// first <c>Update</c> of the returned handle carries a value id that no display has. Such an update is paired
/// with the display it most likely belongs to: the one showing the same object (a progress object updated in
/// place), else the latest display of this cell with the same MIME types that no update has claimed yet.
/// </remarks>
internal sealed class CellOutputCollector
{
    private readonly Dictionary<string, JsonObject> _displays = [];
    private readonly List<Unclaimed> _unclaimed = [];
    private readonly Dictionary<int, JsonArray> _contextCells = [];
    private Dictionary<string, StreamBudget> _streams = [];
    private readonly Lock _gate = new();
    private JsonArray _outputs = [];
    private int _executionCount;
    private bool _stopped;

    /// <summary>Raised with a one-line text of a display that was shown or updated (the cell's own progress).</summary>
    public event Action<string>? DisplayChanged;

    /// <summary>Raised with stream text as it is kept (stream name, text), under the collector's lock.</summary>
    public event Action<string, string>? StreamKept;

    /// <summary>Directs the following events into a cell's (cleared) outputs.</summary>
    public void StartCell(IpynbCell cell, int executionCount)
    {
        lock (_gate)
        {
            _outputs = cell.Outputs;
            _outputs.Clear();
            _executionCount = executionCount;
            _streams.Clear();
            // An update can only claim a display of the cell being run; older ones are kept by id alone.
            _unclaimed.Clear();
        }
    }

    /// <summary>Records one kernel event; events this notebook format has no place for are ignored.</summary>
    public void Handle(KernelEvent kernelEvent)
    {
        string? progress = null;
        lock (_gate)
        {
            if (_stopped)
                return;
            switch (kernelEvent)
            {
                case StandardOutputValueProduced stdout:
                    AppendStream("stdout", PlainText(stdout));
                    break;
                case StandardErrorValueProduced stderr:
                    AppendStream("stderr", PlainText(stderr));
                    break;
                case DisplayedValueUpdated updated:
                    progress = Update(updated);
                    break;
                case ReturnValueProduced returned:
                    var data = ToData(returned.FormattedValues);
                    if (data.Count > 0)
                        _outputs.Add(new JsonObject
                        {
                            ["output_type"] = "execute_result",
                            ["data"] = data,
                            ["execution_count"] = _executionCount,
                            ["metadata"] = new JsonObject(),
                        });
                    break;
                case DisplayedValueProduced displayed:
                    progress = Display(displayed);
                    break;
            }
        }

        if (progress is not null)
            DisplayChanged?.Invoke(progress);
    }

    /// <summary>
    /// Text the notebook wrote to the console while no cell's capture was listening: a background task of this or
    /// an earlier cell printing after its cell returned. It goes to the cell that is running, or between cells to
    /// the last one that ran; false once the run has stopped (the caller logs it instead).
    /// </summary>
    /// <param name="context">The kernel's console context of the writing flow; its cell, if known, gets the text.</param>
    public bool AddLateOutput(string name, int? context, string text)
    {
        lock (_gate)
        {
            if (_stopped)
                return false;
            if (context is { } id && _contextCells.TryGetValue(id, out var outputs) && !ReferenceEquals(outputs, _outputs))
            {
                // An earlier cell: the note of a truncated stream is the running cell's; here each write is capped.
                var (current, streams) = (_outputs, new Dictionary<string, StreamBudget>(_streams));
                (_outputs, _streams) = (outputs, new Dictionary<string, StreamBudget>());
                try
                {
                    AppendStream(name, text);
                }
                finally
                {
                    (_outputs, _streams) = (current, streams);
                }
            }
            else
            {
                AppendStream(name, text);
            }

            return true;
        }
    }

    /// <summary>The kernel took a console write of <paramref name="context"/>: that context is the running cell's.</summary>
    public void NoteConsoleContext(int context)
    {
        lock (_gate)
            if (!_contextCells.TryGetValue(context, out var outputs) || !ReferenceEquals(outputs, _outputs))
                _contextCells[context] = _outputs;
    }

    /// <summary>Adds the error output of a failed cell.</summary>
    public void AddError(CommandFailed failed) => AddError(ErrorOutput(failed));

    /// <summary>Adds an error output (see <see cref="ErrorOutput(string, string, string?)"/>) to the current cell.</summary>
    public void AddError(JsonObject error)
    {
        lock (_gate)
            _outputs.Add(error);
    }

    /// <summary>
    /// Ignores every later event, also updates of earlier cells' displays: a cell the run gave up on (timed out,
    /// interrupted) may keep running in the background and must not change the document being saved.
    /// </summary>
    public void Stop()
    {
        lock (_gate)
            _stopped = true;
    }

    /// <summary>Runs <paramref name="read"/> while no event can change the outputs (e.g. to serialize the document).</summary>
    public T WhileHeld<T>(Func<T> read)
    {
        lock (_gate)
            return read();
    }

    /// <summary>
    /// nbformat error output for a failed command: the exception's type and message (the kernel's message when
    /// there is no exception, e.g. a compile error), and the stack trace down to the cell's own frames.
    /// </summary>
    public static JsonObject ErrorOutput(CommandFailed failed)
    {
        if (failed.Exception is not { } exception)
            return ErrorOutput("Error", failed.Message, null);
        var full = exception.ToString();
        var head = $"{exception.GetType().FullName}: {exception.Message}";
        var trace = full.StartsWith(head, StringComparison.Ordinal) ? full[head.Length..] : exception.StackTrace;
        return ErrorOutput(exception.GetType().Name, exception.Message, UserFrames(trace));
    }

    /// <summary>
    /// The trace without the kernel's and Roslyn scripting's own frames, which follow every cell's frames and
    /// say nothing about the student's code (IPython hides its frames the same way).
    /// </summary>
    internal static string? UserFrames(string? trace)
    {
        if (trace is null)
            return null;
        var lines = trace.Split('\n').Select(l => l.TrimEnd('\r'))
            .Where(l => l.Length > 0 &&
                        !l.StartsWith("   at Microsoft.CodeAnalysis.Scripting.", StringComparison.Ordinal) &&
                        !l.StartsWith("   at Microsoft.DotNet.Interactive.", StringComparison.Ordinal))
            .ToList();
        const string asyncSeam = "--- End of stack trace from previous location ---";
        // Seams left next to each other or at the end by the removed frames separate nothing.
        for (var i = lines.Count - 1; i >= 0; i--)
            if (lines[i] == asyncSeam && (i == lines.Count - 1 || lines[i + 1] == asyncSeam))
                lines.RemoveAt(i);
        return lines.Count == 0 ? null : string.Join('\n', lines);
    }

    /// <summary>
    /// nbformat error output. Jupyter front ends (nbconvert, GitHub, VS Code's outline) show only
    /// <c>traceback</c>, so it starts with <c>ename: evalue</c>, as IPython's does, followed by the stack trace.
    /// </summary>
    public static JsonObject ErrorOutput(string ename, string evalue, string? stackTrace)
    {
        var traceback = new JsonArray { $"{ename}: {evalue}" };
        if (!string.IsNullOrWhiteSpace(stackTrace))
            foreach (var line in stackTrace.Split('\n'))
                traceback.Add(line.TrimEnd('\r'));
        return new JsonObject
        {
            ["output_type"] = "error",
            ["ename"] = ename,
            ["evalue"] = evalue,
            ["traceback"] = traceback,
        };
    }

    private string? Display(DisplayEvent displayed)
    {
        var data = ToData(displayed.FormattedValues);
        if (data.Count == 0)
            return null;
        var output = new JsonObject
        {
            ["output_type"] = "display_data",
            ["data"] = data,
            ["metadata"] = new JsonObject(),
        };
        _outputs.Add(output);
        if (displayed.ValueId is { } id)
        {
            _displays[id] = output;
            if (displayed is DisplayedValueProduced)
                _unclaimed.Add(new Unclaimed(id, displayed.Value is null ? null : new WeakReference<object>(displayed.Value), MimeKey(data), output));
        }

        return OneLine(displayed.FormattedValues);
    }

    private string? Update(DisplayedValueUpdated updated)
    {
        var data = ToData(updated.FormattedValues);
        if (updated.ValueId is not { } id)
            return Display(updated);
        if (!_displays.TryGetValue(id, out var output))
        {
            var claimed = _unclaimed.FindLast(u => updated.Value is { } value && value is not string && !value.GetType().IsValueType &&
                                                   u.Value is not null && u.Value.TryGetTarget(out var shown) && ReferenceEquals(shown, value))
                          ?? _unclaimed.FindLast(u => u.MimeKey == MimeKey(data));
            if (claimed is null)
                return Display(updated);
            _unclaimed.Remove(claimed);
            output = claimed.Output;
            _displays[id] = output;
        }
        else
        {
            _unclaimed.RemoveAll(u => u.Id == id);
        }

        output["data"] = data;
        return OneLine(updated.FormattedValues);
    }

    private static string MimeKey(JsonObject data) => string.Join(',', data.Select(d => d.Key).Order(StringComparer.Ordinal));

    /// <summary>
    /// A display of the running cell that no update has claimed yet. The value is held weakly: the collector must
    /// not keep a cell's objects (matrices, charts) alive for the rest of the run.
    /// </summary>
    private sealed record Unclaimed(string Id, WeakReference<object>? Value, string MimeKey, JsonObject Output);

    /// <summary>How much of one stream the running cell has kept, and the note that says how much was dropped.</summary>
    private sealed class StreamBudget
    {
        public long Kept;
        public long Dropped;
        public JsonArray? NoteLines;
        public int NoteIndex;
    }

    private void AppendStream(string name, string text)
    {
        if (text.Length == 0)
            return;
        if (!_streams.TryGetValue(name, out var budget))
            _streams[name] = budget = new StreamBudget();
        if (budget.NoteLines is { } noteLines)
        {
            budget.Dropped += text.Length;
            noteLines[budget.NoteIndex] = OutputLimits.StreamNote(name, budget.Dropped);
            return;
        }

        var room = OutputLimits.StreamChars - budget.Kept;
        var truncated = text.Length > room;
        var kept = truncated ? text[..(int)room] : text;
        budget.Kept += kept.Length;
        StreamKept?.Invoke(name, kept);

        JsonArray lines;
        if (_outputs.Count > 0 && _outputs[^1] is JsonObject last &&
            last["output_type"]?.GetValue<string>() == "stream" && last["name"]?.GetValue<string>() == name &&
            last["text"] is JsonArray existing)
        {
            // Only the unfinished last line is joined with the new text: appending stays linear in what is written.
            lines = existing;
            if (lines.Count > 0 && lines[^1]?.GetValue<string>() is { } tail && !tail.EndsWith('\n'))
            {
                lines.RemoveAt(lines.Count - 1);
                kept = tail + kept;
            }
        }
        else
        {
            lines = [];
            _outputs.Add(new JsonObject
            {
                ["output_type"] = "stream",
                ["name"] = name,
                ["text"] = lines,
            });
        }

        AddLines(lines, kept);
        if (truncated)
        {
            budget.Dropped = text.Length - (long)room;
            budget.NoteLines = lines;
            budget.NoteIndex = lines.Count;
            lines.Add(OutputLimits.StreamNote(name, budget.Dropped));
        }
    }

    /// <summary>Adds text as nbformat lines, each keeping its newline.</summary>
    private static void AddLines(JsonArray lines, string text)
    {
        var start = 0;
        for (var i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', start))
        {
            lines.Add(text[start..(i + 1)]);
            start = i + 1;
        }

        if (start < text.Length)
            lines.Add(text[start..]);
    }

    private static string PlainText(DisplayEvent e) =>
        e.FormattedValues.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType)?.Value
        ?? e.Value?.ToString() ?? "";

    /// <summary>The nbformat <c>data</c> bundle: mime type → value (lines for text, raw JSON for JSON types).</summary>
    private static JsonObject ToData(IEnumerable<FormattedValue> values)
    {
        var data = new JsonObject();
        foreach (var value in values.Where(v => !v.SuppressDisplay))
        {
            if (value.Value.Length > OutputLimits.DataChars)
            {
                data["text/plain"] = OutputLimits.DataNote(value.MimeType, value.Value.Length);
                continue;
            }

            if (data.ContainsKey("text/plain") && value.MimeType == "text/plain" && data["text/plain"]!.GetValueKind() == System.Text.Json.JsonValueKind.String)
                continue; // a note about a left-out value wins over the value's own text

            data[value.MimeType] = value.MimeType == "application/json" || value.MimeType.EndsWith("+json", StringComparison.Ordinal)
                ? TryParseJson(value.Value)
                : value.MimeType.StartsWith("image/", StringComparison.Ordinal) && value.MimeType != "image/svg+xml"
                    ? value.Value
                    : IpynbNotebook.SplitLines(value.Value);
        }

        return data;
    }

    private static JsonNode? TryParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return text;
        }
    }

    private static string OneLine(IEnumerable<FormattedValue> values)
    {
        var list = values.ToList();
        var text = list.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType)?.Value
                   ?? HtmlText.StripTags(list.FirstOrDefault(v => v.MimeType == HtmlFormatter.MimeType)?.Value ?? "");
        return string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
