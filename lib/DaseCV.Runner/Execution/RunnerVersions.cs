using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.DotNet.Interactive;

namespace DaseCV.Runner.Execution;

/// <summary>The versions a run is recorded with and <c>--version</c> prints, read in one place.</summary>
internal static class RunnerVersions
{
    /// <summary>The runner's own version, e.g. <c>1.0.0</c>.</summary>
    public static string Runner { get; } = Of(typeof(RunnerVersions).Assembly);

    /// <summary>The kernel the notebook runs on, e.g. <c>Microsoft.DotNet.Interactive 1.0.0-beta.26120.1</c>.</summary>
    public static string Kernel { get; } = $"Microsoft.DotNet.Interactive {Of(typeof(Kernel).Assembly)}";

    /// <summary>The .NET runtime, e.g. <c>.NET 10.0.0</c>.</summary>
    public static string Runtime => RuntimeInformation.FrameworkDescription;

    // The informational version without the "+commit" suffix the SDK appends.
    private static string Of(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString() ?? "?";
}
