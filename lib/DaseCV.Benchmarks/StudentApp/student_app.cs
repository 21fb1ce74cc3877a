#:project ../../DaseCV/DaseCV.csproj
// A student's own console app: CS231n's softmax ported to plain MathNet, run as `dotnet run student_app.cs` with no
// settings of its own: default tiered JIT, this file built Debug (as `dotnet run` does by default: the first line
// printed says which assemblies the JIT optimizes), side by side with the numpy reference in the same run. Inside the
// repository it gets Directory.Build.props' GC settings and PublishAot=false (a file-based app's default, true, turns
// Reflection.Emit off), as a student's app there does; the second line says which ran (DOTNET_GCLOHThreshold=0x14C08
// DOTNET_GCRegionSize=0x400000 in front measures .NET's GC defaults). Usage, from the repository root:
//   dotnet run lib/DaseCV.Benchmarks/StudentApp/student_app.cs -- [--rounds 2] [--iters 1500] [--python /usr/bin/python3]
// Prints the CPU, vector width and GC settings, then per round: dev loss, SGD step (Xᵀ·dS written as
// X.TransposeThisAndMultiply(dScores), then as X.Transpose() * dScores), gen-2 collections per 1000 steps, and the
// ratios with numpy; exits 1 when dev > 1.0× or step > 0.5× numpy.
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using DaseCV.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;

int rounds = Arg("--rounds", 2), iters = Arg("--iters", 1500);
string python = ArgS("--python", "/usr/bin/python3");
string script = ArgS("--script", Path.GetFullPath(Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? ".", "../../../../shared/bench/softmax_np.py")));
if (!File.Exists(script)) script = Path.GetFullPath("../shared/bench/softmax_np.py");

Console.WriteLine($"cpu: {CpuModel()}; {Environment.ProcessorCount} cores; kernels: {SimdWidth.Description}");
var gcSettings = GC.GetConfigurationVariables();
Console.WriteLine($"gc: server={GCSettings.IsServerGC}, LOH threshold={gcSettings["LOHThreshold"]} B, region size={gcSettings["GCRegionSize"]} B, " +
                  $"Reflection.Emit={System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported} (the fast byte Transpose() needs it), " +
                  $"tiered PGO={AppContext.GetData("System.Runtime.TieredPGO") ?? "default"}; JIT optimizes: this app {Optimized(typeof(Program).Assembly)}, " +
                  $"DaseCV.LinearAlgebra {Optimized(typeof(SimdWidth).Assembly)}; provider: {MathNet.Numerics.Providers.LinearAlgebra.LinearAlgebraControl.Provider}");

const int D = 3073, C = 10, P = 3072;
var rng = new Random(1);
// dev set: standard normal with a bias column, as softmax_np.py dev
var XDev = Matrix<double>.Build.Dense(500, D, (i, j) => j == D - 1 ? 1.0 : MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1));
var yDev = Enumerable.Range(0, 500).Select(_ => rng.Next(C)).ToArray();
var WDev = Matrix<double>.Build.Dense(D, C, (_, _) => 0.0001 * MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1));
// training set: CIFAR-like bytes as the library's loader holds them (49000 × 3073, 150 MB)
int N = 49000;
var pixels = new byte[(long)N * P];
rng.NextBytes(pixels);
var mean = new double[P];
for (int i = 0; i < N; i++) for (int j = 0; j < P; j++) mean[j] += pixels[(long)i * P + j];
for (int j = 0; j < P; j++) mean[j] /= N;
Matrix<double> XTrain = new CenteredPixelMatrix(N, pixels, mean);
var yTrain = Enumerable.Range(0, N).Select(_ => rng.Next(C)).ToArray();

bool ok = true;
var table = new List<string>();
for (int r = 1; r <= rounds; r++)
{
    var npDev = Numpy("dev", "--naive", "0").GetProperty("vectorized").GetProperty("median").GetDouble();
    double dev = Median(() => Loss(WDev, XDev, yDev, 5e-6, transpose: false), 20, 200);
    double devT = Median(() => Loss(WDev, XDev, yDev, 5e-6, transpose: true), 20, 200);
    var np = Numpy("train", "--iters", iters.ToString(CultureInfo.InvariantCulture));
    double npStep = np.GetProperty("train_total_s").GetDouble() / iters;
    var (first, step, gen2) = Train(XTrain, yTrain, iters, transpose: false, seed: r);
    var (firstT, stepT, gen2T) = Train(XTrain, yTrain, iters, transpose: true, seed: r);
    Row($"round {r}: dev loss", dev, npDev, 1.0);
    Row($"round {r}: dev loss with X.Transpose() * dScores", devT, npDev, 1.0);
    Row($"round {r}: SGD step, steady state (mean of the last {iters - 100} of {iters}; first 100: {Ms(first)}; gen-2 GCs per 1000 steps {gen2:0.0})", step, npStep, 0.5);
    Row($"round {r}: SGD step with X.Transpose() * dScores ({stepT / step:0.00}× TransposeThisAndMultiply; first 100: {Ms(firstT)}; gen-2 per 1000 {gen2T:0.0})", stepT, npStep, 0.5 * 1.2);
}
Console.WriteLine();
foreach (var line in table) Console.WriteLine(line);
return ok ? 0 : 1;

