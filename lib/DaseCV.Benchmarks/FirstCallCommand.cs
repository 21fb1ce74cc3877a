using System.Globalization;
using System.Text.Json;
using DaseCV.Data;
using DaseCV.Runner.IO;

namespace DaseCV.Benchmarks;

/// <summary>
/// <c>first-call</c>: every operation the kNN, SVM and softmax notebooks time, each in a fresh process and timed
/// once after the data is loaded (as a notebook's timing cell sees it in a fresh kernel), beside CS231n's numpy code
/// timed the same way (<c>first_call_np.py</c>, first call after <c>import numpy</c> and the same loading), then the
/// steady state of both. numpy is taken at its best: the faster of OpenBLAS on one thread and on its default threads.
/// </summary>
/// <remarks>
/// Targets (issue 27): first call of kNN's no-loop distances and of the vectorized SVM and softmax losses ≤ 0.5×;
/// a 1500-step training run, per step, ≤ 0.5×; the student's CS231n-style port (<see cref="StudentSoftmax"/>) ≤ 1×.
/// The other rows are shown without a target.
/// </remarks>
internal static class FirstCallCommand
{
    /// <summary>How the stand-in data set is checked (data/README.md beside the shared folder).</summary>
    private const string StandInMd5 = "09bd753533fa452f2b432938a5548a14";

    /// <summary>One operation: steady-state warm-up and repeats, the numpy operation it is timed against, its target.</summary>
    /// <remarks>UsesBlas: false where numpy's code calls no BLAS, so OpenBLAS's threads change nothing and numpy runs once.</remarks>
    private sealed record Op(string Name, int Warmup, int Repeats, string NumpyOp, double FirstTarget, bool PerStep = false, bool UsesBlas = true);

    private static readonly Op[] All =
    [
        // The loops take numpy most of a minute each (2.5 million Python iterations; 500 subtractions of 120 MB):
        // timed once, no steady state.
        new("knn-two-loops", 0, 0, "knn-two-loops", double.PositiveInfinity, UsesBlas: false),
        new("knn-one-loop", 0, 0, "knn-one-loop", double.PositiveInfinity, UsesBlas: false),
        new("knn-no-loops", 2, 5, "knn-no-loops", 0.5),
        new("svm-naive", 1, 3, "svm-naive", double.PositiveInfinity),
        new("svm-vectorized", 100, 50, "svm-vectorized", 0.5),
        new("softmax-naive", 1, 3, "softmax-naive", double.PositiveInfinity),
        new("softmax-vectorized", 100, 50, "softmax-vectorized", 0.5),
        new("student-softmax-vectorized", 100, 50, "softmax-vectorized", 1.0),
        new("svm-train", 0, 1, "svm-train", 0.5, PerStep: true),
        new("softmax-train", 0, 1, "softmax-train", 0.5, PerStep: true),
        new("student-softmax-train", 0, 1, "softmax-train", 1.0, PerStep: true),
    ];

    private sealed record Measured(double First, double? Steady, JsonElement Json);

