using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace DaseCV.Data;

/// <summary>How hard <see cref="ArchiveDownload"/> tries; tests shorten the waits and may supply a handler.</summary>
/// <param name="MaxAttempts">Attempts in all, the first included.</param>
/// <param name="FirstBackoff">Wait before the first retry; doubled before each further one.</param>
/// <param name="StallTimeout">A read that brings no data for this long counts as a dropped connection.</param>
/// <param name="MaxOtherArchiveBytes">The most a download of another archive than the official one (named by its MD5)
/// may bring: a server that announces no size and never stops must not fill the disk.</param>
internal sealed record DownloadOptions(int MaxAttempts, TimeSpan FirstBackoff, TimeSpan StallTimeout,
    long MaxOtherArchiveBytes = DownloadOptions.DefaultMaxOtherArchiveBytes)
{
    /// <summary>1 GiB: six times the CIFAR-10 archives (162–163 MB), far below a disk.</summary>
    public const long DefaultMaxOtherArchiveBytes = 1L << 30;

    /// <summary>4 attempts, waiting 1, 2 and 4 s between them; 60 s without data is a stall.</summary>
    public static DownloadOptions Default { get; } = new(4, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
}

/// <summary>
/// Downloads a file over HTTP into <c>target.partial</c>, resuming with a Range request where the server allows it and
/// retrying transient failures with exponential backoff. The partial file keeps its suffix until every announced byte
/// has arrived, so it is never taken for a complete one. The file never grows past the expected size (or, for an
/// archive of unknown size, <see cref="DownloadOptions.MaxOtherArchiveBytes"/>), announced or not.
/// </summary>
internal sealed class ArchiveDownload(Uri url, string partialPath, long? expectedSize, DownloadOptions options,
    IProgress<DownloadProgress>? progress)
{
    /// <summary>The most bytes the file may have: the expected size, else the stated maximum.</summary>
    private readonly long _cap = expectedSize ?? options.MaxOtherArchiveBytes;

    private const int BufferSize = 1 << 16;
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Downloads until the partial file is complete.</summary>
    /// <exception cref="IOException">The download failed for good; the message says how, the inner exception why.</exception>
    public void Run(CancellationToken cancellationToken) =>
        // Task.Run: blocking on async code from a thread with a synchronization context (a notebook cell) could deadlock.
        Task.Run(() => RunAsync(cancellationToken), cancellationToken).GetAwaiter().GetResult();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("DaseCV/1.0");
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await DownloadOnceAsync(client, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (IsTransient(e, cancellationToken) && attempt < options.MaxAttempts)
            {
                var wait = options.FirstBackoff * Math.Pow(2, attempt - 1);
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException
                                      && !cancellationToken.IsCancellationRequested)
            {
                if (e is WrongSizeException { DeletePartial: true }) File.Delete(partialPath);
                long kept = File.Exists(partialPath) ? new FileInfo(partialPath).Length : 0;
                string tries = IsTransient(e, cancellationToken) ? $" (after {attempt} attempts)" : "";
                string keptNote = kept > 0
                    ? $"; the {Cifar10Batch.N(kept)} bytes received so far are kept in {partialPath} and the next run resumes from there"
                    : "";
                throw new IOException($"downloading {url} failed{tries}: {Describe(e)}{keptNote}", e);
            }
        }
    }

    private async Task DownloadOnceAsync(HttpClient client, CancellationToken cancellationToken)
    {
        long existing = File.Exists(partialPath) ? new FileInfo(partialPath).Length : 0;
        if (existing > _cap)
        {
            // Left by a version without the cap: it cannot be the archive, so start again.
            File.Delete(partialPath);
            existing = 0;
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (existing > 0) request.Headers.Range = new RangeHeaderValue(existing, null);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);

        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && existing > 0)
        {
            // The partial file is as long as the whole file or longer: keep it only if the server says it is complete.
            if (response.Content.Headers.ContentRange?.Length == existing) return;
            File.Delete(partialPath);
            throw new IOException($"the server refused to resume at byte {Cifar10Batch.N(existing)}; starting again");
        }
        response.EnsureSuccessStatusCode();

        var range = response.Content.Headers.ContentRange;
        bool resuming = existing > 0 && response.StatusCode == HttpStatusCode.PartialContent && range?.From == existing;
        if (!resuming) existing = 0;
        long? total = resuming ? range!.Length : response.Content.Headers.ContentLength;
        if (expectedSize is long expected && total is long announced && announced != expected)
            throw new WrongSizeException(
                $"the server announces {Cifar10Batch.N(announced)} bytes, but the official archive is {Cifar10Batch.N(expected)} bytes");
        if (total is long big && big > _cap)
            throw new WrongSizeException(
                $"the server announces {Cifar10Batch.N(big)} bytes, more than {Cifar10Batch.N(_cap)} bytes, {CapReason}");

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var file = new FileStream(partialPath, resuming ? FileMode.Append : FileMode.Create, FileAccess.Write,
            FileShare.None, BufferSize, useAsync: true);
        var buffer = new byte[BufferSize];
        long received = existing;
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            stall.CancelAfter(options.StallTimeout);
            int n;
            try
            {
                n = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"no data arrived for {options.StallTimeout.TotalSeconds:0} s");
            }
            if (n == 0) break;
            if (received + n > _cap)
                throw new WrongSizeException(
                    $"the server sent more than {Cifar10Batch.N(_cap)} bytes{(total is null ? " without announcing a size" : "")}, " +
                    $"{CapReason}; the transfer was stopped and the partial file deleted") { DeletePartial = true };
            await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            received += n;
            if (clock.Elapsed - lastReport >= ReportInterval)
            {
                lastReport = clock.Elapsed;
                Report(received, existing, total, clock.Elapsed);
            }
        }
        await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        Report(received, existing, total, clock.Elapsed);
        if (total is long whole && received != whole)
            throw new IOException($"the transfer ended after {Cifar10Batch.N(received)} of the {Cifar10Batch.N(whole)} announced bytes");
    }

    private void Report(long received, long resumedFrom, long? total, TimeSpan elapsed)
    {
        if (progress is null) return;
        double rate = elapsed.TotalSeconds > 0 ? (received - resumedFrom) / elapsed.TotalSeconds : 0;
        TimeSpan? left = total is long t && rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, t - received) / rate) : null;
        progress.Report(new DownloadProgress(received, total, rate, left));
    }

    /// <summary>Network errors, 5xx, 408 and 429, dropped or stalled transfers: worth another try.</summary>
    private static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        WrongSizeException => false,
        HttpRequestException { StatusCode: null } => true,
        HttpRequestException { StatusCode: var code } =>
            (int)code! >= 500 || code == HttpStatusCode.RequestTimeout || code == HttpStatusCode.TooManyRequests,
        IOException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private static string Describe(Exception e) => e switch
    {
        HttpRequestException { StatusCode: HttpStatusCode code } => $"HTTP {(int)code} ({code})",
        HttpRequestException h => h.InnerException?.Message ?? h.Message,
        _ => e.Message,
    };

    /// <summary>Why the cap is what it is, for messages.</summary>
    private string CapReason => expectedSize is null
        ? "the most accepted for an archive named by its MD5 (a CIFAR-10 archive is about 163 MB)"
        : "the size of the official archive";

    /// <summary>The server offers a file of the wrong size: retrying cannot help.</summary>
    private sealed class WrongSizeException(string message) : IOException(message)
    {
        /// <summary>The partial file holds bytes past the cap: resuming from it could never succeed.</summary>
        public bool DeletePartial { get; init; }
    }
}
