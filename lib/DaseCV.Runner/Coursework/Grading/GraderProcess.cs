using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using DaseCV.Grader;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>Limits for each check of one submission.</summary>
/// <param name="Time">Wall-clock limit per check; the sandbox is killed when it passes.</param>
/// <param name="MemoryBytes">Resident memory of a check's process tree (also its GC heap limit).</param>
internal sealed record CheckLimits(TimeSpan Time, long MemoryBytes)
{
    public static CheckLimits Default { get; } = new(TimeSpan.FromSeconds(60), 2L << 30);
}

/// <summary>
/// The trusted grader (lib/DaseCV.Grader's Release build, built with the runner) as a child process. It never loads
/// the student's code: it hands the compiled DLL to its sandboxed harness and sends back verdicts on stdout, which
/// nothing of the student's can reach.
/// </summary>
internal static class GraderProcess
{
    public static string BuildDirectory { get; } =
        typeof(GraderProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "DaseCV.Grader.BuildDirectory").Value!;

    private static string GraderDll => Path.Combine(BuildDirectory, "DaseCV.Grader.dll");

    public static async Task<IReadOnlyList<CatalogEntry>> CatalogAsync()
    {
        var (exit, stdout, stderr) = await RunAsync(["catalog"], TimeSpan.FromMinutes(1));
        if (exit != 0)
            throw new UsageException($"{GraderDll} catalog failed (exit code {exit}): {stderr.Trim()}");
        return JsonSerializer.Deserialize<List<CatalogEntry>>(stdout) ?? [];
    }

    /// <summary>Runs every code check on <paramref name="studentDll"/>; throws with the grader's own error when it fails.</summary>
    public static async Task<GraderReport> CheckAsync(string studentDll, CheckLimits limits, int codeChecks)
    {
        var seconds = limits.Time.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        var megabytes = (limits.MemoryBytes >> 20).ToString(CultureInfo.InvariantCulture);
        // Each check ends at its own limit; the grader's own work (references, timing) adds a little.
        var (exit, stdout, stderr) = await RunAsync(["check", studentDll, seconds, megabytes], limits.Time * (codeChecks + 1) + TimeSpan.FromMinutes(2));
        if (exit != 0)
            throw new InvalidOperationException($"the grader failed (exit code {exit}): {stderr.Trim()}");
        return JsonSerializer.Deserialize<GraderReport>(stdout) ?? throw new InvalidOperationException("the grader printed no report");
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        if (!File.Exists(GraderDll))
            throw new UsageException($"{GraderDll} does not exist; build the runner (`dotnet build lib/DaseCV.Runner`), which builds the grader.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(GraderDll);
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        start.Environment.Remove("DOTNET_HOST_PATH");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, "", $"the grader did not finish within {timeout.TotalMinutes:F0} minutes");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
