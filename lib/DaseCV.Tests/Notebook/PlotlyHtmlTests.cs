using DaseCV.Notebook;
using XPlot.Plotly;

namespace DaseCV.Tests.Notebook;

public sealed class PlotlyHtmlTests
{
    [Fact]
    public void From_Should_Emit_A_Div_And_A_Script_That_Draws_Into_It()
    {
        var chart = Chart.Plot(new Scatter { x = new[] { 0, 1 }, y = new[] { 2.5, 1.25 }, name = "loss" });

        var html = PlotlyHtml.From(chart);

        string id = "dasecv-" + chart.Id;
        Assert.StartsWith($"<div id=\"{id}\" class=\"dasecv-plotly\"", html);
        Assert.Contains($"var id = \"{id}\";", html);
        Assert.Contains("window.Plotly.newPlot(id, data, layout, config)", html);
        Assert.Contains("\"y\":[2.5,1.25]", html);
        Assert.Contains("if (window.Plotly) { draw(); return; }", html);
        Assert.Contains("https://cdn.plot.ly/plotly-2.28.0.min.js", html);
        Assert.DoesNotContain("require.config", html); // not XPlot's require.js page
        Assert.Equal(1, CountOf(html, "<script"));
    }

    [Fact]
    public void Build_Should_Escape_A_Closing_Script_Tag_Inside_The_Json()
    {
        var html = PlotlyHtml.Build("c1", "[]", "{\"title\":\"</script><b>\"}", 600, 400);

        Assert.Equal(1, CountOf(html, "</script>"));
        Assert.Contains("<\\/script><b>", html);
    }

    [Fact]
    public void ExtractJson_Should_Return_Traces_And_Layout_Of_XPlot()
    {
        var chart = Chart.Plot(new Scatter { y = new[] { 1.0 } }, new Layout.Layout { title = "t; with ;semicolons;" });

        var (data, layout) = PlotlyHtml.ExtractJson(chart.GetPlottingJS());

        Assert.StartsWith("[", data);
        Assert.EndsWith("]", data);
        Assert.Equal("{\"title\":\"t; with ;semicolons;\"}", layout);
    }

    [Fact]
    public void ExtractJson_Should_Throw_When_The_Script_Has_Another_Shape()
    {
        Assert.Throws<FormatException>(() => PlotlyHtml.ExtractJson("Plotly.newPlot('x', [], {});"));
    }

    private static int CountOf(string text, string part) => text.Split(part).Length - 1;
}

public sealed class ChartsTests
{
    [Fact]
    public void LossHistory_Should_Plot_Every_Iteration()
    {
        var html = PlotlyHtml.From(Charts.LossHistory([2.3, 2.1, 1.9]));

        Assert.Contains("\"x\":[0,1,2]", html);
        Assert.Contains("\"y\":[2.3,2.1,1.9]", html);
        Assert.Contains("Loss history", html);
    }

    [Fact]
    public void LossHistory_Should_Use_A_Log_Y_Axis_And_Say_So()
    {
        // The first iterations (~250) would flatten the rest (~2) on a linear axis.
        var layout = PlotlyMimeTests.Bundle(Charts.LossHistory([250.0, 20.0, 2.1]))["layout"]!;

        Assert.Equal("log", (string?)layout["yaxis"]!["type"]);
        Assert.Contains("log scale", (string?)layout["yaxis"]!["title"]);
    }

    [Fact]
    public void ValidationAccuracyHeatmap_Should_Write_Each_Accuracy_In_Its_Cell()
    {
        var results = new Dictionary<(double, double), (double, double)>
        {
            [(1e-7, 1e4)] = (0.25, 0.26),
            [(1e-7, 5e4)] = (0.20, 0.22),
            [(5e-7, 1e4)] = (0.30, 0.31),
        };

        var annotations = PlotlyMimeTests.Bundle(Charts.ValidationAccuracyHeatmap(results))["layout"]!["annotations"]!.AsArray();

        // Three tried pairs, three labels at their (reg, lr) cells by category index (0: 1e+4 or 1e-7, 1: 5e+4 or
        // 5e-7; plotly would read the label "1e+4" as the number 10000); the untried pair has none.
        Assert.Equal(
            ["0 0 0.260", "1 0 0.220", "0 1 0.310"],
            annotations.Select(a => $"{a!["x"]} {a["y"]} {a["text"]}"));
        Assert.All(annotations, a => Assert.False((bool)a!["showarrow"]!));
        // Viridis is dark at the low end: white on the lowest accuracy, black on the highest.
        Assert.Equal("white", (string?)annotations[1]!["font"]!["color"]);
        Assert.Equal("black", (string?)annotations[2]!["font"]!["color"]);
    }

    [Fact]
    public void ConfusionMatrix_Should_Write_Each_Count_In_Its_Cell()
    {
        var annotations = PlotlyMimeTests.Bundle(Charts.ConfusionMatrix([0, 0, 0, 1], [0, 0, 1, 1], ["cat", "dog"]))["layout"]!["annotations"]!.AsArray();

        // (true, predicted) category indices: cat = 0, dog = 1.
        Assert.Equal(
            ["0 0 2", "0 1 1", "1 0 0", "1 1 1"],
            annotations.Select(a => $"{a!["y"]} {a["x"]} {a["text"]}"));
        // Reversed Blues is dark at the high end: white on the largest count.
        Assert.Equal("white", (string?)annotations[0]!["font"]!["color"]);
        Assert.Equal("black", (string?)annotations[2]!["font"]!["color"]);
    }

    [Fact]
    public void ValidationAccuracyHeatmap_Should_Order_Rows_By_Rate_And_Columns_By_Reg()
    {
        var results = new Dictionary<(double, double), (double, double)>
        {
            [(5e-7, 1e4)] = (0.30, 0.31),
            [(1e-7, 5e4)] = (0.20, 0.22),
            [(1e-7, 1e4)] = (0.25, 0.26),
        };

        var html = PlotlyHtml.From(Charts.ValidationAccuracyHeatmap(results));

        // Rows: lr 1e-7, 5e-7; columns: reg 1e4, 5e4; the untried (5e-7, 5e4) is empty.
        Assert.Contains("\"z\":[[0.26,0.22],[0.31,null]]", html);
        Assert.Contains("\"x\":[\"1e+4\",\"5e+4\"]", html);
        Assert.Contains("\"y\":[\"1e-7\",\"5e-7\"]", html);
    }

    [Fact]
    public void CountConfusion_Should_Count_True_By_Predicted()
    {
        var counts = Charts.CountConfusion([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3);

        Assert.Equal([1, 1, 0], counts[0]);
        Assert.Equal([0, 1, 0], counts[1]);
        Assert.Equal([1, 0, 2], counts[2]);
    }

    [Fact]
    public void CountConfusion_Should_Name_A_Label_Out_Of_Range()
    {
        var ex = Assert.Throws<ArgumentException>(() => Charts.CountConfusion([0, 3], [0, 0], 3));
        Assert.Contains("yTrue[1] = 3", ex.Message);
    }

    [Fact]
    public void ConfusionMatrix_Should_Label_Axes_With_Class_Names()
    {
        var html = PlotlyHtml.From(Charts.ConfusionMatrix([0, 1], [1, 1], ["cat", "dog"]));

        Assert.Contains("\"z\":[[0,1],[0,1]]", html);
        Assert.Contains("\"x\":[\"cat\",\"dog\"]", html);
        Assert.Contains("predicted class", html);
    }
}
