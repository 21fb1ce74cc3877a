using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DaseCV.Runner.Execution;

/// <summary>
/// What the kernel process tells the runner process that started it, one JSON object a line in a file: a cell
/// started, its stream text so far, the notebook saved, the run ended with an exit code. The file survives any
/// end of the kernel process (stack overflow, <c>Environment.FailFast</c>, SIGKILL), so the runner reads it after
/// the kernel exits and knows which cell was running and whether the kernel wrote both files itself.
/// </summary>
internal sealed class RunJournal : IDisposable
{
    /// <summary>Stream text kept per cell for the runner (as much as a cell's output keeps; see <see cref="OutputLimits"/>).</summary>
    private const int MaxStreamChars = OutputLimits.StreamChars;

    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();
    private int _streamChars;

    private RunJournal(string path)
    {
        // Flushed after every line: written to the OS at once, it outlives the process whatever ends it.
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false))
        {
            AutoFlush = true,
        };
    }

    /// <summary>The journal at <paramref name="path"/> (made by the runner process), for this kernel process to write.</summary>
    public static RunJournal Open(string path) => new(path);

    /// <param name="index">The cell's position in the notebook's cells (ids may not survive: they can be new this run).</param>
    /// <param name="executionCount">Its execution count this run.</param>
    /// <param name="label">How messages name it, e.g. "cell 7".</param>
    public void CellStarted(int index, int executionCount, string label)
    {
        lock (_gate)
            _streamChars = 0;
        Write(new JsonObject { ["event"] = "start", ["index"] = index, ["count"] = executionCount, ["label"] = label });
    }

    public void Stream(string name, string text)
    {
        lock (_gate)
        {
            var room = MaxStreamChars - _streamChars;
            if (room <= 0)
                return;
            if (text.Length > room)
                text = text[..room];
            _streamChars += text.Length;
        }

        Write(new JsonObject { ["event"] = "stream", ["name"] = name, ["text"] = text });
    }

    public void Saved() => Write(new JsonObject { ["event"] = "saved" });

    /// <summary>The kernel process wrote both files (or reported why not) and exits with <paramref name="exitCode"/>.</summary>
    public void Ended(int exitCode) => Write(new JsonObject { ["event"] = "end", ["exit"] = exitCode });

    private void Write(JsonObject entry)
    {
        var line = entry.ToJsonString();
        lock (_gate)
        {
            try
            {
                _writer.WriteLine(line);
            }
            catch (IOException)
            {
                // The journal only helps the runner after a crash; a failed write must not fail the run.
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
            _writer.Dispose();
    }

    /// <summary>
    /// Whether the journal's last line is the end (the kernel process wrote both files), read from its tail so that
    /// the runner can ask while the run goes on.
    /// </summary>
    public static bool HasEnded(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var tail = new byte[Math.Min(file.Length, 256)];
            file.Seek(-tail.Length, SeekOrigin.End);
            file.ReadExactly(tail);
            var text = Encoding.UTF8.GetString(tail).TrimEnd('\n');
            return JsonNode.Parse(text[(text.LastIndexOf('\n') + 1)..]) is JsonObject entry && entry["event"]?.GetValue<string>() == "end";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            return false;  // no journal yet, a line cut short or a stream's tail: not the end
        }
    }

    /// <summary>What the runner process reads back from a journal after the kernel process exited.</summary>
    /// <param name="Ended">The exit code the kernel process reported after writing both files; null if it never got there.</param>
    /// <param name="Current">The last cell that started (index among the cells, execution count, label), or null.</param>
    /// <param name="Saved">Whether the kernel process saved the notebook at least once (after a finished cell).</param>
    /// <param name="CurrentFinished">Whether the notebook was saved after <paramref name="Current"/> finished.</param>
    /// <param name="Streams">The current cell's stream text in order (name, text).</param>
    public sealed record Contents(
        int? Ended, (int Index, int Count, string Label)? Current, bool Saved, bool CurrentFinished,
        IReadOnlyList<(string Name, string Text)> Streams);

    /// <summary>Reads a journal; a line cut short by the end of the process is ignored.</summary>
    public static Contents Read(string path)
    {
        int? ended = null;
        (int, int, string)? current = null;
        var saved = false;
        var finished = false;
        var streams = new List<(string, string)>();
        IEnumerable<string> lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lines = [];
        }

        foreach (var line in lines)
        {
            JsonObject? entry;
            try
            {
                entry = JsonNode.Parse(line) as JsonObject;
            }
            catch (JsonException)
            {
                continue;
            }

            switch (entry?["event"]?.GetValue<string>())
            {
                case "start":
                    current = (entry["index"]!.GetValue<int>(), entry["count"]!.GetValue<int>(), entry["label"]!.GetValue<string>());
                    finished = false;
                    streams.Clear();
                    break;
                case "stream":
                    streams.Add((entry["name"]!.GetValue<string>(), entry["text"]!.GetValue<string>()));
                    break;
                case "saved":
                    saved = true;
                    finished = current is not null;
                    break;
                case "end":
                    ended = entry["exit"]!.GetValue<int>();
                    break;
            }
        }

        return new Contents(ended, current, saved, finished, streams);
    }
}
