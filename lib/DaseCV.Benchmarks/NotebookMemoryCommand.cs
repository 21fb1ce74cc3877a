using System.Diagnostics;
using System.Globalization;
using DaseCV.Runner.IO;

namespace DaseCV.Benchmarks;

/// <summary>
/// <c>notebook-memory</c>: runs any notebook through the runner (built first, so MSBuild is not timed) and reports its
/// wall time and the peak resident memory of the runner and its kernel process together (<see cref="PeakMemory"/>).
/// </summary>
internal static class NotebookMemoryCommand
{
    private const long TargetBytes = 2048L * 1024 * 1024;

    public static int Run(string notebook, string dataDirectory, string? outDirectory)
    {
        string root = RepositoryRoot.Find(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException($"no DaseCV.slnx above {AppContext.BaseDirectory}: run the repository's own build");
        string outDir = Path.GetFullPath(outDirectory ?? Path.Combine(root, "artifacts", "bench-" + Path.GetFileNameWithoutExtension(notebook)));
        Console.WriteLine($"machine: {Machine.Description}");
        NotebookCommand.Exec("dotnet", root, "build", "lib/DaseCV.Runner", "-c", "Release", "-nologo", "-v", "q");
        string runner = Path.Combine(root, "lib", "DaseCV.Runner", "bin", "Release", "net10.0", "DaseCV.Runner.dll");

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root };
        foreach (var a in new[] { runner, "run", Path.GetFullPath(notebook), "--out", outDir, "-p", $"dataDir={Path.GetFullPath(dataDirectory)}" })
            start.ArgumentList.Add(a);
        var (exitCode, seconds, peak) = PeakMemory.Run(start);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(notebook)}: exit {exitCode}, {seconds:F1} s wall, peak RSS {peak / 1048576.0:F0} MiB (target ≤ {TargetBytes / 1048576} MiB)"));
        return exitCode == 0 && peak <= TargetBytes ? 0 : 1;
    }
}
