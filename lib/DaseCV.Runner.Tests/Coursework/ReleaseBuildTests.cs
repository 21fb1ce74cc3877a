using System.Diagnostics;
using DaseCV.Runner.Tests.EndToEnd;

namespace DaseCV.Runner.Tests.Coursework;

/// <summary>
/// The whole assignment's release, as `handout` writes it from this repository, builds: the student's runner, library
/// and tests without the instructor-only files a release leaves out. (A runner file that used the grader's contract
/// once compiled here and not in a release; only CI's softmax release caught it.)
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ReleaseBuildTests
{
    [Fact]
    public async Task The_Whole_Assignments_Release_Should_Build()
    {
        var release = Path.Combine(TestPaths.NewTempDirectory(), "release");

        var handout = await RunnerProcess.RunAsync("handout", "--out", release);
        Assert.True(handout.ExitCode == 0, $"handout exited {handout.ExitCode}: {handout.StandardError}");
        Assert.False(Directory.Exists(Path.Combine(release, "lib", "DaseCV.Grader")), "a release holds no grader");

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = release,
        };
        foreach (var argument in new[] { "build", "DaseCV.slnx", "-nologo", "-v", "q" })
            start.ArgumentList.Add(argument);
        using var build = Process.Start(start)!;
        var output = build.StandardOutput.ReadToEndAsync();
        var errors = build.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await build.WaitForExitAsync(timeout.Token);

        Assert.True(build.ExitCode == 0, $"the release did not build (exit {build.ExitCode}):\n{await output}{await errors}");
        Assert.True(File.Exists(Path.Combine(release, "lib", "DaseCV.Runner", "bin", "Debug", "net10.0", "DaseCV.Runner.dll")),
            "the release's runner was not built");
    }
}
