using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DaseCV.Runner.Tests.Browser;

/// <summary>
/// What the page reported after loading: charts drawn, images loaded, errors and network requests, folded
/// sections (how many were open, and how many cells inside them a reader can see).
/// </summary>
/// <param name="Ran">Markers that notebook scripts set when they run (<c>data-ran</c> on &lt;html&gt;); empty when none ran.</param>
/// <param name="Blocked">Content-Security-Policy violations the page reported (directive: blocked URI).</param>
/// <param name="Location">The page's address when the probe reported (a meta refresh would have changed it).</param>
/// <param name="BaseUri">document.baseURI (a &lt;base href&gt; would have changed it).</param>
/// <param name="HeaderVisible">The grading header is shown (a notebook style block could hide it).</param>
/// <param name="Received">Requests that reached the loopback proxy: every request the page sent off the machine.</param>
internal sealed record PageReport(int Charts, int ChartsDrawn, int Images, int ImagesLoaded, string[] Errors, string[] Requests,
                                  int Folded = 0, int FoldedOpen = 0, int FoldedCellsVisible = 0,
                                  string[]? Ran = null, string[]? Blocked = null, string Location = "", string BaseUri = "",
                                  bool HeaderVisible = false, string[]? Received = null)
{
    public override string ToString() =>
        $"charts drawn {ChartsDrawn}/{Charts}, images loaded {ImagesLoaded}/{Images}, folded {Folded} ({FoldedOpen} open), " +
        $"errors: [{string.Join("; ", Errors)}], requests: [{string.Join(", ", Requests)}], ran: [{string.Join(", ", Ran ?? [])}], " +
        $"blocked: [{string.Join(", ", Blocked ?? [])}], received: [{string.Join(", ", Received ?? [])}], location {Location}, base {BaseUri}";
}

