using System.Net;
using System.Text;
using XPlot.Plotly;

namespace DaseCV.Notebook;

/// <summary>Turns an XPlot.Plotly chart into the notebook's chart HTML: a div and a script that draws into it.</summary>
/// <remarks>
/// XPlot's own output loads plotly.js through require.js, which neither VS Code's renderer nor a saved HTML file
/// provides. The contract with the runner's HTML export instead: a <c>&lt;div class="dasecv-plotly"&gt;</c> and a
/// script that calls <c>Plotly.newPlot(id, data, layout, config)</c> when <c>window.Plotly</c> exists (the export
/// inlines plotly.js once), and otherwise loads plotly.js from its CDN once per page and then draws.
/// </remarks>
public static class PlotlyHtml
{
    /// <summary>The plotly.js version loaded when the page has none (the one the runner's export inlines).</summary>
    public const string PlotlyJsVersion = "2.28.0";

    /// <summary>CSS class of every chart div; the runner's export looks for it.</summary>
    public const string CssClass = "dasecv-plotly";

    /// <summary>The chart's div and drawing script.</summary>
    /// <param name="chart">An XPlot chart; its traces and layout are taken from <see cref="PlotlyChart.GetPlottingJS"/>.</param>
    public static string From(PlotlyChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var (data, layout) = ExtractJson(chart.GetPlottingJS());
        return Build("dasecv-" + chart.Id, data, layout, chart.Width, chart.Height);
    }

    /// <summary>The chart's div and drawing script from its JSON parts.</summary>
    /// <param name="id">The div's id, unique on the page.</param>
    /// <param name="dataJson">Plotly traces, a JSON array.</param>
    /// <param name="layoutJson">Plotly layout, a JSON object.</param>
    /// <param name="width">Maximum width in pixels (the chart shrinks with narrower pages).</param>
    /// <param name="height">Height in pixels.</param>
    public static string Build(string id, string dataJson, string layoutJson, int width, int height)
    {
        var html = new StringBuilder();
        string attr = WebUtility.HtmlEncode(id);
        string js = System.Text.Json.JsonSerializer.Serialize(id);
        html.Append($"<div id=\"{attr}\" class=\"{CssClass}\" style=\"width: 100%; max-width: {width}px; height: {height}px;\"></div>\n");
        html.Append("<script type=\"text/javascript\">\n(function () {\n");
        html.Append($"  var id = {js};\n");
        // "</" inside a script element would end it early; JSON allows the escaped form.
        html.Append($"  var data = {dataJson.Replace("</", "<\\/")};\n");
        html.Append($"  var layout = {layoutJson.Replace("</", "<\\/")};\n");
        html.Append("  var config = {\"responsive\": true, \"displaylogo\": false};\n");
        html.Append("  function draw() { window.Plotly.newPlot(id, data, layout, config); }\n");
        html.Append("  if (window.Plotly) { draw(); return; }\n");
        html.Append($"  var src = \"https://cdn.plot.ly/plotly-{PlotlyJsVersion}.min.js\";\n");
        html.Append("""
              function load() {
                if (window.Plotly) { draw(); return; }
                if (!window.dasecvPlotlyLoading) {
                  window.dasecvPlotlyLoading = new Promise(function (resolve, reject) {
                    if (typeof window.requirejs === "function") {
                      // Under require.js (Jupyter) plotly.js registers as a module instead of setting window.Plotly.
                      window.requirejs.config({ paths: { plotly: src.replace(/\.js$/, "") } });
                      window.requirejs(["plotly"], function (p) { window.Plotly = p; resolve(); }, reject);
                      return;
                    }
                    var s = document.createElement("script");
                    s.src = src;
                    s.onload = function () { resolve(); };
                    s.onerror = reject;
                    document.head.appendChild(s);
                  });
                }
                window.dasecvPlotlyLoading.then(draw, function () {
                  document.getElementById(id).textContent = "This chart needs plotly.js, which could not be loaded from " + src + ".";
                });
              }
              // A page may inline plotly.js after this output: look again once the document is parsed.
              if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", load);
              else load();
            })();
            </script>

            """);
        return html.ToString();
    }

    /// <summary>Splits XPlot's plotting script (<c>var data = [...]; var layout = {...}; Plotly.newPlot(...)</c>) into its two JSON values.</summary>
    internal static (string Data, string Layout) ExtractJson(string plottingJs)
    {
        string? data = null, layout = null;
        // Each value is serialized on one line (JSON escapes newlines inside strings), ending with ';'.
        foreach (var raw in plottingJs.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("var data = ", StringComparison.Ordinal)) data = ValueOf(line, "var data = ");
            else if (line.StartsWith("var layout = ", StringComparison.Ordinal)) layout = ValueOf(line, "var layout = ");
        }
        if (data is null || layout is null)
            throw new FormatException("XPlot's plotting script has no 'var data = …;' and 'var layout = …;' lines: " + plottingJs);
        return (data, layout);
    }

    private static string ValueOf(string line, string prefix) => line[prefix.Length..].TrimEnd().TrimEnd(';');
}
