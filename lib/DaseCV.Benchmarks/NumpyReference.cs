using System.Diagnostics;
using System.Text.Json;
using DaseCV.Runner.IO;

namespace DaseCV.Benchmarks;

/// <summary>Runs the numpy reference <c>softmax_np.py</c> (CS231n's code) and reads its <c>JSON</c> line.</summary>
internal sealed class NumpyReference(string python, string script)
{
    /// <summary>The default script: <c>../shared/bench/softmax_np.py</c> beside the repository root.</summary>
    public static string DefaultScript()
    {
        return Path.GetFullPath(Path.Combine(RepositoryRoot.Find(AppContext.BaseDirectory) ?? ".", "..", "shared", "bench", "softmax_np.py"));
    }

    /// <summary>
    /// The OpenBLAS kernels numpy runs: its own choice, except that a run with <c>DOTNET_EnableAVX512=0</c> stands for an
    /// AVX2-only machine (issue 19's AMD EPYC), where OpenBLAS picks its Zen (AVX2) kernels; so numpy gets those too,
    /// rather than AVX-512 kernels no such machine has.
    /// </summary>
    public static string? CoreType { get; } = Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0" ? "Zen" : null;

    /// <summary>Runs <c>python script mode args…</c> and returns the parsed JSON result.</summary>
    public JsonElement Run(string mode, params string[] args)
    {
        if (!File.Exists(script))
            throw new FileNotFoundException($"numpy reference script not found at {script}; pass --script PATH.", script);
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(mode);
        foreach (var a in args) start.ArgumentList.Add(a);
        // Its README: some machines set these for other tools; numpy is fastest without them.
        start.Environment.Remove("OPENBLAS_CORETYPE");
        start.Environment.Remove("OPENBLAS_L2_SIZE");
        if (CoreType is string core) start.Environment["OPENBLAS_CORETYPE"] = core;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {python}");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{python} {script} {mode} exited with {process.ExitCode}:\n{output}");
        string json = output.Split('\n').LastOrDefault(l => l.StartsWith("JSON ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{script} {mode} printed no JSON line:\n{output}");
        return JsonDocument.Parse(json[5..]).RootElement.Clone();
    }
}
