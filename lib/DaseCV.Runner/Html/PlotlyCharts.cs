using System.Text.Json.Nodes;

namespace DaseCV.Runner.Html;

/// <summary>
/// Charts from their <c>application/vnd.plotly.v1+json</c> bundle (the notebook's chart formatter writes one next to
/// its HTML form): an empty div and the bundle as a JSON data block, which the page's own script
/// (<c>notebook.js</c>) hands to the inlined plotly.js. A notebook's own chart scripts (<c>text/html</c>) never run.
/// </summary>
internal static class PlotlyCharts
{
    public const string MimeType = "application/vnd.plotly.v1+json";


    /// <summary>True when <paramref name="data"/> (an output's MIME bundle) holds a chart bundle this can draw.</summary>
    public static bool Has(JsonObject data) => data[MimeType] is JsonObject { } bundle && bundle["data"] is JsonArray;

    /// <summary>The chart's HTML: a div and the bundle's data, layout and config as an inert JSON block.</summary>
    public static string Html(JsonObject data)
    {
        var bundle = (JsonObject)data[MimeType]!;
        var config = bundle["config"] is JsonObject given ? (JsonObject)given.DeepClone() : new JsonObject();
        // The plotly logo in the mode bar is an SVG with a style element the page's policy does not allow (and a link out).
        config["displaylogo"] = false;
        var chart = new JsonObject
        {
            ["data"] = bundle["data"]!.DeepClone(),
            ["layout"] = bundle["layout"] is JsonObject layout ? layout.DeepClone() : new JsonObject(),
            ["config"] = config,
        };
        return "<div class=\"output plotly\"><div class=\"plotly-chart\"></div>" +
               $"<script type=\"application/json\" class=\"plotly-data\">{chart.ToJsonString(IO.JsonFiles.InHtml)}</script></div>\n";
    }
}
