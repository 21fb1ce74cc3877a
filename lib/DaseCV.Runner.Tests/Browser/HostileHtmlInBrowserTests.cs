using DaseCV.Runner.Html;
using DaseCV.Runner.Tests.Html;
using Xunit.Abstractions;

namespace DaseCV.Runner.Tests.Browser;

/// <summary>
/// A hostile notebook's export (<see cref="HostileNotebook"/>, every attack class of issue 17) in headless Chromium:
/// no script of the notebook runs and no request leaves the page, checked by markers the scripts would set and by
/// the loopback proxy that every request of the browser goes to. Each wall is also checked alone: the sanitised page
/// without its Content-Security-Policy, and the policy alone against content the sanitiser never saw.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class HostileHtmlInBrowserTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "dasecv-hostile-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    private static string Browser()
    {
        var browser = Chromium.Find();
        Skip.If(browser is null, "No Chromium found (install Debian's `chromium`, or set CHROMIUM); the browser check did not run.");
        return browser!;
    }

    private string Write(string name, string html)
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, html);
        return path;
    }

    private static string Exported() => HtmlExporter.Render(HostileNotebook.Notebook(), null, LocalPaths.None);

    private void AssertNothingRanOrLeft(PageReport report, string path)
    {
        output.WriteLine(report.ToString());
        Assert.Empty(report.Ran!);
        Assert.Empty(report.Received!);
        // The probe loads a copy of the page next to it (NAME.probe.html).
        var page = new Uri(Path.ChangeExtension(path, ".probe.html")).AbsoluteUri;
        Assert.Equal(page, report.Location);
        Assert.Equal(page, report.BaseUri);
        Assert.True(report.HeaderVisible, "the grading header is hidden");
    }

    [SkippableFact]
    public async Task Should_Run_No_Script_And_Send_No_Request_From_A_Hostile_Notebook()
    {
        var browser = Browser();
        var path = Write("hostile.html", Exported());

        var report = await Chromium.InspectAsync(browser, path);

        AssertNothingRanOrLeft(report, path);
        Assert.Empty(report.Requests); // not even tried
        Assert.Equal(report.Images, report.ImagesLoaded); // only inline images are left
        Assert.Empty(report.Blocked!);
        Assert.Empty(report.Errors);
        // The page's own script still works: the chart bundle (with the breakout attempt as a trace name) is drawn.
        Assert.Equal(1, report.Charts);
        Assert.Equal(1, report.ChartsDrawn);
    }

    [SkippableFact]
    public async Task Should_Be_Safe_By_The_Sanitiser_Alone_Without_The_Policy()
    {
        var browser = Browser();
        var html = Exported();
        var meta = html.IndexOf("<meta http-equiv=\"Content-Security-Policy\"", StringComparison.Ordinal);
        Assert.True(meta > 0, "the page has no Content-Security-Policy");
        var path = Write("hostile-no-csp.html", html.Remove(meta, html.IndexOf('>', meta) + 1 - meta));

        var report = await Chromium.InspectAsync(browser, path);

        AssertNothingRanOrLeft(report, path);
        Assert.Empty(report.Requests);
        Assert.Equal(report.Images, report.ImagesLoaded);
    }

    [SkippableFact]
    public async Task Should_Block_By_The_Policy_Alone_What_A_Sanitiser_Might_Miss()
    {
        var browser = Browser();
        var html = Exported();
        // Unsanitised attacks put straight into the page, as a sanitiser bug would let them through.
        var raw = $"<script>{HostileNotebook.Js("raw-script")}</script><img src=\"x\" onerror=\"{HostileNotebook.Js("raw-onerror")}\">" +
                  $"<img src=\"{HostileNotebook.Host}/raw.png\"><div style=\"background:url({HostileNotebook.Host}/raw-css.png)\">x</div>" +
                  $"<iframe src=\"{HostileNotebook.Host}/frame\"></iframe><style>.nb-header{{display:none}}</style>";
        var path = Write("hostile-raw.html", html.Replace("<main>", "<main>" + raw, StringComparison.Ordinal));

        var report = await Chromium.InspectAsync(browser, path);

        AssertNothingRanOrLeft(report, path);
        Assert.Contains(report.Blocked!, b => b.StartsWith("script-src", StringComparison.Ordinal));
        Assert.Contains(report.Blocked!, b => b.StartsWith("img-src", StringComparison.Ordinal));
        Assert.Contains(report.Blocked!, b => b.StartsWith("style-src", StringComparison.Ordinal));
    }
}