    public static int Run(string? dataDir, string python, int rounds, int iters, string[] only)
    {
        string root = RepositoryRoot.Find(AppContext.BaseDirectory) ?? ".";
        string data = EnsureData(dataDir ?? Path.Combine(root, "artifacts", "bench-data"), root);
        string script = Path.Combine(root, "lib", "DaseCV.Benchmarks", "first_call_np.py");
        var ops = only.Length == 0 ? All : All.Where(o => only.Contains(o.Name)).ToArray();
        if (ops.Length == 0) throw new ArgumentException($"no such operation: {string.Join(", ", only)}; expected some of {string.Join(", ", All.Select(o => o.Name))}");
        Console.WriteLine($"machine: {Machine.Description}; data: {data}; tiered compilation: {TieringSettings()}");

        var rows = new List<(Op Op, int Round, Measured Ours, Measured NpOne, Measured NpDefault)>();
        for (int r = 0; r < rounds; r++)
        {
            // numpy's results per numpy operation this round: student rows reuse the softmax ones.
            var numpyRuns = new Dictionary<string, (Measured One, Measured Default)>();
            foreach (var op in ops)
            {
                Measured? ours = null;
                // Alternate who goes first from round to round: a shared machine drifts.
                if (r % 2 == 1) ours = RunOurs(op, data, iters);
                if (!numpyRuns.TryGetValue(op.NumpyOp, out var np))
                {
                    var numpyOp = All.First(o => o.Name == op.NumpyOp);
                    var one = RunNumpy(python, script, numpyOp, data, iters, threads: "1");
                    np = (one, numpyOp.UsesBlas ? RunNumpy(python, script, numpyOp, data, iters, threads: null) : one);
                    numpyRuns[op.NumpyOp] = np;
                }
                ours ??= RunOurs(op, data, iters);
                rows.Add((op, r + 1, ours, np.One, np.Default));
                Print(op, r + 1, ours, np.One, np.Default);
            }
        }

        var blasRow = rows.FirstOrDefault(x => All.First(o => o.Name == x.Op.NumpyOp).UsesBlas);
        if (blasRow.Op is null) blasRow = rows[0];
        var info = blasRow.NpDefault.Json.GetProperty("info");
        var infoOne = blasRow.NpOne.Json.GetProperty("info");
        Console.WriteLine();
        Console.WriteLine($"machine: {Machine.Description}; tiered compilation: {TieringSettings()}");
        Console.WriteLine($"numpy {Str(info, "numpy")} on {Str(info, "blas")} {Str(info, "blas_version")} ({Str(info, "blas_arch")} kernels), " +
                          $"default {Str(info, "blas_threads")} threads / OPENBLAS_NUM_THREADS=1 ({Str(infoOne, "blas_threads")} thread); best of the two per row");
        Console.WriteLine("| operation | round | C# first call | numpy first call, 1 thread / default | first-call ratio | target | C# steady | numpy steady, best | steady ratio |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        var missed = new List<string>();
        foreach (var (op, round, ours, one, def) in rows)
        {
            double scale = op.PerStep ? 1.0 / iters : 1.0;
            double npFirst = Math.Min(one.First, def.First);
            double ratio = ours.First / npFirst;
            double? npSteady = Min(one.Steady, def.Steady);
            string steadyRatio = ours.Steady is double s && npSteady is double n ? Ratio(s / n) : "";
            Console.WriteLine($"| {op.Name}{(op.PerStep ? $", per step of {iters}" : "")} | {round} | {Time(ours.First * scale)} | " +
                              $"{Time(one.First * scale)} / {Time(def.First * scale)} | {Ratio(ratio)} | {Target(op.FirstTarget)} | " +
                              $"{Time(ours.Steady * scale)} | {Time(npSteady * scale)} | {steadyRatio} |");
            if (ratio > op.FirstTarget) missed.Add($"missed: {op.Name} first call at {Ratio(ratio)} (target {Target(op.FirstTarget)}), round {round}");
        }
        foreach (var line in missed) Console.Error.WriteLine(line);
        return missed.Count == 0 ? 0 : 1;
    }

    private static void Print(Op op, int round, Measured ours, Measured one, Measured def) =>
        Console.WriteLine($"round {round} {op.Name}: C# first {Time(ours.First)}, steady {Time(ours.Steady)}; numpy first {Time(one.First)} (1 thread) / " +
                          $"{Time(def.First)} (default), steady {Time(one.Steady)} / {Time(def.Steady)}; first-call ratio {Ratio(ours.First / Math.Min(one.First, def.First))}");

    private static Measured RunOurs(Op op, string data, int iters) =>
        Parse(FreshProcess.Run("first-call-run", op.Name, data, "--warmup", Int(op.Warmup), "--repeats", Int(op.Repeats), "--iters", Int(iters)));

    private static Measured RunNumpy(string python, string script, Op op, string data, int iters, string? threads) =>
        Parse(FreshProcess.JsonLine(NumpyReference.StartInfo(python,
            [script, op.Name, data, "--warmup", Int(op.Warmup), "--repeats", Int(op.Repeats), "--iters", Int(iters)], threads)));

    private static Measured Parse(JsonElement element)
    {
        var steady = element.GetProperty("steady");
        return new Measured(element.GetProperty("first").GetDouble(), steady.ValueKind == JsonValueKind.Number ? steady.GetDouble() : null, element);
    }

    /// <summary>The stand-in CIFAR-10 (../shared/data) extracted into <paramref name="dataDir"/> once, for benchmarks only.</summary>
    private static string EnsureData(string dataDir, string root)
    {
        if (!Cifar10.IsDownloaded(dataDir))
        {
            string archive = Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "cifar-10-binary-approx.tar.gz"));
            Console.WriteLine($"extracting {archive} into {dataDir} …");
            Cifar10.EnsureDownloaded(dataDir, archive, StandInMd5);
        }
        return dataDir;
    }

    /// <summary>The JIT settings the children inherit, as DOTNET_ variables (none: .NET's defaults and the runtimeconfig's).</summary>
    private static string TieringSettings()
    {
        var set = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("DOTNET_T", StringComparison.Ordinal) || k.StartsWith("DOTNET_ReadyToRun", StringComparison.Ordinal) || k == "DOTNET_EnableAVX512")
            .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}").Order().ToList();
        string kernel = string.Join(" ", DaseCV.Runner.Execution.KernelRuntimeVariables.All.Select(v => $"{v.Key}={v.Value}"));
        return (set.Count == 0 ? "the runtimeconfig's" : string.Join(" ", set)) + $"; children get the kernel's {kernel}";
    }

    private static double? Min(double? a, double? b) => a is double x && b is double y ? Math.Min(x, y) : a ?? b;

    private static string Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ToString() : "?";

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Ratio(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    private static string Target(double target) =>
        double.IsPositiveInfinity(target) ? "none" : "≤ " + target.ToString("0.0#", CultureInfo.InvariantCulture) + "×";

    private static string Time(double? seconds) => seconds switch
    {
        null => "",
        >= 1 => seconds.Value.ToString("0.00", CultureInfo.InvariantCulture) + " s",
        _ => (seconds.Value * 1e3).ToString("0.000", CultureInfo.InvariantCulture) + " ms",
    };
}
