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
        return FreshProcess.JsonLine(StartInfo(python, [script, mode, .. args]));
    }

    /// <summary>
    /// <c>python args…</c> with OpenBLAS as numpy runs fastest: the variables some machines set for other tools removed
    /// (../shared/bench/README.md), <see cref="CoreType"/> applied, and <paramref name="openBlasThreads"/> if given.
    /// </summary>
    public static ProcessStartInfo StartInfo(string python, IEnumerable<string> args, string? openBlasThreads = null)
    {
        var start = new ProcessStartInfo(python);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Remove("OPENBLAS_CORETYPE");
        start.Environment.Remove("OPENBLAS_L2_SIZE");
        if (CoreType is string core) start.Environment["OPENBLAS_CORETYPE"] = core;
        if (openBlasThreads is not null) start.Environment["OPENBLAS_NUM_THREADS"] = openBlasThreads;
        return start;
    }
}
