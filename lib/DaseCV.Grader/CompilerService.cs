using DaseCV.Grader.Harness;

namespace DaseCV.Grader;

/// <summary>The compiled library, or what the student reads instead: the compiler's errors, or the limit compiling hit.</summary>
internal sealed record Compiled(byte[]? Dll, string? Errors);

/// <summary>
/// The compiler in its sandbox, kept warm across submissions (a cold Roslyn spends seconds in the JIT) and used by one
/// submission at a time. It only reads text and never runs it, so sharing it shares no student's code with another;
/// what a submission's text can do to it (exhaust memory, nest too deep, bind for minutes) meets its limits, and then
/// that submission is compiled again on a fresh compiler before the failure is called the student's. It is started
/// again every <see cref="CompilesPerProcess"/> compilations, so that one compiler's growth never counts against a later submission.
/// </summary>
internal sealed class CompilerService(Sandbox sandbox, string referencesFolder, Limits limits) : IAsyncDisposable
{
    private const int CompilesPerProcess = 25;
    private readonly SemaphoreSlim _one = new(1);
    private HarnessSession? _compiler;
    private int _compiles;

    /// <exception cref="SandboxFault">The sandbox itself failed.</exception>
    public async Task<Compiled> CompileAsync(IReadOnlyList<(string Path, string Text)> sources, string version)
    {
        await _one.WaitAsync();
        try
        {
            var fresh = _compiler is null;
            try
            {
                return await OnceAsync(sources, version);
            }
            catch (HarnessFailure failure) when (fresh)
            {
                return Stopped(failure);
            }
            catch (HarnessFailure)
            {
                // Maybe the compiler, not this submission: a fresh one decides.
                try
                {
                    return await OnceAsync(sources, version);
                }
                catch (HarnessFailure failure)
                {
                    return Stopped(failure);
                }
            }
        }
        finally
        {
            _one.Release();
        }
    }

    private Compiled Stopped(HarnessFailure failure) => new(null, failure.TimedOut
        ? Feedback.Say($"编译超过 {limits.Time.TotalSeconds:F0} 秒，已停止（嵌套过深的表达式或 lambda？）", $"compiling took longer than {limits.Time.TotalSeconds:F0} s and was stopped (deeply nested expressions or lambdas?)")
        : Feedback.Say("编译器在编译这份代码时停止", "the compiler stopped while compiling this code") + ": " + failure.Message);

    private async Task<Compiled> OnceAsync(IReadOnlyList<(string Path, string Text)> sources, string version)
    {
        if (_compiler is not null && _compiles >= CompilesPerProcess)
            await StopAsync();
        if (_compiler is null)
        {
            var run = new SandboxRun(Sandbox.CompilerDirectory, "DaseCV.Grader.Compiler.dll", ["/refs"], [(referencesFolder, "/refs")],
                limits, CpuSeconds: (int)Math.Ceiling(limits.Time.TotalSeconds * CompilesPerProcess), OpenSsl: true);
            _compiler = HarnessSession.Start(sandbox, run);
            _compiles = 0;
        }

        _compiles++;
        _compiler.BeginCheck();
        try
        {
            var (reply, _) = await _compiler.CallAsync(w =>
            {
                w.Write(Wire.Compile);
                Wire.WriteString(w, version);
                w.Write(sources.Count);
                foreach (var (path, text) in sources)
                {
                    Wire.WriteString(w, path);
                    Wire.WriteText(w, text);
                }
            }, r => r.ReadByte() switch
            {
                Wire.Ok => new Compiled(Wire.ReadBytes(r), null),
                Wire.Threw => new Compiled(null, Wire.ReadText(r)),
                var other => throw new InvalidDataException($"compiler reply {other}"),
            });
            return reply;
        }
        catch (HarnessFailure)
        {
            await StopAsync();
            throw;
        }
    }

    private async Task StopAsync()
    {
        if (_compiler is null)
            return;
        await _compiler.DisposeAsync();
        _compiler = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _one.Dispose();
    }
}
