using MathNet.Numerics.Providers.LinearAlgebra;
using System.Globalization;
using DaseCV.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Benchmarks;

/// <summary><c>kernels</c>: best-of-repeats GFLOP/s of MathNet's <c>X * W</c> and <c>X.TransposeThisAndMultiply(dS)</c> on the provider (BenchmarkDotNet's <c>bdn</c> is the careful version).</summary>
internal static class KernelsCommand
{
    public static int Run(int repeats)
    {
        Console.WriteLine($"vector width: {SimdWidth.Description}; provider: {LinearAlgebraControl.Provider}");
        foreach (int n in new[] { 200, 500 })
        {
            var (X, _, W) = Workloads.Dev(n, seed: 1);
            var S = X * W;
            double flop = 2.0 * n * Workloads.D * Workloads.C;
            double xw = Timing.Min(() => _ = X * W, 20, repeats);
            double xtds = Timing.Min(() => _ = X.TransposeThisAndMultiply(S), 20, repeats);
            DaseCV.LinearAlgebra.Kernels.Gemm.MaxThreads = 1;
            double xw1 = Timing.Min(() => _ = X * W, 20, repeats);
            double xtds1 = Timing.Min(() => _ = X.TransposeThisAndMultiply(S), 20, repeats);
            DaseCV.LinearAlgebra.Kernels.Gemm.MaxThreads = Environment.ProcessorCount;
            Console.WriteLine($"N={n}: X·W {Line(xw, flop)}, one thread {Line(xw1, flop)}; Xᵀ·dS {Line(xtds, flop)}, one thread {Line(xtds1, flop)}");
        }
        return 0;
    }

    private static string Line(double seconds, double flop) =>
        string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e3:0.000} ms ({flop / seconds / 1e9:0.0} GFLOP/s)");
}
