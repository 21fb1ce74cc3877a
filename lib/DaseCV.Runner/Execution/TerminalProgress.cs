using System.Diagnostics;
using System.Globalization;
using DaseCV.Data;
using DaseCV.Runner.Text;

namespace DaseCV.Runner.Execution;

/// <summary>
/// Live progress on the runner's own terminal: cell k of n, elapsed time and the cell's latest display
/// (e.g. a training progress bar). On a terminal one status line is redrawn; when the output is redirected
/// (CI logs) lines are printed instead, display changes at most every <see cref="LogInterval"/>.
/// </summary>
internal sealed class TerminalProgress : IDisposable
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private readonly TextWriter _writer;
    private readonly bool _redraw;
    private readonly Lock _gate = new();
    private readonly Stopwatch _cellClock = new();
    private readonly Timer? _timer;
    private string _prefix = "";
    private string _display = "";
    private TimeSpan _lastLogged;
    private bool _statusDrawn;

    /// <param name="writer">The real terminal; not Console.Out, which the kernel captures during a cell.</param>
    /// <param name="redraw">True on an interactive terminal.</param>
    public TerminalProgress(TextWriter writer, bool redraw)
    {
        _writer = writer;
        _redraw = redraw;
        if (redraw)
            _timer = new Timer(_ => Redraw(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>A progress reporter for the process's standard output.</summary>
    public static TerminalProgress ForConsole() =>
        new(new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true }, !Console.IsOutputRedirected);

    /// <param name="k">1-based position among the code cells to run.</param>
    /// <param name="n">Number of code cells to run.</param>
    /// <param name="cellLabel">The cell as the user numbers it, e.g. "cell 7".</param>
    /// <param name="source">The cell's code; its first line is shown.</param>
    public void StartCell(int k, int n, string cellLabel, string source)
    {
        lock (_gate)
        {
            _prefix = $"[{k}/{n}] {cellLabel}";
            _display = FirstLine(source);
            _cellClock.Restart();
            _lastLogged = -LogInterval; // the first display of a cell is logged at once
            if (_redraw)
                DrawStatus();
            else
                _writer.WriteLine($"{_prefix}: {_display}");
        }
    }

    /// <summary>The cell showed or updated a display; <paramref name="text"/> is its one-line text.</summary>
    public void Display(string text)
    {
        lock (_gate)
        {
            _display = text;
            if (_redraw)
                DrawStatus();
            else if (_cellClock.Elapsed - _lastLogged >= LogInterval)
            {
                _lastLogged = _cellClock.Elapsed;
                _writer.WriteLine($"{_prefix} {Durations.Format(_cellClock.Elapsed)}  {Feedback.Clip(text, 160)}");
            }
        }
    }

    public void EndCell(bool succeeded)
    {
        lock (_gate)
        {
            var line = $"{_prefix} {(succeeded ? "done" : "FAILED")} in {Durations.Format(_cellClock.Elapsed)}";
            _cellClock.Stop();
            if (_redraw)
                _writer.Write("\r\u001b[2K");
            _writer.WriteLine(line);
            _prefix = "";
        }
    }

    public void Line(string text)
    {
        lock (_gate)
            _writer.WriteLine(text);
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _writer.Flush();
    }

    private void Redraw()
    {
        lock (_gate)
            if (_prefix.Length > 0)
                DrawStatus();
    }

    private void DrawStatus()
    {
        var width = Console.IsOutputRedirected ? 120 : Math.Max(40, Console.WindowWidth);
        var text = $"{_prefix} {Durations.Format(_cellClock.Elapsed)}  {_display}";
        _writer.Write("\r\u001b[2K" + Feedback.Clip(text, width - 1));
    }

    private static string FirstLine(string source) =>
        Feedback.Clip(source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "(empty)", 100);

    /// <summary>
    /// A download's progress on the same terminal: on a terminal one line redrawn in place
    /// (<c>[#####-----] 45.2 % · …</c>); when output is redirected, a line per 10 % so logs stay short.
    /// </summary>
    public IProgress<DownloadProgress> Download() => new DownloadBar(this);

    /// <summary>Ends a line drawn in place (a download's bar), if one was drawn.</summary>
    public void EndStatus()
    {
        lock (_gate)
        {
            if (_redraw && _statusDrawn)
                _writer.WriteLine();
            _statusDrawn = false;
        }
    }

    /// <summary>A download's bar: 30 characters, then the progress as <see cref="DownloadProgress"/> says it.</summary>
    internal static string Bar(DownloadProgress value)
    {
        const int width = 30;
        if (value.Percent is not double percent)
            return value.ToString();
        int filled = (int)Math.Round(percent / 100 * width, MidpointRounding.ToZero);
        return string.Create(CultureInfo.InvariantCulture, $"[{new string('#', filled)}{new string('-', width - filled)}] {value}");
    }

    private sealed class DownloadBar(TerminalProgress owner) : IProgress<DownloadProgress>
    {
        private int _lastDecile = -1;

        public void Report(DownloadProgress value)
        {
            var line = Bar(value);
            lock (owner._gate)
            {
                if (owner._redraw)
                {
                    owner._writer.Write("\r\u001b[2K" + line);
                    owner._statusDrawn = true;
                }
                else if ((int)((value.Percent ?? 0) / 10) is var decile && decile > _lastDecile)
                {
                    _lastDecile = decile;
                    owner._writer.WriteLine(line);
                }

                owner._writer.Flush();
            }
        }
    }
}
