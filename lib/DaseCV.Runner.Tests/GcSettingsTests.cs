using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;

namespace DaseCV.Runner.Tests;

/// <summary>
/// The GC and JIT settings a student's SGD step depends on (Directory.Build.props, KernelRuntimeVariables, README.md "Speed") reach every host: the
/// programs built here through their runtimeconfig, VS Code's notebook kernel through .vscode/settings.json.
/// </summary>
public sealed class GcSettingsTests
{
    /// <summary>
    /// runtimeconfig name → the DOTNET_ variable that sets the same thing, and GC.GetConfigurationVariables' key (null:
    /// the GC does not report that setting).
    /// </summary>
    private static readonly Dictionary<string, (string Variable, string? Key)> Names = new()
    {
        ["System.GC.LOHThreshold"] = ("DOTNET_GCLOHThreshold", "LOHThreshold"),
        ["System.GC.RegionSize"] = ("DOTNET_GCRegionSize", "GCRegionSize"),
        ["System.GC.Gen0MaxBudget"] = ("DOTNET_GCgen0MaxBudget", null),
        ["System.Runtime.TieredPGO"] = ("DOTNET_TieredPGO", null),
    };

    private static Dictionary<string, long> BuildSettings()
    {
        var props = XDocument.Load(Path.Combine(TestPaths.RepositoryRoot, "Directory.Build.props"));
        return props.Descendants("RuntimeHostConfigurationOption")
            .ToDictionary(o => (string)o.Attribute("Include")!, o => Number((string)o.Attribute("Value")!));
    }

    /// <summary>A runtimeconfig value as the DOTNET_ variable's number: false is 0, true 1.</summary>
    private static long Number(string value) =>
        bool.TryParse(value, out var flag) ? (flag ? 1 : 0) : long.Parse(value, CultureInfo.InvariantCulture);

    private static Dictionary<string, string> KernelVariables()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, ".vscode", "settings.json")),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return settings.RootElement.GetProperty("polyglot-notebook.kernelEnvironmentVariables").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    [Fact]
    public void Should_Run_This_Test_Host_With_The_Repositorys_Settings()
    {
        var build = BuildSettings();
        Assert.NotEmpty(build);
        var gc = GC.GetConfigurationVariables();
        foreach (var (name, value) in build)
        {
            Assert.True(Names.ContainsKey(name), $"{name} in Directory.Build.props has no DOTNET_ variable here: add it, and to .vscode/settings.json");
            if (Names[name].Key is string key) Assert.Equal(value, Convert.ToInt64(gc[key], CultureInfo.InvariantCulture));
        }
        Assert.False(System.Runtime.GCSettings.IsServerGC);
    }

    [Fact]
    public void Should_Give_VS_Codes_Kernel_The_Same_Settings()
    {
        var variables = KernelVariables();
        foreach (var (name, value) in BuildSettings())
        {
            string variable = Names[name].Variable;
            Assert.True(variables.TryGetValue(variable, out var hex), $".vscode/settings.json does not set {variable} ({name} = {value})");
            // .NET reads DOTNET_ GC variables as hexadecimal, with or without 0x.
            Assert.Equal(value, long.Parse(hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }
        Assert.Equal("0", variables["DOTNET_gcServer"]);  // the kernel's own runtimeconfig asks for the server GC
        foreach (var (name, value) in DaseCV.Runner.Execution.KernelRuntimeVariables.All)
            Assert.True(variables.TryGetValue(name, out var given) && given == value, $".vscode/settings.json does not set {name}={value}, as `dasecv run` does");
        Assert.Equal(BuildSettings().Count + 1 + DaseCV.Runner.Execution.KernelRuntimeVariables.All.Count, variables.Count);
    }
}
