using System.Runtime.InteropServices;

namespace DaseCV.Benchmarks;

/// <summary>What the figures ran on: the CPU model and the vector width, printed by every mode.</summary>
internal static class Machine
{
    /// <summary>The CPU's model name (Linux's /proc/cpuinfo), else the architecture.</summary>
    public static string CpuModel { get; } = ReadCpuModel();

    /// <summary>e.g. "AMD EPYC, 2 cores, .NET 10.0.0; kernels: Vector512 (AVX-512), 8 doubles per vector".</summary>
    public static string Description =>
        $"{CpuModel}, {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}; " +
        $"kernels: {DaseCV.LinearAlgebra.SimdWidth.Description}" +
        (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0" ? " (DOTNET_EnableAVX512=0)" : "");

    private static string ReadCpuModel()
    {
        try
        {
            var line = File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                : null;
            return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
