using System.Diagnostics;

namespace DaseCV.Runner.Tests.EndToEnd;

/// <summary>Result of one runner process: exit code and its two output streams.</summary>
internal sealed record RunnerOutcome(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Starts the built runner (DaseCV.Runner.dll next to the tests) as its own process, as `dotnet run` would.</summary>
internal static class RunnerProcess
{
    public static Task<RunnerOutcome> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    /// <summary>The runner with <paramref name="environment"/> added to this process's variables.</summary>
    public static async Task<RunnerOutcome> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestPaths.RepositoryRoot,
        };
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DaseCV.Runner.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new RunnerOutcome(process.ExitCode, await stdout, await stderr);
    }
}
