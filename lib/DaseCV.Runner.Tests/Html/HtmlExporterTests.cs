using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DaseCV.Runner.Html;
using DaseCV.Runner.Notebook;

namespace DaseCV.Runner.Tests.Html;

public sealed class HtmlExporterTests
{
    private static string RenderOutput(string outputJson)
    {
        var html = new StringBuilder();
        HtmlExporter.AppendOutput(html, (JsonObject)JsonNode.Parse(outputJson)!);
        return html.ToString();
    }

    private static IpynbNotebook Notebook(params string[] cells) => IpynbNotebook.FromJson(JsonNode.Parse(
        $$"""{"cells": [{{string.Join(",", cells)}}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"""), "demo.ipynb");

    private static int Count(string text, string part) => Regex.Matches(text, Regex.Escape(part)).Count;

    public sealed class TheAppendOutputMethod
    {
        [Fact]
        public void Should_Escape_Stream_Text() =>
            Assert.Contains("&lt;b&gt;not bold&lt;/b&gt; &amp;",
                RenderOutput("""{"output_type": "stream", "name": "stdout", "text": ["<b>not bold</b> &"]}"""));

        [Fact]
        public void Should_Mark_Stderr_Apart_From_Stdout()
        {
            Assert.Contains("class=\"output stream stderr\"", RenderOutput("""{"output_type": "stream", "name": "stderr", "text": "warn"}"""));
            Assert.Contains("class=\"output stream stdout\"", RenderOutput("""{"output_type": "stream", "name": "stdout", "text": "ok"}"""));
        }

        [Fact]
        public void Should_Pass_Html_Output_Through_As_Is()
        {
            var html = RenderOutput("""{"output_type": "display_data", "data": {"text/html": ["<table><tr><td>1</td></tr></table>"], "text/plain": ["1"]}, "metadata": {}}""");

            Assert.Contains("<table><tr><td>1</td></tr></table>", html);
            Assert.DoesNotContain("<pre", html);
        }

        [Fact]
        public void Should_Inline_Png_Output_As_A_Data_Uri()
        {
            var html = RenderOutput("""{"output_type": "display_data", "data": {"image/png": "iVBORw0K\nGgo=\n", "text/plain": ["<image>"]}, "metadata": {}}""");

            Assert.Contains("<img alt=\"output image\" src=\"data:image/png;base64,iVBORw0KGgo=\">", html);
        }

        [Fact]
        public void Should_Escape_Plain_Text_Results()
        {
            var html = RenderOutput("""{"output_type": "execute_result", "execution_count": 1, "data": {"text/plain": ["List<int>"]}, "metadata": {}}""");

            Assert.Contains("List&lt;int&gt;", html);
        }

        [Fact]
        public void Should_Style_Errors_And_Strip_Terminal_Colours()
        {
            var html = RenderOutput("""{"output_type": "error", "ename": "Error", "evalue": "\u001b[31m(1,1): error CS0103: The name 'x' <y>\u001b[0m", "traceback": ["  at A"]}""");

            Assert.Contains("class=\"output error\"", html);
            Assert.Contains("<strong>Error</strong>: (1,1): error CS0103: The name &#39;x&#39; &lt;y&gt;", html);
            Assert.Contains("  at A", html);
            Assert.DoesNotContain("\u001b", html, StringComparison.Ordinal);
        }
    }

    public sealed class TheRenderMethod
    {
        [Fact]
        public void Should_Render_Markdown_Tables_Code_And_Math_Without_MathJax()
        {
            var html = HtmlExporter.Render(Notebook("""
                {"cell_type": "markdown", "metadata": {}, "source": ["| a | b |\n", "|---|---|\n", "| 1 | 2 |\n", "\n", "Use `x<y` and $\\frac{1}{N}\\sum_i L_i$.\n", "\n", "$$W^\\top x$$"]}
                """), null);

            Assert.Contains("<table>", html);
            Assert.Contains("<td>1</td>", html);
            Assert.Contains("<code>x&lt;y</code>", html);
            Assert.Contains("class=\"frac\"", html);
            Assert.Contains("∑", html);
            Assert.Contains("class=\"math display\"", html);
            Assert.DoesNotContain("MathJax", html, StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public void Should_Inline_Plotly_Once_In_Head_When_Outputs_Draw_Charts()
        {
            const string chart = """
                {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": "chart",
                 "outputs": [{"output_type": "display_data", "metadata": {}, "data": {"text/html": "<div id=\"c\"></div><script>Plotly.newPlot('c', [], {});</script>"}}]}
                """;

            var html = HtmlExporter.Render(Notebook(chart, chart.Replace("id=\\\"c\\\"", "id=\\\"d\\\"")), null);

            Assert.Equal(1, Count(html, "id=\"plotly-js\""));
            Assert.Equal(1, Count(html, "plotly.js v" + PlotlyJs.Version));
            Assert.True(html.IndexOf("id=\"plotly-js\"", StringComparison.Ordinal) < html.IndexOf("</head>", StringComparison.Ordinal));
        }

        [Fact]
        public void Should_Not_Inline_Plotly_Without_Charts()
        {
            var html = HtmlExporter.Render(Notebook(
                """{"cell_type": "markdown", "metadata": {}, "source": "no charts, though `Plotly.newPlot` is named"}""",
                """{"cell_type": "code", "execution_count": 1, "metadata": {}, "source": "// Plotly.newPlot", "outputs": []}"""), null);

            Assert.DoesNotContain("plotly-js", html);
            Assert.True(html.Length < 50_000, $"{html.Length} characters");
        }

        [Fact]
        public void Should_Embed_Markdown_Attachments()
        {
            var html = HtmlExporter.Render(Notebook("""
                {"cell_type": "markdown", "metadata": {}, "source": "![w](attachment:w.png)",
                 "attachments": {"w.png": {"image/png": "iVBORw0KGgo="}}}
                """), null);

            Assert.Contains("src=\"data:image/png;base64,iVBORw0KGgo=\"", html);
        }

        [Fact]
        public void Should_Export_A_Notebook_Saved_By_VS_Code()
        {
            var notebook = IpynbNotebook.Load(Path.Combine(TestPaths.TestData, "vscode-saved.ipynb"));

            var html = HtmlExporter.Render(notebook, TestPaths.TestData);

            Assert.Contains("<h1>vscode-saved.ipynb</h1>", html);
            Assert.Contains("<td>0.351</td>", html);
            Assert.Contains("loss: 2.339712\nsanity check: 2.302585", html);
            Assert.Contains("class=\"dasecv-plotly\"", html);
            Assert.Equal(1, Count(html, "id=\"plotly-js\""));
            Assert.Contains("<pre>0.351</pre>", html);
            Assert.Contains("X is (500, 3072) but W is (3073, 10)", html);
            Assert.Contains("cell code not-run", html);
            Assert.Contains("not recorded", html); // VS Code keeps no run date
            Assert.Equal(6, Count(html, "<section class=\"cell"));
        }
    }
}
