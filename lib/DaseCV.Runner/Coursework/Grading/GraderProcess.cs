using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using DaseCV.Grader;
using DaseCV.Runner.IO;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>The grading machine cannot grade (sandbox, limits, self-test): the instructor's to fix, nobody's grade.</summary>
internal sealed class InfrastructureException(string message) : Exception(message);

/// <summary>
/// The trusted grader (lib/DaseCV.Grader's Release build, built with the runner) as one child process for a whole
/// class: <c>serve</c> compiles each submission in its sandboxed compiler and runs the checks in a sandboxed harness,
/// any number of submissions at once, and answers each request with one JSON line on stdout, which nothing of the
/// student's can reach. It never loads the student's code.
/// </summary>
internal sealed class GraderProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<GradeResponse>> _waiting = new();
    private readonly Task _reader;
    private readonly SemaphoreSlim _write = new(1);

    private GraderProcess(Process process, ServeStatus status)
    {
        _process = process;
        Status = status;
        _reader = Task.Run(ReadAsync);
    }

    public static string BuildDirectory { get; } =
        typeof(GraderProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "DaseCV.Grader.BuildDirectory").Value!;

    private static string GraderDll => Path.Combine(BuildDirectory, "DaseCV.Grader.dll");

    /// <summary>What the grader set up: the sandbox and the limits that apply.</summary>
    public ServeStatus Status { get; }

    public static async Task<IReadOnlyList<CatalogEntry>> CatalogAsync()
    {
        using var process = Process.Start(StartInfo(["catalog"]))!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InfrastructureException($"{GraderDll} catalog failed (exit code {process.ExitCode}): {stderr.Trim()}");
        return JsonSerializer.Deserialize<List<CatalogEntry>>(stdout) ?? [];
    }

    /// <summary>Starts the grader; throws with what to change when it cannot grade on this machine.</summary>
    /// <exception cref="InfrastructureException">The sandbox, its folder or the kernel's limits are not available.</exception>
    public static async Task<GraderProcess> StartAsync(Limits limits)
    {
        string[] arguments = ["serve", limits.Time.TotalSeconds.ToString(CultureInfo.InvariantCulture), (limits.MemoryBytes >> 20).ToString(CultureInfo.InvariantCulture)];
        var process = Process.Start(StartInfo(limits.AllowUnlimited ? [.. arguments, "--allow-unlimited"] : arguments))!;
        var first = await process.StandardOutput.ReadLineAsync();
        var status = first is null ? null : JsonSerializer.Deserialize<ServeStatus>(first);
        if (status is not { Ready: true })
        {
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            process.Dispose();
            throw new InfrastructureException(status?.Fault ?? $"the grader did not start (exit code {process.ExitCode}): {stderr.Trim()}");
        }

        _ = process.StandardError.ReadToEndAsync();  // drained, so the grader never blocks on it
        return new GraderProcess(process, status);
    }

    /// <summary>Grades one spliced library for one exercise; the response says what compiled and what each of that exercise's code checks found.</summary>
    /// <param name="exercise">The exercise whose regions are the student's in <paramref name="sourcesFolder"/> (<see cref="GradeRequest.Exercise"/>).</param>
    /// <param name="tuning">The exercise's retraining checks' data and choices (<see cref="GradeRequest.Tuning"/>); null when it has none.</param>
    public async Task<GradeResponse> GradeAsync(string id, string sourcesFolder, string version, string exercise, TuningRequest? tuning = null)
    {
        var answer = new TaskCompletionSource<GradeResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_waiting.TryAdd(id, answer))
            throw new InvalidOperationException($"{id} is being graded already");
        await _write.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new GradeRequest(id, sourcesFolder, version, exercise, tuning), JsonFiles.Lines));
            await _process.StandardInput.FlushAsync();
        }
        catch (IOException)
        {
            _waiting.TryRemove(id, out _);
            throw new InfrastructureException("the grader process ended unexpectedly");
        }
        finally
        {
            _write.Release();
        }

        return await answer.Task;
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            GradeResponse? response;
            try
            {
                response = JsonSerializer.Deserialize<GradeResponse>(line);
            }
            catch (JsonException)
            {
                continue;
            }

            if (response is not null && _waiting.TryRemove(response.Id, out var waiting))
                waiting.SetResult(response);
        }

        // The grader ended: whatever still waits is the machine's failure, never a student's.
        foreach (var id in _waiting.Keys)
            if (_waiting.TryRemove(id, out var waiting))
                waiting.SetException(new InfrastructureException($"the grader process ended (exit code {(_process.HasExited ? _process.ExitCode : -1)}) before answering"));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _reader;
        _process.Dispose();
        _write.Dispose();
    }

    private static ProcessStartInfo StartInfo(IReadOnlyList<string> arguments)
    {
        if (!File.Exists(GraderDll))
            throw new UsageException($"{GraderDll} does not exist; build the runner (`dotnet build lib/DaseCV.Runner`), which builds the grader.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(GraderDll);
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        start.Environment.Remove("DOTNET_HOST_PATH");
        return start;
    }
}
