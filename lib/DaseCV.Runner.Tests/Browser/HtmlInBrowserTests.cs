using DaseCV.Runner.Tests.EndToEnd;
using Xunit.Abstractions;

namespace DaseCV.Runner.Tests.Browser;

/// <summary>
/// The exported HTML in a real browser with no network: no console errors, every chart drew its SVG from its
/// plotly bundle, every image loaded, nothing sent. A screenshot is kept under artifacts/browser-test/ for CI.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(TestNotebookRunsCollection.Name)]
public sealed class HtmlInBrowserTests(TestNotebookRuns runs, ITestOutputHelper output)
{
    private static string Browser()
    {
        var browser = Chromium.Find();
        Skip.If(browser is null, "No Chromium found (install Debian's `chromium`, or set CHROMIUM); the browser check did not run.");
        return browser!;
    }

    [SkippableFact]
    public async Task Should_Draw_Every_Chart_And_Image_Offline_Without_Errors()
    {
        var browser = Browser();

        var report = await Chromium.InspectAsync(browser, runs.FeaturesHtmlPath);

        Assert.Empty(report.Errors);
        Assert.Empty(report.Requests);
        Assert.Empty(report.Received!);
        // The plotly bundle is drawn; XPlot's require.js form is the notebook's own script, which never runs now.
        Assert.Equal(1, report.Charts);
        Assert.Equal(report.Charts, report.ChartsDrawn);
        Assert.Equal(1, report.Images);
        Assert.Equal(report.Images, report.ImagesLoaded);
    }

    [SkippableFact]
    public async Task Should_Save_A_Screenshot_As_A_Build_Artifact()
    {
        var browser = Browser();
        var png = Path.Combine(TestPaths.RepositoryRoot, "artifacts", "browser-test", "features.png");
        Directory.CreateDirectory(Path.GetDirectoryName(png)!);
        File.Delete(png);

        await Chromium.ScreenshotAsync(browser, runs.FeaturesHtmlPath, png);

        Assert.True(new FileInfo(png).Length > 10_000, "the screenshot is (nearly) empty");
    }

    /// <summary>
    /// Checks HTML files named in DASECV_BROWSER_CHECK (separated by the path separator), e.g. the assignment
    /// notebook's run in CI; each also gets a screenshot and its printed PDF (A4) next to the features one.
    /// </summary>
    [SkippableFact]
    public async Task Should_Render_The_Html_Files_Named_In_DASECV_BROWSER_CHECK()
    {
        var files = Environment.GetEnvironmentVariable("DASECV_BROWSER_CHECK");
        Skip.If(string.IsNullOrEmpty(files), "DASECV_BROWSER_CHECK is not set (.ci/run sets it to the assignment notebook's HTML).");
        var browser = Browser();

        foreach (var html in files!.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.True(File.Exists(html), $"{html} does not exist");
            var report = await Chromium.InspectAsync(browser, html);
            output.WriteLine($"{html}: {report}");

            Assert.True(report.Errors.Length == 0, $"{html}: {string.Join("; ", report.Errors)}");
            Assert.True(report.Requests.Length == 0, $"{html} fetched: {string.Join(", ", report.Requests)}");
            Assert.True(report.ChartsDrawn == report.Charts, $"{html}: {report.ChartsDrawn} of {report.Charts} charts drew");
            Assert.True(report.ImagesLoaded == report.Images, $"{html}: {report.ImagesLoaded} of {report.Images} images loaded");
            var artifact = Path.Combine(TestPaths.RepositoryRoot, "artifacts", "browser-test", Path.GetFileNameWithoutExtension(html));
            await Chromium.ScreenshotAsync(browser, html, height: 12_000, pngPath: artifact + ".png");
            await Chromium.PrintToPdfAsync(browser, html, artifact + ".pdf");
            var pages = Chromium.PageSizes(artifact + ".pdf");
            output.WriteLine($"{html}: printed {pages.Count} pages");
            Assert.True(pages.Count > 0 && pages.All(p => Math.Abs(p.Height - 841.9) < 1.5), $"{html}: the printed pages are not A4");
        }
    }
}
