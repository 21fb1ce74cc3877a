using System.Globalization;
using DaseCV.LinearAlgebra;
using DaseCV.LinearAlgebra.Kernels;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace DaseCV.Benchmarks;

/// <summary>
/// <c>kernels</c>: best-of-repeats GFLOP/s of MathNet's <c>X * W</c> and <c>X.TransposeThisAndMultiply(dS)</c>, on dense
/// matrices (the provider) and on a byte-backed minibatch (the pixel kernels), and a square dgemm; beside OpenBLAS's
/// dgemm on the same shapes in the same run (<c>softmax_np.py peak</c>) unless <c>--no-numpy</c>. BenchmarkDotNet's
/// <c>bdn</c> is the careful version.
/// </summary>
internal static class KernelsCommand
{
    public static int Run(NumpyReference? numpy, int repeats)
    {
        Console.WriteLine($"machine: {Machine.Description}");
        Console.WriteLine($"provider: {MathNet.Numerics.Providers.LinearAlgebra.LinearAlgebraControl.Provider}");
        foreach (int n in new[] { 200, 500 })
        {
            var (X, _, W) = Workloads.Dev(n, seed: 1);
            Console.WriteLine($"dense N={n}: {Products(X, W, repeats)}");
        }
        // The training path: a minibatch drawn from the byte-backed training matrix, its pixels widened in the kernels.
        var (pixels, _, _) = Workloads.CifarLikePixels(200, seed: 1);
        Console.WriteLine($"pixels N=200: {Products(pixels, Workloads.Dev(200, seed: 1).W, repeats)}");
        // The two-layer net's first layer: W1 (3073, 50).
        var W1 = DenseMatrix.Create(Workloads.D, 50, (i, j) => 1e-4 * ((i * 7 + j * 13) % 17 - 8));
        Console.WriteLine($"pixels N=200, 50 columns: {Products(pixels, W1, repeats)}");
        // A student's port writes numpy's X.T.dot(dscores) as X.Transpose() * dScores: a dense (3073, 200) copy first.
        var dS = pixels * Workloads.Dev(200, seed: 1).W;
        double transpose = Timing.Min(() => _ = pixels.Transpose(), 20, repeats);
        double viaTranspose = Timing.Min(() => _ = pixels.Transpose() * dS, 20, repeats);
        double direct = Timing.Min(() => _ = pixels.TransposeThisAndMultiply(dS), 20, repeats);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pixels N=200: Transpose() {transpose * 1e3:0.000} ms (row-at-a-time override: {PixelTranspose.IsFast}); Transpose() * dS {viaTranspose * 1e3:0.000} ms; TransposeThisAndMultiply(dS) {direct * 1e3:0.000} ms"));
        const int size = 2000;
        var random = new Random(3);
        var A = DenseMatrix.Create(size, size, (_, _) => random.NextDouble() - 0.5);
        var B = DenseMatrix.Create(size, size, (_, _) => random.NextDouble() - 0.5);
        var Cm = new DenseMatrix(size, size);
        double square = Timing.Min(() => A.Multiply(B, Cm), 1, 5);
        double squareFlop = 2.0 * size * size * size;
        Console.WriteLine($"dense {size}×{size}·{size}×{size}: {Line(square, squareFlop)}");
        if (numpy is null) return 0;
        Console.WriteLine("OpenBLAS in the same run (softmax_np.py peak; medians) …");
        var np = numpy.Run("peak", "--repeats", "10");
        double flop = 2.0 * 200 * Workloads.D * Workloads.C;
        Console.WriteLine($"numpy dgemm {size}: {Line(np.GetProperty("dgemm").GetProperty("median").GetDouble(), squareFlop)}; " +
                          $"X_b @ W (200): {Line(np.GetProperty("XbW").GetProperty("median").GetDouble(), flop)}; " +
                          $"X_b.T @ dS (200): {Line(np.GetProperty("XbT_dS").GetProperty("median").GetDouble(), flop)}");
        Console.WriteLine($"numpy BLAS: {np.GetProperty("info")}");
        return 0;
    }

    private static string Products(Matrix<double> X, Matrix<double> W, int repeats)
    {
        var S = X * W;
        double flop = 2.0 * X.RowCount * Workloads.D * W.ColumnCount;
        double xw = Timing.Min(() => _ = X * W, 20, repeats);
        double xtds = Timing.Min(() => _ = X.TransposeThisAndMultiply(S), 20, repeats);
        Gemm.MaxThreads = 1;
        double xw1 = Timing.Min(() => _ = X * W, 20, repeats);
        double xtds1 = Timing.Min(() => _ = X.TransposeThisAndMultiply(S), 20, repeats);
        Gemm.MaxThreads = Environment.ProcessorCount;
        return $"X·W {Line(xw, flop)}, one thread {Line(xw1, flop)}; Xᵀ·dS {Line(xtds, flop)}, one thread {Line(xtds1, flop)}";
    }

    private static string Line(double seconds, double flop) =>
        string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e3:0.000} ms ({flop / seconds / 1e9:0.0} GFLOP/s)");
}
