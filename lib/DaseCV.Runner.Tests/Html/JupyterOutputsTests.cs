using System.Text.Json.Nodes;
using DaseCV.Runner.Html;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Html;

public sealed class JupyterOutputsTests
{
    private static JsonArray Outputs(string json) => (JsonArray)JsonNode.Parse(json)!;

    [Fact]
    public void Should_Merge_Consecutive_Streams_Of_One_Name_As_Jupyter_Splits_Them()
    {
        var outputs = JupyterOutputs.Normalize(Outputs("""
            [{"output_type": "stream", "name": "stdout", "text": ["lr 1e-07 reg 2.5e+04 "]},
             {"output_type": "stream", "name": "stdout", "text": "train accuracy: 0.3\n"},
             {"output_type": "stream", "name": "stderr", "text": "warn\n"},
             {"output_type": "stream", "name": "stdout", "text": "best validation accuracy achieved during cross-validation: 0.35\n"}]
            """));

        Assert.Equal(3, outputs.Count);
        Assert.Equal("lr 1e-07 reg 2.5e+04 train accuracy: 0.3\n", IpynbNotebook.JoinText(outputs[0]["text"]));
        Assert.Equal("stderr", outputs[1]["name"]!.GetValue<string>());
    }

    [Fact]
    public void Should_Drop_The_Kernels_Own_Scripts_And_Keep_The_Notebooks_Html()
    {
        var outputs = JupyterOutputs.Normalize(Outputs("""
            [{"output_type": "display_data", "metadata": {}, "data": {"text/html": ["<script type=\"text/javascript\">\n", "let probingAddresses = [\"http://10.0.0.2:2048/\"];\n", "</script>"]}},
             {"output_type": "display_data", "metadata": {}, "data": {"text/html": "<p>probingAddresses is only a word here</p>"}}]
            """));

        Assert.Equal("<p>probingAddresses is only a word here</p>", Assert.Single(outputs)["data"]!["text/html"]!.GetValue<string>());
    }

    [Fact]
    public void Should_Export_A_Jupyter_Notebook_Like_One_From_The_Runner()
    {
        const string jupyter = """
            {"cells": [{"cell_type": "code", "execution_count": 1, "id": "a", "metadata": {}, "source": "var n = 1;",
                        "outputs": [{"output_type": "display_data", "metadata": {}, "data": {"text/html": "<script>let probingAddresses = [];</script>"}},
                                    {"output_type": "stream", "name": "stdout", "text": "loss: "}, {"output_type": "stream", "name": "stdout", "text": "2.3\n"}]}],
             "metadata": {"kernelspec": {"name": ".net-csharp", "display_name": ".NET (C#)", "language": "C#"},
                          "language_info": {"name": "C#", "file_extension": ".cs", "mimetype": "text/x-csharp", "pygments_lexer": "csharp"}},
             "nbformat": 4, "nbformat_minor": 5}
            """;
        var runner = jupyter.Replace("""{"output_type": "display_data", "metadata": {}, "data": {"text/html": "<script>let probingAddresses = [];</script>"}},""", "")
            .Replace("""{"output_type": "stream", "name": "stdout", "text": "loss: "}, {"output_type": "stream", "name": "stdout", "text": "2.3\n"}""",
                     """{"output_type": "stream", "name": "stdout", "text": "loss: 2.3\n"}""");

        var fromJupyter = HtmlExporter.Render(IpynbNotebook.Parse(jupyter, "n.ipynb"), null, LocalPaths.None);
        var fromRunner = HtmlExporter.Render(IpynbNotebook.Parse(runner, "n.ipynb"), null, LocalPaths.None);

        Assert.NotEqual(jupyter, runner);
        Assert.Equal(fromRunner, fromJupyter);
        Assert.Contains("<code class=\"language-csharp\"><span class=\"k\">var</span>", fromJupyter);
    }

    [Fact]
    public void Should_Highlight_Only_What_The_Kernelspec_Says_Is_CSharp()
    {
        const string notebook = """
            {"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "source": "let x = 1", "outputs": []}],
             "metadata": {"kernelspec": {"name": ".net-fsharp", "display_name": ".NET (F#)", "language": "F#"}}, "nbformat": 4, "nbformat_minor": 5}
            """;

        var html = HtmlExporter.Render(IpynbNotebook.Parse(notebook, "f.ipynb"), null, LocalPaths.None);

        Assert.Contains("<code class=\"language-F#\">let x = 1</code>", html);
    }
}
