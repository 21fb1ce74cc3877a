using DaseCV.Runner.Coursework;
using DaseCV.Runner.Html;
using DaseCV.Runner.Ipynb;
using Xunit.Abstractions;

namespace DaseCV.Runner.Tests.Browser;

/// <summary>
/// The grading view of a small synthetic executed notebook (TestData/grading.ipynb: Chinese text, setup cells,
/// injected parameters, a tuning grid, two written answers, a long code cell) in headless Chromium with no
/// network. Keeps grading.html, a screenshot and the printed PDF under artifacts/browser-test/ to look at.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class GradingHtmlInBrowserTests(ITestOutputHelper output)
{
    private static readonly string ArtifactDirectory = Path.Combine(TestPaths.RepositoryRoot, "artifacts", "browser-test");

    private static string Browser()
    {
        var browser = Chromium.Find();
        Skip.If(browser is null, "No Chromium found (install Debian's `chromium`, or set CHROMIUM); the browser check did not run.");
        return browser!;
    }

    private static string WriteGradingHtml()
    {
        var notebook = IpynbNotebook.Load(Path.Combine(TestPaths.TestData, "grading.ipynb"));
        var path = Path.Combine(ArtifactDirectory, "grading.html");
        Directory.CreateDirectory(ArtifactDirectory);
        File.WriteAllText(path, HtmlExporter.Render(notebook, TestPaths.TestData, new LocalPaths(["/home/student/daseCV"], []),
                                                 resultCells: ExerciseResults.LinearClassifier("params", "tune", "test")));
        return path;
    }

    [SkippableFact]
    public async Task Should_Load_Offline_With_Setup_Folded_And_Nothing_Of_It_Visible()
    {
        var browser = Browser();
        var html = WriteGradingHtml();

        var report = await Chromium.InspectAsync(browser, html);
        output.WriteLine(report.ToString());

        Assert.Empty(report.Errors);
        Assert.Empty(report.Requests);
        Assert.Equal(1, report.Images);
        Assert.Equal(1, report.ImagesLoaded);
        Assert.Equal(1, report.Charts);
        Assert.Equal(1, report.ChartsDrawn);
        Assert.Equal(2, report.Folded); // the setup run, and the pdf-ignore cell
        Assert.Equal(0, report.FoldedOpen);
        Assert.Equal(0, report.FoldedCellsVisible);
    }

    [SkippableFact]
    public async Task Should_Save_A_Screenshot_And_Print_To_A4_Pages()
    {
        var browser = Browser();
        var html = WriteGradingHtml();
        var png = Path.Combine(ArtifactDirectory, "grading.png");
        var pdf = Path.Combine(ArtifactDirectory, "grading.pdf");
        File.Delete(png);

        await Chromium.ScreenshotAsync(browser, html, png, height: 4000);
        await Chromium.PrintToPdfAsync(browser, html, pdf);

        Assert.True(new FileInfo(png).Length > 10_000, "the screenshot is (nearly) empty");
        var pages = Chromium.PageSizes(pdf);
        output.WriteLine($"{pages.Count} pages");
        Assert.InRange(pages.Count, 2, 12);
        // A4 is 595.28 × 841.89 points (Letter would be 612 × 792).
        Assert.All(pages, p => Assert.True(Math.Abs(p.Width - 595.3) < 1.5 && Math.Abs(p.Height - 841.9) < 1.5, $"page {p.Width} × {p.Height} pt is not A4"));
    }

    [SkippableFact]
    public async Task Should_Print_The_Same_Pages_From_A_Narrow_Or_A_Wide_Window()
    {
        // A chart drawn 900 px wide on a wide screen used to make Chromium shrink every printed page to fit it.
        var browser = Browser();
        var html = WriteGradingHtml();
        var narrow = Path.Combine(ArtifactDirectory, "grading-800.pdf");
        var wide = Path.Combine(ArtifactDirectory, "grading-1600.pdf");

        await Chromium.PrintToPdfAsync(browser, html, narrow, windowWidth: 800);
        await Chromium.PrintToPdfAsync(browser, html, wide, windowWidth: 1600);

        Assert.Equal(Chromium.PageSizes(narrow).Count, Chromium.PageSizes(wide).Count);
    }

    [SkippableFact]
    public async Task Should_Print_Each_Chart_Whole_On_One_Page()
    {
        // Four charts 620 px tall (164 mm; two do not fit in A4's 269 mm of text): kept whole, each takes a page of its
        // own (the first may follow the header onto a second); cut at page ends, the four would fill three pages.
        var browser = Browser();
        var cells = new System.Text.Json.Nodes.JsonArray();
        for (var i = 0; i < 4; i++)
            cells.Add(System.Text.Json.Nodes.JsonNode.Parse($$$"""
                {"cell_type": "code", "execution_count": {{{i + 1}}}, "metadata": {}, "source": ["chart{{{i}}}"], "outputs": [{"output_type": "display_data", "metadata": {},
                 "data": {"application/vnd.plotly.v1+json": {"data": [{"type": "scatter", "x": [1, 2, 3], "y": [{{{i}}}, 2, 1]}],
                          "layout": {"title": {"text": "chart {{{i}}}"}, "height": 620}, "config": {}}, "text/plain": ["<chart>"]}}]}
                """));
        var notebook = IpynbNotebook.Parse(new System.Text.Json.Nodes.JsonObject
        {
            ["nbformat"] = 4, ["nbformat_minor"] = 5, ["metadata"] = new System.Text.Json.Nodes.JsonObject(), ["cells"] = cells,
        }.ToJsonString(), "charts");
        var html = Path.Combine(ArtifactDirectory, "charts.html");
        var pdf = Path.Combine(ArtifactDirectory, "charts.pdf");
        Directory.CreateDirectory(ArtifactDirectory);
        File.WriteAllText(html, HtmlExporter.Render(notebook, null, new LocalPaths([], [])));

        await Chromium.PrintToPdfAsync(browser, html, pdf);

        Assert.InRange(Chromium.PageSizes(pdf).Count, 4, 5);
    }
}
