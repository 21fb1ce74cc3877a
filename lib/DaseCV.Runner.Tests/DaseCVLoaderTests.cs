using System.Reflection;

namespace DaseCV.Runner.Tests;

public sealed class DaseCVLoaderTests
{
    [Fact]
    public void Should_Not_Ship_DaseCV_Beside_The_Runner()
    {
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "DaseCV.dll")));
        Assert.DoesNotContain("\"DaseCV/", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "DaseCV.Runner.deps.json")));
    }

    [Fact]
    public void Should_Resolve_DaseCV_From_Its_Release_Build_For_Get_Data()
    {
        string? location = null;

        DaseCVLoader.Run(() =>
        {
            location = Assembly.Load("DaseCV").Location;
            return 0;
        });

        Assert.Equal(Path.Combine(DaseCVLoader.BuildDirectory, "DaseCV.dll"), location);
    }
}
