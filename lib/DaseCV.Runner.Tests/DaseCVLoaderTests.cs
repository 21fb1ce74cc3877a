using System.Reflection;
using System.Runtime.Loader;
using DaseCV.Runner.Execution;

namespace DaseCV.Runner.Tests;

public sealed class DaseCVLoaderTests
{
    [Fact]
    public void Should_Keep_DaseCV_And_Its_Packages_Out_Of_The_Runners_Deps_Json()
    {
        var deps = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "DaseCV.Runner.deps.json"));

        foreach (var library in new[] { "\"DaseCV/", "\"MathNet.Numerics/", "\"XPlot.Plotly/" })
            Assert.DoesNotContain(library, deps);
    }

    [Fact]
    public void Should_Resolve_DaseCV_From_Its_Release_Build()
    {
        var context = new AssemblyLoadContext("get-data probe", isCollectible: true);
        try
        {
            var assembly = DaseCVLoader.Resolve(context, new AssemblyName("DaseCV"));

            Assert.Equal(Path.Combine(DaseCVLoader.BuildDirectory, "DaseCV.dll"), assembly?.Location);
            Assert.Null(DaseCVLoader.Resolve(context, new AssemblyName("NoSuchAssembly")));
        }
        finally
        {
            context.Unload();
        }
    }
}