/// <summary>
/// Headless Chromium (Debian's <c>chromium</c>) with the network cut off: every request, loopback included, goes to
/// a proxy on 127.0.0.1 that this class runs and that answers nothing, and no host name resolves. What reaches the
/// proxy is reported (<see cref="PageReport.Received"/>), so a page that calls home is seen, not only failed.
/// </summary>
internal static partial class Chromium
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private static readonly string[] Candidates = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

    /// <summary>The browser executable: $CHROMIUM, else the first candidate on PATH, else null.</summary>
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } configured && File.Exists(configured))
            return configured;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return Candidates
            .SelectMany(name => path.Split(Path.PathSeparator).Select(dir => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Opens a copy of <paramref name="htmlPath"/> with a probe script and returns the probe's report.</summary>
    public static async Task<PageReport> InspectAsync(string browser, string htmlPath)
    {
        var html = await File.ReadAllTextAsync(htmlPath);
        var probed = Path.Combine(Path.GetDirectoryName(htmlPath)!, Path.GetFileNameWithoutExtension(htmlPath) + ".probe.html");
        var headAt = html.IndexOf("<head>", StringComparison.Ordinal) + "<head>".Length;
        await File.WriteAllTextAsync(probed, html.Insert(headAt, "\n<script>" + Probe + "</script>\n"));
        try
        {
            using var proxy = new LoopbackProxy();
            var dom = await RunAsync(browser, proxy.Port, "--dump-dom", "--virtual-time-budget=15000", new Uri(probed).AbsoluteUri);
            var match = ReportElement().Match(dom);
            if (!match.Success)
                throw new InvalidOperationException($"The probe wrote no report; the page may not have loaded. DOM starts: {dom[..Math.Min(dom.Length, 500)]}");
            var report = JsonSerializer.Deserialize<PageReport>(WebUtility.HtmlDecode(match.Groups[1].Value), WebJson)!;
            return report with { Received = proxy.Received };
        }
        finally
        {
            File.Delete(probed);
        }
    }

    /// <summary>Saves a screenshot (1200 px wide, the top <paramref name="height"/> px) of <paramref name="htmlPath"/>.</summary>
    public static async Task ScreenshotAsync(string browser, string htmlPath, string pngPath, int height = 3000)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(pngPath)!);
        using var proxy = new LoopbackProxy();
        await RunAsync(browser, proxy.Port, $"--screenshot={pngPath}", $"--window-size=1200,{height}", "--hide-scrollbars",
                       "--virtual-time-budget=10000", new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri);
    }

    /// <summary>Prints <paramref name="htmlPath"/> to <paramref name="pdfPath"/> as a reader would (print media, no browser header or footer).</summary>
    /// <param name="windowWidth">Width of the window the page was laid out in before printing (a reader's screen).</param>
    public static async Task PrintToPdfAsync(string browser, string htmlPath, string pdfPath, int windowWidth = 1200)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(pdfPath)!);
        File.Delete(pdfPath);
        using var proxy = new LoopbackProxy();
        // A real-time limit, not --virtual-time-budget: Chromium 156.0.8078.129 never finishes printing the notebook's
        // page under a virtual-time budget (plotly's animation frames), and prints it in seconds with --timeout.
        await RunAsync(browser, proxy.Port, $"--print-to-pdf={pdfPath}", "--no-pdf-header-footer", $"--window-size={windowWidth},1000",
                       "--timeout=10000", new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri);
    }

    /// <summary>The /MediaBox of every page of a PDF Chromium wrote (it writes them uncompressed), in points.</summary>
    public static IReadOnlyList<(double Width, double Height)> PageSizes(string pdfPath)
    {
        var text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(pdfPath));
        return MediaBox().Matches(text)
            .Select(m => (double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                           double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
    }

    [GeneratedRegex(@"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]")]
    private static partial Regex MediaBox();

    private static async Task<string> RunAsync(string browser, int proxyPort, params string[] args)
    {
        var profile = Path.Combine(Path.GetTempPath(), "dasecv-chromium-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo(browser) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var flag in (string[])[
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     $"--user-data-dir={profile}",
                     // No network: every request goes to the listening proxy, which answers nothing; no name resolves.
                     $"--proxy-server=http://127.0.0.1:{proxyPort}", "--proxy-bypass-list=<-loopback>", "--host-resolver-rules=MAP * ~NOTFOUND",
                     .. args])
            start.ArgumentList.Add(flag);
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{browser} exited with {process.ExitCode}: {await stderr}");
            return await stdout;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    [GeneratedRegex("<pre id=\"browser-check\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex ReportElement();

    // Runs first in <head>: records console errors, script errors and failed loads, then (after charts had time to
    // draw) counts chart outputs, charts with plotly's SVG, images and loaded images, and every network request.
    private const string Probe = """
        (function () {
          var errors = [];
          var originalError = console.error;
          console.error = function () { errors.push('console.error: ' + Array.prototype.map.call(arguments, String).join(' ')); originalError.apply(console, arguments); };
          window.addEventListener('error', function (e) {
            var target = e.target;
            if (target && target !== window && (target.src || target.href)) errors.push('failed to load ' + (target.src || target.href));
            else errors.push('uncaught: ' + e.message);
          }, true);
          window.addEventListener('unhandledrejection', function (e) { errors.push('unhandled rejection: ' + e.reason); });
          var blocked = [];
          document.addEventListener('securitypolicyviolation', function (e) { blocked.push(e.effectiveDirective + ': ' + (e.blockedURI || 'inline')); });
          window.addEventListener('load', function () {
            setTimeout(function () {
              var chartOutputs = Array.prototype.slice.call(document.querySelectorAll('.plotly-chart'));
              var drawn = chartOutputs.filter(function (o) { return o.querySelector('svg.main-svg'); });
              var ran = (document.documentElement.getAttribute('data-ran') || '').split(' ').filter(function (r) { return r; });
              var header = document.querySelector('.nb-header');
              var images = Array.prototype.slice.call(document.images);
              var loaded = images.filter(function (i) { return i.complete && i.naturalWidth > 0; });
              var requests = performance.getEntriesByType('resource').map(function (r) { return r.name; })
                .filter(function (n) { return !/^(data|file|blob|about):/.test(n); });
              var folded = Array.prototype.slice.call(document.querySelectorAll('details.folded'));
              var foldedVisible = folded.reduce(function (sum, d) {
                return sum + Array.prototype.filter.call(d.querySelectorAll('section'), function (e) { return e.checkVisibility(); }).length;
              }, 0);
              var report = { charts: chartOutputs.length, chartsDrawn: drawn.length, images: images.length,
                             imagesLoaded: loaded.length, errors: errors, requests: requests,
                             folded: folded.length, foldedOpen: folded.filter(function (d) { return d.open; }).length,
                             foldedCellsVisible: foldedVisible, ran: ran, blocked: blocked, location: location.href,
                             baseUri: document.baseURI, headerVisible: !!header && header.checkVisibility() && header.getBoundingClientRect().height > 20 };
              var pre = document.createElement('pre');
              pre.id = 'browser-check';
              pre.textContent = JSON.stringify(report);
              document.body.appendChild(pre);
            }, 2000);
          });
        })();
        """;

    /// <summary>A TCP listener on loopback that records the first line of each request (CONNECT host:443, GET http://…) and closes.</summary>
    private sealed class LoopbackProxy : IDisposable
    {
        private readonly System.Net.Sockets.TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _received = new();
        private readonly CancellationTokenSource _stop = new();

        public LoopbackProxy()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public string[] Received => [.. _received];

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    using var reader = new StreamReader(client.GetStream());
                    var line = await reader.ReadLineAsync(_stop.Token).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
                    _received.Enqueue(line ?? "(connection without a request line)");
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException or TimeoutException
                                          or System.Net.Sockets.SocketException)
            {
                // Stopped, or a client that hung up; what arrived so far is recorded.
                if (!_stop.IsCancellationRequested)
                    _received.Enqueue("(a connection that sent nothing readable)");
                if (!_stop.IsCancellationRequested)
                    _ = AcceptAsync();
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }
}
