using MathNet.Numerics.Providers.LinearAlgebra;
using System.Globalization;
using DaseCV.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Benchmarks;

/// <summary><c>kernels</c>: best-of-repeats GFLOP/s of MathNet's <c>X * W</c> and <c>X.TransposeThisAndMultiply(dS)</c>, on dense matrices (the provider) and on a byte-backed minibatch (the pixel kernels) (BenchmarkDotNet's <c>bdn</c> is the careful version).</summary>
internal static class KernelsCommand
{
    public static int Run(int repeats)
    {
        Console.WriteLine($"vector width: {SimdWidth.Description}; provider: {LinearAlgebraControl.Provider}");
        foreach (int n in new[] { 200, 500 })
        {
            var (X, _, W) = Workloads.Dev(n, seed: 1);
            Console.WriteLine($"dense N={n}: {Products(X, W, repeats)}");
        }
        // The training path: a minibatch drawn from the byte-backed training matrix, its pixels widened in the kernels.
        var (pixels, _, _) = Workloads.CifarLikePixels(200, seed: 1);
        Console.WriteLine($"pixels N=200: {Products(pixels, Workloads.Dev(200, seed: 1).W, repeats)}");
        return 0;
    }

    private static string Products(Matrix<double> X, Matrix<double> W, int repeats)
    {
        var S = X * W;
        double flop = 2.0 * X.RowCount * Workloads.D * Workloads.C;
        double xw = Timing.Min(() => _ = X * W, 20, repeats);
        double xtds = Timing.Min(() => _ = X.TransposeThisAndMultiply(S), 20, repeats);
        DaseCV.LinearAlgebra.Kernels.Gemm.MaxThreads = 1;
        double xw1 = Timing.Min(() => _ = X * W, 20, repeats);
        double xtds1 = Timing.Min(() => _ = X.TransposeThisAndMultiply(S), 20, repeats);
        DaseCV.LinearAlgebra.Kernels.Gemm.MaxThreads = Environment.ProcessorCount;
        return $"X·W {Line(xw, flop)}, one thread {Line(xw1, flop)}; Xᵀ·dS {Line(xtds, flop)}, one thread {Line(xtds1, flop)}";
    }

    private static string Line(double seconds, double flop) =>
        string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e3:0.000} ms ({flop / seconds / 1e9:0.0} GFLOP/s)");
}
