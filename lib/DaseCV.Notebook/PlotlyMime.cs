using System.Text.Json.Nodes;
using XPlot.Plotly;

namespace DaseCV.Notebook;

/// <summary>A chart as Jupyter's plotly MIME bundle, <c>{"data": [...], "layout": {...}, "config": {...}}</c>.</summary>
/// <remarks>
/// VS Code's notebook renderers (the Jupyter extension, which Polyglot Notebooks installs) draw this MIME type with a
/// plotly.js of their own, so the chart needs no network. It is the same JSON that <see cref="PlotlyHtml"/> puts in
/// its script.
/// </remarks>
public static class PlotlyMime
{
    /// <summary>The MIME type Jupyter front ends render with plotly.js.</summary>
    public const string MimeType = "application/vnd.plotly.v1+json";

    /// <summary>The chart's bundle as JSON text.</summary>
    /// <param name="chart">An XPlot chart; its traces and layout are taken from <see cref="PlotlyChart.GetPlottingJS"/>.</param>
    public static string From(PlotlyChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var (data, layout) = PlotlyHtml.ExtractJson(chart.GetPlottingJS());
        // A chart plotted without a layout has "" there.
        var layoutObject = JsonNode.Parse(layout) as JsonObject ?? [];
        // XPlot keeps the size outside the layout. The height goes in; the width stays free, so that the chart
        // fits the output pane.
        layoutObject["height"] ??= chart.Height;
        var bundle = new JsonObject
        {
            ["data"] = JsonNode.Parse(data),
            ["layout"] = layoutObject,
            ["config"] = new JsonObject { ["responsive"] = true, ["displaylogo"] = false },
        };
        return bundle.ToJsonString();
    }
}
