using System.Text.Json;
using DaseCV.Runner.Html;

namespace DaseCV.Runner.Tests.Html;

public sealed class PlotlyJsTests
{
    [Fact]
    public void Should_Read_Plotly_2_28_0_From_The_Plotly_NET_Package()
    {
        var source = PlotlyJs.Source;

        Assert.Contains("plotly.js v2.28.0", source);
        Assert.True(source.Length > 3_000_000, $"{source.Length} characters");
    }

    [Fact]
    public void Should_Not_Load_Plotly_NET_Or_Put_It_In_The_Dependency_Graph()
    {
        _ = PlotlyJs.Source;

        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "Plotly.NET");
        var deps = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "DaseCV.Runner.deps.json"));
        Assert.DoesNotContain("Plotly.NET", deps);
    }

    [Fact]
    public void Should_Keep_FSharp_Core_At_The_Final_Kernels_10_0()
    {
        using var deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "DaseCV.Runner.deps.json")));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToList();

        var fsharp = Assert.Single(libraries, l => l.StartsWith("FSharp.Core/", StringComparison.Ordinal));
        Assert.StartsWith("FSharp.Core/10.0.", fsharp);
    }

    [Fact]
    public void Should_Name_A_Missing_Resource()
    {
        using var image = File.OpenRead(typeof(PlotlyJs).Assembly.Location);

        var e = Assert.Throws<InvalidDataException>(() => PlotlyJs.ReadManifestResource(image, "nothing.js"));

        Assert.Contains("nothing.js", e.Message);
    }
}
