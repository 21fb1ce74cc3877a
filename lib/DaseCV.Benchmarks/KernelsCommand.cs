using System.Globalization;
using DaseCV.Kernels;

namespace DaseCV.Benchmarks;

/// <summary><c>kernels</c>: best-of-repeats GFLOP/s of the two products on batch and dev shapes (BenchmarkDotNet's <c>bdn</c> is the careful version).</summary>
internal static class KernelsCommand
{
    public static int Run(string[] args)
    {
        int repeats = int.Parse(Options.Parse(args).Get("--repeats", "200"), CultureInfo.InvariantCulture);
        foreach (int n in new[] { 200, 500 })
        {
            var (X, _, W) = Workloads.Dev(n, seed: 1);
            int D = Workloads.D, C = Workloads.C;
            var S = new double[n * C];
            var G = new double[D * C];
            double flop = 2.0 * n * D * C;
            double xw = Timing.Min(() => TallSkinnyGemm.Multiply(X.Data, n, D, W.Values, C, S), 20, repeats);
            double xw1 = Timing.Min(() => TallSkinnyGemm.MultiplyRows(X.Data, n, D, W.Values, C, S), 20, repeats);
            double xtds = Timing.Min(() => TallSkinnyGemm.TransposeMultiply(X.Data, n, D, S, C, G), 20, repeats);
            double xtds1 = Timing.Min(() => TallSkinnyGemm.TransposeMultiplyColumns(X.Data, n, D, S, C, G, 0, D), 20, repeats);
            Console.WriteLine($"N={n}: X·W {Line(xw, flop)}, one thread {Line(xw1, flop)}; Xᵀ·dS {Line(xtds, flop)}, one thread {Line(xtds1, flop)}");
        }
        return 0;
    }

    private static string Line(double seconds, double flop) =>
        string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e3:0.000} ms ({flop / seconds / 1e9:0.0} GFLOP/s)");
}
