using System.Text.Json.Nodes;
using DaseCV.Notebook;
using XPlot.Plotly;

namespace DaseCV.Tests.Notebook;

public sealed class PlotlyMimeTests
{
    internal static JsonNode Bundle(PlotlyChart chart) => JsonNode.Parse(PlotlyMime.From(chart))!;

    [Fact]
    public void From_Should_Give_Jupyters_Plotly_Bundle_With_The_Same_Traces_As_The_Html()
    {
        var chart = Chart.Plot(new Scatter { x = new[] { 0, 1 }, y = new[] { 2.5, 1.25 }, name = "loss" });
        chart.WithSize(640, 300);

        var bundle = Bundle(chart);

        Assert.Equal("application/vnd.plotly.v1+json", PlotlyMime.MimeType);
        Assert.Equal("[2.5,1.25]", bundle["data"]![0]!["y"]!.ToJsonString());
        Assert.Contains(bundle["data"]!.ToJsonString(), PlotlyHtml.From(chart));
        // The height goes in the layout; the width stays free so the chart fits VS Code's output pane.
        Assert.Equal(300, (int)bundle["layout"]!["height"]!);
        Assert.Null(bundle["layout"]!["width"]);
        Assert.False((bool)bundle["config"]!["displaylogo"]!);
    }

    [Fact]
    public void From_Should_Hold_The_Chart_Data_Only_Not_Plotlyjs()
    {
        // A saved notebook keeps this for every chart: a 2000-iteration loss history stays well under 100 kB.
        var json = PlotlyMime.From(Charts.LossHistory([.. Enumerable.Range(0, 2000).Select(i => 250.0 / (1 + i))]));

        Assert.True(json.Length < 100_000, $"{json.Length} characters");
        Assert.DoesNotContain("<script", json);
    }
}
