using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Html;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Html;

public sealed class HtmlExporterTests
{
    private static string RenderOutput(string outputJson) => RenderOutput((JsonObject)JsonNode.Parse(outputJson)!);

    // One output through the renderer with the course's output steps (local paths, progress).
    internal static string RenderOutput(JsonObject output, LocalPaths? paths = null)
    {
        var html = new StringBuilder();
        var page = new HtmlPage(Notebook(), null, [paths ?? LocalPaths.None, new ProgressStep()]);
        NotebookHtml.AppendOutput(html, output, page);
        return html.ToString();
    }

    private static readonly ResultCells TestCells = ExerciseResults.LinearClassifier("p1", "tune", "test");

    private static IpynbNotebook Notebook(params string[] cells) => IpynbNotebook.FromJson(JsonNode.Parse(
        $$"""{"cells": [{{string.Join(",", cells)}}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"""), "demo.ipynb");

    private static int Count(string text, string part) => Regex.Count(text, Regex.Escape(part));

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
        public void Should_Keep_Html_Output_As_Html_Once_Sanitised()
        {
            var html = RenderOutput("""{"output_type": "display_data", "data": {"text/html": ["<table><tr><td>1</td></tr></table><script>x()</script>"], "text/plain": ["1"]}, "metadata": {}}""");

            // The HTML5 parser's form of the same table (with its implied tbody), without the script.
            Assert.Contains("<table><tbody><tr><td>1</td></tr></tbody></table>", html);
            Assert.DoesNotContain("script", html);
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
        public void Should_Never_Put_An_Unknown_Mime_Key_Into_An_Attribute()
        {
            var html = RenderOutput("""{"output_type": "display_data", "data": {"image/png\" onerror=\"alert(1)": "iVBORw0KGgo=", "text/plain": "fallback"}, "metadata": {}}""");

            Assert.DoesNotContain("onerror", html);
            Assert.DoesNotContain("<img", html);
            Assert.Contains("fallback", html);
        }

        [Fact]
        public void Should_Not_Embed_Image_Data_That_Is_Not_Base64()
        {
            var html = RenderOutput("""{"output_type": "display_data", "data": {"image/png": "x\" onerror=\"alert(1)", "text/plain": "<image>"}, "metadata": {}}""");

            Assert.DoesNotContain("<img", html);
            Assert.DoesNotContain("onerror=\"", html);
            Assert.Contains("&lt;image&gt;", html);
        }

        [Fact]
        public void Should_Show_A_Finished_Progress_Display_Without_Its_Last_Step()
        {
            var html = RenderOutput("""{"output_type": "display_data", "data": {"text/plain": "tuning 42/42 [########################] 100%  0:08  lr 5.000000e-07 reg 4.900000e+04 val accuracy: 0.305000"}, "metadata": {}}""");

            Assert.Contains("<pre class=\"output progress\">tuning 42/42 [########################] 100%  0:08</pre>", html);
            Assert.DoesNotContain("val accuracy", html);
        }

        [Fact]
        public void Should_Hide_The_Machines_Paths_In_Streams_Errors_And_Html()
        {
            var paths = new LocalPaths(["/work/repo"], ["/home/ann"]);
            string Render(string json)
            {
                return RenderOutput((JsonObject)JsonNode.Parse(json)!, paths);
            }

            var stream = Render("""{"output_type": "stream", "name": "stdout", "text": "cifar10: /work/repo/data/cifar-10-batches-bin\n"}""");
            var error = Render("""{"output_type": "error", "ename": "E", "evalue": "missing /home/ann/data", "traceback": ["at /home/ann/x.cs:line 1"]}""");
            var html = Render("""{"output_type": "display_data", "data": {"text/html": "<p>/home/bob/x</p>"}, "metadata": {}}""");

            Assert.Contains("cifar10: data/cifar-10-batches-bin", stream);
            Assert.Contains("missing ~/data", error);
            Assert.Contains("at ~/x.cs:line 1", error);
            Assert.Contains("<p>~/x</p>", html);
            Assert.DoesNotContain("/home/", stream + error + html);
            Assert.DoesNotContain("/work/repo", stream);
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

        [Fact]
        public void Should_Show_The_Runners_Error_Line_Once()
        {
            // The runner's tracebacks start with "ename: evalue", as IPython's do.
            var html = RenderOutput("""{"output_type": "error", "ename": "IOException", "evalue": "offline", "traceback": ["IOException: offline", "   at Cell 4"]}""");

            Assert.Equal(1, Count(html, "offline"));
            Assert.Contains("   at Cell 4", html);
        }

        [Fact]
        public void Should_Export_Json_Outputs_Nested_Deeper_Than_64()
        {
            string deep = string.Concat(Enumerable.Repeat("[", 100)) + "1" + string.Concat(Enumerable.Repeat("]", 100));
            var output = JsonNode.Parse("""{"output_type": "display_data", "data": {"application/json": """ + deep + """}, "metadata": {}}""",
                documentOptions: new JsonDocumentOptions { MaxDepth = IpynbNotebook.MaxDepth })!;
            var html = RenderOutput((JsonObject)output);

            Assert.Equal(100, Count(html, "["));
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
                 "outputs": [{"output_type": "display_data", "metadata": {}, "data": {"application/vnd.plotly.v1+json": {"data": [{"y": [1, 2]}], "layout": {}}}}]}
                """;

            var html = HtmlExporter.Render(Notebook(chart, chart), null);

            Assert.Equal(2, Count(html, "<div class=\"plotly-chart\"></div><script type=\"application/json\" class=\"plotly-data\">"));
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

        private static string Markdown(string source, string tags = "") =>
            $$"""{"cell_type": "markdown", "metadata": {"tags": [{{tags}}]}, "source": {{JsonValue.Create(source).ToJsonString()}}}""";

        [Theory]
        [InlineData("本练习类似于SVM练习，你要完成的事情包括", "{}", "zh")]
        [InlineData("This exercise is analogous to the SVM exercise.", "{}", "en")]
        [InlineData("本练习类似于SVM练习", "{\"lang\": \"zh-TW\"}", "zh-TW")]
        [InlineData("本练习类似于SVM练习", "{\"language\": \"C#\"}", "zh")]
        public void Should_Set_Html_Lang_From_Metadata_Or_The_Markdown_Text(string text, string metadata, string lang)
        {
            var notebook = IpynbNotebook.FromJson(JsonNode.Parse(
                $$"""{"cells": [{{Markdown(text)}}], "metadata": {{metadata}}, "nbformat": 4, "nbformat_minor": 5}"""), "demo.ipynb");

            Assert.StartsWith($"<!DOCTYPE html>\n<html lang=\"{lang}\">", HtmlExporter.Render(notebook, null));
        }

        [Fact]
        public void Should_Close_Emphasis_Before_Full_Width_Punctuation()
        {
            var html = HtmlExporter.Render(Notebook(Markdown("- 实现其**解析梯度（analytic gradient）**的完全矢量化表达式")), null);

            Assert.Contains("<strong>解析梯度（analytic gradient）</strong>的完全", html);
            Assert.DoesNotContain("**", html);
        }

        [Fact]
        public void Should_Highlight_CSharp_Code_Cells()
        {
            var html = HtmlExporter.Render(Notebook(GradingSummaryTests.Code("c", "var n = 1; // one")), null);

            Assert.Contains("<code class=\"language-csharp\"><span class=\"k\">var</span> n = <span class=\"n\">1</span>; <span class=\"c\">// one</span></code>", html);
        }

        [Fact]
        public void Should_Head_The_Page_With_Student_And_Results_Linked_To_Their_Cells()
        {
            var html = HtmlExporter.Render(Notebook(
                GradingSummaryTests.Code("p1", "string studentName = Param(\"STUDENT_NAME\", \"张三\");\nstring studentId = Param(\"STUDENT_ID\", \"<id>\");", tags: "\"parameters\""),
                GradingSummaryTests.Code("tune", "// grid", "lr 1e-07 reg 2.5e+04 train accuracy: 0.3 val accuracy: 0.35\nbest validation accuracy achieved during cross-validation: 0.35\n"),
                GradingSummaryTests.Code("test", "// test", "softmax on raw pixels final test set accuracy: 0.36\n")), null, resultCells: TestCells);
            var header = html[html.IndexOf("<header", StringComparison.Ordinal)..html.IndexOf("</header>", StringComparison.Ordinal)];

            Assert.Contains("<dt>学生 Student</dt><dd>张三</dd>", header);
            Assert.Contains("<dt>学号 Student ID</dt><dd>&lt;id&gt;</dd>", header);
            Assert.Contains("<td><a href=\"#cell-tune\">1e-07</a></td><td><a href=\"#cell-tune\">2.5e+04</a></td><td><a href=\"#cell-tune\">0.35</a></td><td><a href=\"#cell-test\">0.36</a></td>", header);
            Assert.Contains("id=\"cell-tune\"", html);
        }

        [Fact]
        public void Should_Head_The_Page_With_The_TAs_Values_Not_Forged_Ones()
        {
            const string fake = "lr 1e-03 reg 1e+00 train accuracy: 0.99 val accuracy: 0.99\nbest validation accuracy achieved during cross-validation: 0.99\n" +
                                "softmax on raw pixels final test set accuracy: 0.99\n";
            var html = HtmlExporter.Render(Notebook(
                GradingSummaryTests.Code("p1", "string studentName = Param(\"STUDENT_NAME\", \"\");", tags: "\"parameters\""),
                GradingSummaryTests.Code("i", "string studentName = \"张三\";", tags: "\"injected-parameters\""),
                GradingSummaryTests.Code("tune", "// grid", "lr 1e-07 reg 2.5e+04 train accuracy: 0.3 val accuracy: 0.35\nbest validation accuracy achieved during cross-validation: 0.35\n"),
                GradingSummaryTests.Code("forged", "string studentName = \"李四\";", fake, tags: "\"parameters\""),
                GradingSummaryTests.Code("added", "// added", fake),
                GradingSummaryTests.Code("test", "// test", "softmax on raw pixels final test set accuracy: 0.36\n")), null, resultCells: TestCells);
            var header = html[html.IndexOf("<header", StringComparison.Ordinal)..html.IndexOf("</header>", StringComparison.Ordinal)];

            Assert.Contains("<dd>张三</dd>", header);
            Assert.DoesNotContain("李四", header);
            Assert.DoesNotContain("0.99", header);
            Assert.Contains("<td><a href=\"#cell-tune\">0.35</a></td><td><a href=\"#cell-test\">0.36</a></td>", header);
        }

        [Fact]
        public void Should_Say_When_Student_Or_Results_Are_Missing()
        {
            var html = HtmlExporter.Render(Notebook(
                GradingSummaryTests.Code("p1", "string studentName = Param(\"STUDENT_NAME\", \"\");", tags: "\"parameters\""),
                GradingSummaryTests.Code("test", "// test", "softmax on raw pixels final test set accuracy: 0.36\n")), null, resultCells: TestCells);

            Assert.Contains("<dt>学生 Student</dt><dd><span class=\"missing\">未填写 not given</span></dd>", html);
            Assert.Contains("<td><span class=\"missing\">未找到 not found: 没有单元 tune no cell tune</span></td>", html);
            Assert.Contains("<td><a href=\"#cell-test\">0.36</a></td>", html);
        }

        [Fact]
        public void Should_Box_The_Answers_Of_Pdf_Inline_Cells_And_Link_Them_From_The_Header()
        {
            var html = HtmlExporter.Render(Notebook(
                Markdown("**问题 1**\n\n为什么？\n\n$\\color{blue}{\\textit 答:}$ *因为 **W** 很小。*", "\"pdf-inline\""),
                Markdown("**问题 2**\n\n对或错？", "\"pdf-inline\"")), null);

            Assert.Contains("答案 Answers: <a href=\"#answer-1\">问题 1</a> · <a href=\"#answer-2\">问题 2</a>", html);
            Assert.Contains("<div class=\"question\">\n<p class=\"pseudo-heading\"><strong>问题 1</strong></p>\n<p>为什么？</p>\n</div>", html);
            Assert.Contains("<div class=\"answer\" id=\"answer-1\"><div class=\"answer-label\">答</div>\n<div class=\"answer-body\">\n<p><em>因为 <strong>W</strong> 很小。</em></p>", html);
            Assert.Contains("<div class=\"answer missing\" id=\"answer-2\">", html);
        }

        [Fact]
        public void Should_Fold_Setup_Parameters_And_Pdf_Ignore_Cells_Into_Closed_Details()
        {
            var html = HtmlExporter.Render(Notebook(
                Markdown("setup notes", "\"setup\""),
                GradingSummaryTests.Code("p", "int n = 1;", tags: "\"parameters\""),
                GradingSummaryTests.Code("i", "int n = 2;", tags: "\"injected-parameters\""),
                GradingSummaryTests.Code("b", "// build", "Build succeeded.\nTime Elapsed 00:00:01.16\n", tags: "\"setup\""),
                Markdown("# Softmax 练习", "\"pdf-title\""),
                GradingSummaryTests.Code("x", "// imports", tags: "\"pdf-ignore\""),
                GradingSummaryTests.Code("y", "// answer code")), null);
            var main = html[html.IndexOf("<main>", StringComparison.Ordinal)..];

            Assert.Equal(2, Count(main, "<details class=\"folded\">"));
            Assert.DoesNotContain("<details class=\"folded\" open", main);
            Assert.Contains("<summary>准备与日志 Setup and logs: 4 cells (setup, parameters, injected parameters)</summary>", main);
            Assert.Contains("<summary>准备与日志 Setup and logs: 1 cell (pdf ignore)</summary>", main);
            // The build log sits inside the first fold, the title and the answer code outside any.
            Assert.True(main.IndexOf("Build succeeded", StringComparison.Ordinal) < main.IndexOf("</details>", StringComparison.Ordinal));
            Assert.Matches("</details>\n<section class=\"cell markdown\"[^>]*>\n<h1", main);
            Assert.Matches("</details>\n<section class=\"cell code\" id=\"cell-y\"", main);
        }

        [Fact]
        public void Should_Hide_Absolute_Paths_In_Code_Outputs_And_Parameters()
        {
            var notebook = Notebook(
                GradingSummaryTests.Code("i", "string dataDir = \"/home/ann/daseCV/data\";", tags: "\"injected-parameters\""),
                GradingSummaryTests.Code("d", "// data", "cifar10: /home/ann/daseCV/data/cifar-10-batches-bin\n"));
            notebook.Metadata["dasecv_runner"] = new JsonObject { ["parameters"] = new JsonObject { ["dataDir"] = "/home/ann/daseCV/data" } };

            var html = HtmlExporter.Render(notebook, null, new LocalPaths(["/home/ann/daseCV"], []));

            Assert.DoesNotContain("/home/ann", html);
            Assert.Contains("cifar10: data/cifar-10-batches-bin", html);
            Assert.Contains("dataDir=data", html);
            Assert.Contains("<span class=\"s\">&quot;data&quot;</span>", html);
        }

        [Fact]
        public void Should_Never_Read_Local_Files_Outside_The_Notebook_Folder()
        {
            var root = TestPaths.NewTempDirectory();
            var folder = Directory.CreateDirectory(Path.Combine(root, "notebooks")).FullName;
            byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
            var secret = Path.Combine(root, "secret.png");
            File.WriteAllBytes(secret, png);
            File.WriteAllBytes(Path.Combine(folder, "figure.png"), png);
            File.WriteAllText(Path.Combine(folder, "notes.png"), "not an image: private text");
            File.CreateSymbolicLink(Path.Combine(folder, "link.png"), secret);

            var html = HtmlExporter.Render(Notebook(Markdown(
                $"![a]({secret}) ![b](../secret.png) ![c](link.png) ![d](notes.png) ![e](figure.png) ![f](file://{secret})")), folder);

            var embedded = Convert.ToBase64String(png);
            Assert.Equal(1, Count(html, embedded)); // figure.png only
            Assert.Contains($"<img src=\"data:image/png;base64,{embedded}\" alt=\"e\"", html);
            // What cannot be embedded is not linked either: nothing for the browser to fetch.
            Assert.Equal(1, Count(html, "<img "));
            Assert.DoesNotContain(Convert.ToBase64String(File.ReadAllBytes(Path.Combine(folder, "notes.png"))), html);
        }

        [Fact]
        public void Should_Drop_Script_Links_From_Markdown()
        {
            var html = HtmlExporter.Render(Notebook(Markdown("[click](javascript:alert(1)) [ok](https://example.invalid/x)")), null);

            Assert.DoesNotContain("javascript:", html);
            Assert.Contains("href=\"https://example.invalid/x\"", html);
        }

        [Fact]
        public void Should_Render_Six_Thousand_Nested_Braces_In_Math_Without_Crashing()
        {
            var latex = new string('{', 6000) + "x" + new string('}', 6000);

            var html = HtmlExporter.Render(Notebook(Markdown("$" + latex + "$")), null);

            Assert.Contains("latex-source", html);
        }

        [Fact]
        public void Should_Show_Markdown_Nested_Beyond_Markdigs_Limit_As_Source()
        {
            var deep = string.Concat(Enumerable.Repeat("> ", 20_000)) + "<b>x</b>";

            var html = HtmlExporter.Render(Notebook(Markdown(deep), Markdown("after")), null);

            Assert.Contains("<p class=\"markdown-error\">", html);
            Assert.Contains("&lt;b&gt;x&lt;/b&gt;", html);
            Assert.Contains("<p>after</p>", html);
        }

        [Fact]
        public void Should_Show_A_Note_For_A_Cell_It_Cannot_Render_And_Go_On()
        {
            // Loading rejects such a cell (IpynbSchema); a notebook changed in memory afterwards can still hold one.
            var notebook = Notebook(
                """{"cell_type": "code", "id": "bad", "execution_count": 1, "metadata": {}, "source": "x", "outputs": [{"output_type": "stream", "name": "stdout", "text": ["ok"]}]}""",
                Markdown("after"));
            notebook.Cells[0].Outputs[0]!["text"] = new JsonArray(1, 2);
            var html = HtmlExporter.Render(notebook, null);

            Assert.Contains("<section class=\"cell unreadable\" id=\"cell-bad\"><p class=\"markdown-error\">无法显示此单元 This cell could not be shown: ", html);
            Assert.Contains("<p>after</p>", html);
        }

        [Fact]
        public void Should_Export_A_Notebook_Saved_By_VS_Code()
        {
            var notebook = IpynbNotebook.Load(Path.Combine(TestPaths.TestData, "vscode-saved.ipynb"));

            var html = HtmlExporter.Render(notebook, TestPaths.TestData);

            Assert.Contains("<h1>vscode-saved.ipynb</h1>", html);
            Assert.Contains("<td>0.351</td>", html);
            Assert.Contains("loss: 2.339712\nsanity check: 2.302585", html);
            // The chart from its plotly bundle; the HTML form's script is dropped.
            Assert.Equal(1, Count(html, "class=\"plotly-chart\""));
            Assert.DoesNotContain("Plotly.newPlot", html[html.IndexOf("<body>", StringComparison.Ordinal)..]);
            Assert.Equal(1, Count(html, "id=\"plotly-js\""));
            Assert.Contains("<pre>0.351</pre>", html);
            Assert.Contains("X is (500, 3072) but W is (3073, 10)", html);
            Assert.Contains("cell code not-run", html);
            Assert.Contains("not recorded", html); // VS Code keeps no run date
            Assert.Equal(6, Count(html, "<section class=\"cell"));
        }
    }
}
