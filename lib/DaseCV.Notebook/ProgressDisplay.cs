using System.Diagnostics;
using System.Globalization;
using DaseCV.Data;

namespace DaseCV.Notebook;

/// <summary>One line of progress (count, bar, percent, elapsed time, detail) that is updated in place.</summary>
/// <remarks>
/// In the notebook it is one <c>DisplayedValue</c> whose text is replaced on every update, so a 42-run tuning grid
/// or a 162 MB download leaves one output, not one line per step. <see cref="Report(long, long, string?)"/> may be
/// called from several threads at once (the tuning cell's <c>Parallel.ForEach</c>); updates are throttled, the final
/// one always shows and replaces the bar with a summary (<c>tuning: 42/42 done in 58 s</c>), so that what stays above
/// a cell's results reads as a finished step, not as one more result. As an <see cref="IProgress{T}"/> of <see cref="DownloadProgress"/> it shows
/// <see cref="Cifar10.EnsureDownloaded(string, string?, string?, IProgress{DownloadProgress}?, CancellationToken)"/>.
/// </remarks>
public sealed class ProgressDisplay : IProgress<DownloadProgress>
{
    private const int BarWidth = 24;
    private readonly string _title;
    private readonly Action<string> _show;
    private readonly TimeSpan _minInterval;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private TimeSpan? _lastShown;
    private double _lastFraction = -1;

    /// <summary>Creates a display that hands each rendered line to <paramref name="show"/>.</summary>
    /// <param name="title">What is progressing, e.g. "tuning".</param>
    /// <param name="show">Receives every rendered line; called under a lock, one call at a time. Nothing is shown before the first report.</param>
    /// <param name="minInterval">Least time between two shown updates (the final update always shows); default 0.25 s.</param>
    public ProgressDisplay(string title, Action<string> show, TimeSpan? minInterval = null)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(show);
        _title = title;
        _show = show;
        _minInterval = minInterval ?? TimeSpan.FromSeconds(0.25);
    }

    /// <summary>Shows a progress line in the running notebook cell and returns the display that updates it.</summary>
    /// <exception cref="InvalidOperationException">Not running in a .NET Interactive kernel (it creates a <c>DisplayedValue</c>).</exception>
    public static ProgressDisplay InNotebook(string title) => new(title, KernelDisplay.ShowUpdatable());

    /// <summary>Reports that <paramref name="done"/> of <paramref name="total"/> steps are complete.</summary>
    /// <param name="done">Completed steps, 0 ≤ done ≤ total.</param>
    /// <param name="total">All steps, at least 1.</param>
    /// <param name="detail">Optional text after the bar (the step just finished, a rate, …).</param>
    public void Report(long done, long total, string? detail = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(total, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(done);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(done, total);
        Update(done, total, detail, showCount: true);
    }

    /// <summary>
    /// This display as the <see cref="IProgress{T}"/> of a count that the library reports (iterations of
    /// <c>TwoLayerNet.Train</c>, images of <c>Features.ExtractFeatures</c>): <c>net.Train(…, progress: bar.Steps(numIters))</c>.
    /// </summary>
    /// <param name="total">The count at the end, at least 1.</param>
    public IProgress<int> Steps(int total)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(total, 1);
        return new StepCounter(this, total);
    }

    private sealed class StepCounter(ProgressDisplay display, int total) : IProgress<int>
    {
        public void Report(int value) => display.Report(Math.Clamp(value, 0, total), total);
    }

    /// <summary>Shows a download's progress: a bar when the size is known, then the download's own summary line.</summary>
    /// <param name="value">Bytes so far, size, rate and time left, as the download reports them.</param>
    public void Report(DownloadProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.TotalBytes is long total && total > 0)
            Update(Math.Clamp(value.BytesReceived, 0, total), total, value.ToString(), showCount: false);
        else
            Update(0, 0, value.ToString(), showCount: false);
    }

    // total = 0: size unknown, no bar.
    private void Update(long done, long total, string? detail, bool showCount)
    {
        lock (_gate)
        {
            var now = _clock.Elapsed;
            double fraction = total > 0 ? (double)done / total : 0;
            bool final = total > 0 && done == total;
            // Threads finish out of order; never move the bar backwards, and skip updates that come too fast.
            if (fraction < _lastFraction || (!final && _lastShown is { } last && now - last < _minInterval)) return;
            _lastShown = now;
            _lastFraction = fraction;
            _show(final ? RenderDone(_title, done, total, now, showCount) : Render(_title, done, total, now, detail, showCount));
        }
    }

    /// <summary>
    /// Renders the last line, e.g. <c>tuning: 42/42 done in 58 s</c>, or <c>CIFAR-10: 162.2 MB downloaded in 1 min 05 s</c>
    /// for a download (<paramref name="showCount"/> false: <paramref name="total"/> is a number of bytes).
    /// </summary>
    internal static string RenderDone(string title, long done, long total, TimeSpan elapsed, bool showCount = true)
    {
        string amount = showCount
            ? $"{done.ToString(CultureInfo.InvariantCulture)}/{total.ToString(CultureInfo.InvariantCulture)}"
            : (total / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
        return $"{title}: {amount} {(showCount ? "done" : "downloaded")} in {Duration(elapsed)}";
    }

    // "58 s", "1 min 05 s", "1 h 02 min": a duration to read, not a clock.
    private static string Duration(TimeSpan elapsed)
    {
        long seconds = (long)Math.Round(elapsed.TotalSeconds);
        if (seconds < 60) return $"{seconds} s";
        if (seconds < 3600) return $"{seconds / 60} min {seconds % 60:00} s";
        return $"{seconds / 3600} h {seconds % 3600 / 60:00} min";
    }

    /// <summary>
    /// Renders one line, e.g. <c>tuning 17/42 [#########...............]  40%  0:12  lr …</c>; without the count
    /// and percent when <paramref name="showCount"/> is false, and without the bar when <paramref name="total"/> is 0.
    /// </summary>
    internal static string Render(string title, long done, long total, TimeSpan elapsed, string? detail, bool showCount = true)
    {
        string time = elapsed.ToString(elapsed.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
        var line = title;
        if (total > 0)
        {
            int filled = (int)(BarWidth * done / total);
            var bar = "[" + new string('#', filled) + new string('.', BarWidth - filled) + "]";
            if (showCount)
            {
                string width = total.ToString(CultureInfo.InvariantCulture);
                string count = done.ToString(CultureInfo.InvariantCulture).PadLeft(width.Length);
                string percent = ((int)(100 * done / total)).ToString(CultureInfo.InvariantCulture).PadLeft(3);
                line += $" {count}/{width} {bar} {percent}%";
            }
            else line += " " + bar;
        }
        line += "  " + time;
        return string.IsNullOrEmpty(detail) ? line : $"{line}  {detail}";
    }
}
