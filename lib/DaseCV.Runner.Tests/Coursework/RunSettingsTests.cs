using System.Text.Json.Nodes;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Coursework;

public sealed class RunSettingsTests
{
    private static readonly Exercise Layout = CourseLayout.Default.Find("softmax") with
    {
        AssignmentSettings = new Dictionary<string, string> { ["dataset"] = "cifar10", ["numIters"] = "2000", ["lr"] = "1e-7" },
    };

    /// <summary>A notebook with a parameters cell, optionally an injected cell after it, and a setup cell that printed <paramref name="printed"/>.</summary>
    private static IpynbNotebook Notebook(string parameters, string? injected = null, string? printed = null)
    {
        var cells = new JsonArray(IpynbCell.NewCode(parameters, NotebookParameters.ParametersTag).Json);
        if (injected is not null)
            cells.Add(IpynbCell.NewCode(injected, NotebookParameters.InjectedTag).Json);
        var setup = IpynbCell.NewCode("Console.WriteLine(dataset);");
        if (printed is not null)
            setup.Outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = printed });
        cells.Add(setup.Json);
        var root = new JsonObject { ["cells"] = cells, ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5 };
        return IpynbNotebook.Parse(root.ToJsonString(), "softmax.ipynb");
    }

    private const string Defaults = """
        string Param(string name, string fallback) => Environment.GetEnvironmentVariable("DASECV_" + name) ?? fallback;
        string dataset = Param("DATASET", "cifar10");
        int numIters = int.Parse(Param("NUM_ITERS", "2000"));
        double lr = 1e-7;
        var started = DateTime.Now;
        """;

    [Fact]
    public void Should_Read_Literals_And_The_Defaults_Of_Calls_As_The_Assignments_Settings()
    {
        var settings = RunSettings.Read(Notebook(Defaults), Layout);

        Assert.Equal("cifar10", settings.Dataset);
        Assert.Equal(new Dictionary<string, string> { ["dataset"] = "cifar10", ["numIters"] = "2000", ["lr"] = "1e-7" }, settings.Parameters);
        Assert.True(settings.AreTheAssignments);
    }

    [Fact]
    public void Should_Let_Injected_Values_Win_And_List_Each_Difference()
    {
        var settings = RunSettings.Read(Notebook(Defaults, injected: "string dataset = \"synthetic\";\nint numIters = 100;"), Layout);

        Assert.Equal("synthetic", settings.Dataset);
        Assert.Equal([new("dataset", "synthetic", "cifar10"), new RunSettings.Difference("numIters", "100", "2000")], settings.Differences);
        Assert.Equal("dataset=synthetic (cifar10), numIters=100 (2000)", settings.Describe());
    }

    [Fact]
    public void Should_Take_The_Dataset_The_Setup_Cell_Printed_Over_The_Parameters_Cell()
    {
        // An environment variable (DASECV_DATASET) chose synthetic data; only the output shows it.
        var settings = RunSettings.Read(Notebook(Defaults, printed: "synthetic: ../data/synthetic-400x5-200/cifar-10-batches-bin\n"), Layout);

        Assert.Equal("synthetic", settings.Dataset);
        Assert.False(settings.AreTheAssignments);
    }

    [Fact]
    public void Should_Count_A_Setting_The_Notebook_Does_Not_Declare_As_A_Difference()
    {
        var settings = RunSettings.Read(Notebook("string dataset = \"cifar10\";"), Layout);

        Assert.Equal(["numIters", "lr"], settings.Differences.Select(d => d.Name));
        Assert.All(settings.Differences, d => Assert.Null(d.Value));
    }
}
