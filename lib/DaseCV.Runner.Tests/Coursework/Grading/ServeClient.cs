using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DaseCV.Grader;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Coursework.Grading;
using DaseCV.Runner.IO;

namespace DaseCV.Runner.Tests.Coursework.Grading;

/// <summary>
/// The grader's <c>serve</c> as the tests talk to it: GradeRequest lines naming any exercise, GradeResponse lines back
/// (the runner's own client sends softmax requests only), and source folders built from this repository's library with
/// chosen edits.
/// </summary>
internal sealed class ServeClient : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<GradeResponse>> _waiting = new();
    private readonly SemaphoreSlim _write = new(1);
    private readonly Task _reader;
    private readonly Task<string> _stderr;

    private ServeClient(Process process, ServeStatus status)
    {
        _process = process;
        Status = status;
        _stderr = process.StandardError.ReadToEndAsync();
        _reader = Task.Run(ReadAsync);
    }

    public ServeStatus Status { get; }

    /// <summary>The instructor's DaseCV version, which the compiled submission must carry.</summary>
    public static string Version { get; } = typeof(DaseCV.Classifiers.SoftmaxLoss).Assembly.GetName().Version!.ToString();

    /// <summary>Runs <c>DaseCV.Grader</c> with <paramref name="arguments"/> (its Release build, as the runner does).</summary>
    public static ProcessStartInfo StartInfo(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(GraderProcess.BuildDirectory, "DaseCV.Grader.dll"));
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        start.Environment.Remove("DOTNET_HOST_PATH");
        return start;
    }

    public static async Task<ServeClient> StartAsync(Limits limits)
    {
        var process = Process.Start(StartInfo("serve", limits.Time.TotalSeconds.ToString(CultureInfo.InvariantCulture), (limits.MemoryBytes >> 20).ToString(CultureInfo.InvariantCulture)))!;
        var first = await process.StandardOutput.ReadLineAsync();
        var status = first is null ? null : JsonSerializer.Deserialize<ServeStatus>(first);
        if (status is not { Ready: true })
        {
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            process.Dispose();
            throw new InvalidOperationException($"serve did not start: {status?.Fault ?? stderr}");
        }

        return new ServeClient(process, status);
    }

    public async Task<GradeResponse> GradeAsync(string id, string sources, string exercise)
    {
        var answer = new TaskCompletionSource<GradeResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(_waiting.TryAdd(id, answer), $"{id} is being graded already");
        await _write.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new GradeRequest(id, sources, Version, exercise), JsonFiles.Lines));
            await _process.StandardInput.FlushAsync();
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
            if (JsonSerializer.Deserialize<GradeResponse>(line) is { } response && _waiting.TryRemove(response.Id, out var waiting))
                waiting.SetResult(response);
        foreach (var id in _waiting.Keys)
            if (_waiting.TryRemove(id, out var waiting))
                waiting.SetException(new InvalidOperationException($"serve ended before answering {id}: {await _stderr}"));
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
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

    /// <summary>
    /// A sources folder as the runner builds one: every .cs file of lib/DaseCV by repository path (build output left
    /// out), the instructor's code, with <paramref name="edit"/> applied to the files it names.
    /// </summary>
    public static string Sources(string folder, IReadOnlyDictionary<string, Func<string, string>> edit)
    {
        var root = TestPaths.RepositoryRoot;
        var library = Path.Combine(root, "lib", "DaseCV");
        foreach (var file in Directory.EnumerateFiles(library, "*.cs", SearchOption.AllDirectories))
        {
            if (CourseLayout.IsBuildOutput(CourseLayout.ToRelative(library, file)))
                continue;
            var relative = CourseLayout.ToRelative(root, file);
            var text = File.ReadAllText(file);
            var target = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, edit.TryGetValue(relative, out var change) ? change(text) : text);
        }

        foreach (var path in edit.Keys)
            Assert.True(File.Exists(Path.Combine(root, path)), $"no {path} in the library");
        return folder;
    }

    /// <summary>Every marked region of the file replaced by a stub that throws, as the handout ships it.</summary>
    public static string Stub(string text, string path) =>
        SolutionMarkers.Replace(text, SolutionMarkers.Find(text, path), region =>
            $"{region.Indent}#pragma warning disable CS0162\n{region.Indent}throw new NotImplementedException(\"stub\");");

    /// <summary><paramref name="from"/> replaced by <paramref name="to"/>; it must occur exactly once, inside a marked region.</summary>
    public static string Plant(string text, string path, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0 && text.IndexOf(from, at + 1, StringComparison.Ordinal) < 0, $"'{from}' does not occur exactly once in {path}");
        var line = text[..at].Count(c => c == '\n');
        Assert.Contains(SolutionMarkers.Find(text, path), r => r.StartLine < line && line < r.EndLine);
        return text.Replace(from, to, StringComparison.Ordinal);
    }
}