void Row(string name, double ours, double numpy, double target)
{
    double ratio = ours / numpy;
    ok &= ratio <= target;
    var line = string.Create(CultureInfo.InvariantCulture, $"| {name} | {Ms(ours)} | {Ms(numpy)} | {ratio:0.00}× | ≤ {target:0.0#}× |");
    Console.WriteLine(line);
    table.Add(line);
}

// CS231n's softmax_loss_vectorized, line by line, as a student ports it.
static (double Loss, Matrix<double> Grad) Loss(Matrix<double> W, Matrix<double> X, int[] y, double reg, bool transpose)
{
    int numTrain = X.RowCount;
    var scores = X * W;
    var rowMax = scores.EnumerateRows().Select(r => r.Maximum()).ToArray();
    scores = scores.MapIndexed((i, j, s) => s - rowMax[i]);
    var expScores = scores.PointwiseExp();
    var rowSums = expScores.RowSums();
    var probs = expScores.MapIndexed((i, j, e) => e / rowSums[i]);
    double loss = 0;
    for (int i = 0; i < numTrain; i++) loss -= Math.Log(probs[i, y[i]]);
    loss = loss / numTrain + reg * W.PointwiseMultiply(W).Enumerate().Sum();
    var dScores = probs.Clone();
    for (int i = 0; i < numTrain; i++) dScores[i, y[i]] -= 1;
    var dW = (transpose ? X.Transpose() * dScores : X.TransposeThisAndMultiply(dScores)) / numTrain + 2 * reg * W;
    return (loss, dW);
}

// CS231n's LinearClassifier.train loop: sample a batch with replacement, loss, W -= lr·dW. Returns the mean step of
// the first 100 steps, of the rest, and gen-2 collections per 1000 steps.
static (double First, double Steady, double Gen2) Train(Matrix<double> X, int[] y, int iters, bool transpose, int seed)
{
    var random = new Random(seed);
    var W = Matrix<double>.Build.Random(X.ColumnCount, 10, new MathNet.Numerics.Distributions.Normal(0, 0.001, random));
    var yBatch = new int[200];
    int gen2 = GC.CollectionCount(2);
    long t0 = Stopwatch.GetTimestamp(), t100 = 0;
    for (int it = 0; it < iters; it++)
    {
        if (it == 100) { t100 = Stopwatch.GetTimestamp(); gen2 = GC.CollectionCount(2); }
        var idx = Enumerable.Range(0, 200).Select(_ => random.Next(X.RowCount)).ToArray();
        var XBatch = X.SelectRows(idx);
        for (int b = 0; b < 200; b++) yBatch[b] = y[idx[b]];
        var (_, grad) = Loss(W, XBatch, yBatch, 2.5e4, transpose);
        W -= 1e-7 * grad;
    }
    long t1 = Stopwatch.GetTimestamp();
    double first = (t100 - t0) / (double)Stopwatch.Frequency / 100, rest = (t1 - t100) / (double)Stopwatch.Frequency / (iters - 100);
    return (first, rest, (GC.CollectionCount(2) - gen2) * 1000.0 / (iters - 100));
}

static double Median(Action action, int warmup, int repeats)
{
    for (int k = 0; k < warmup; k++) action();
    var t = new double[repeats];
    for (int k = 0; k < repeats; k++) { long s = Stopwatch.GetTimestamp(); action(); t[k] = Stopwatch.GetElapsedTime(s).TotalSeconds; }
    Array.Sort(t);
    return t[repeats / 2];
}

JsonElement Numpy(string mode, params string[] rest)
{
    var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, UseShellExecute = false };
    start.ArgumentList.Add(script); start.ArgumentList.Add(mode);
    foreach (var a in rest) start.ArgumentList.Add(a);
    start.Environment.Remove("OPENBLAS_CORETYPE");  // numpy's own best speed (../shared/bench/README.md)
    start.Environment.Remove("OPENBLAS_L2_SIZE");
    // DOTNET_EnableAVX512=0 stands for an AVX2-only machine, where OpenBLAS runs its Zen (AVX2) kernels.
    if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0") start.Environment["OPENBLAS_CORETYPE"] = "Zen";
    using var p = Process.Start(start)!;
    string output = p.StandardOutput.ReadToEnd();
    p.WaitForExit();
    string json = output.Split('\n').Last(l => l.StartsWith("JSON ", StringComparison.Ordinal));
    return JsonDocument.Parse(json[5..]).RootElement.Clone();
}

static string CpuModel() =>
    File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
        : System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();

// A Debug build marks its assembly "JIT optimizer disabled": every method of it then runs unoptimized.
static bool Optimized(System.Reflection.Assembly assembly) =>
    assembly.GetCustomAttributes(typeof(DebuggableAttribute), false) is not [DebuggableAttribute { IsJITOptimizerDisabled: true }];

static string Ms(double s) => (s * 1e3).ToString("0.000", CultureInfo.InvariantCulture) + " ms";

int Arg(string name, int fallback) => Array.IndexOf(args, name) is int i and >= 0 ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
string ArgS(string name, string fallback) => Array.IndexOf(args, name) is int i and >= 0 ? args[i + 1] : fallback;
