using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using DaseCV.LinearAlgebra.Kernels;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Providers.LinearAlgebra;

namespace DaseCV.LinearAlgebra;

/// <summary>
/// MathNet linear-algebra provider with SIMD matrix products for <see cref="double"/>: what makes plain MathNet code
/// such as <c>X * W</c> and <c>X.TransposeThisAndMultiply(dS)</c> fast. Everything else goes to MathNet's managed provider.
/// </summary>
/// <remarks>
/// <para>MathNet's <see cref="Matrix{T}"/> operations on dense matrices call <see cref="LinearAlgebraControl.Provider"/>;
/// this provider serves the double-precision products (<c>MatrixMultiply</c> and <c>MatrixMultiplyWithUpdate</c>, every
/// transpose combination) with the register-blocked kernels of <c>Kernels/Gemm.cs</c>, 512-bit where the CPU has
/// AVX-512, and the element-wise array operations with <see cref="TensorPrimitives"/> (long arrays split over the cores). Single precision and complex
/// numbers, norms and factorizations are MathNet's own.</para>
/// <para>It is installed when the program first uses DaseCV or DaseCV.LinearAlgebra (a module initializer), so every
/// program that references the library gets it with no setup call. To go back to MathNet's own provider:
/// <c>LinearAlgebraControl.UseManaged()</c>; to install this one again: <see cref="Install"/>.</para>
/// </remarks>
public sealed partial class SimdLinearAlgebraProvider : ILinearAlgebraProvider
{
    private static readonly ManagedLinearAlgebraProvider Managed = ManagedLinearAlgebraProvider.Instance;

    private static int s_installed;

    private SimdLinearAlgebraProvider()
    {
    }

    /// <summary>The one instance.</summary>
    public static SimdLinearAlgebraProvider Instance { get; } = new();

    /// <summary>Makes this provider MathNet's <see cref="LinearAlgebraControl.Provider"/>.</summary>
    public static void Install() => LinearAlgebraControl.Provider = Instance;

    /// <summary>
    /// Installs the provider once per process, when this assembly is first used, and starts compiling its kernels in
    /// the background (<see cref="Warmup"/>) so that the first product does not wait for the JIT.
    /// </summary>
#pragma warning disable CA2255 // a module initializer is the point: no program should need a setup call
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void InstallOnce()
    {
        if (Interlocked.Exchange(ref s_installed, 1) != 0) return;
        Install();
        Warmup.Start();
    }

    /// <inheritdoc/>
    public bool IsAvailable() => true;

    /// <inheritdoc/>
    public void InitializeVerify()
    {
    }

    /// <inheritdoc/>
    public void FreeResources()
    {
    }

    /// <inheritdoc/>
    public override string ToString() => $"DaseCV SIMD provider ({SimdWidth.Description}); otherwise {Managed}";

    // ---- double: products ------------------------------------------------------------------------------------------

    /// <inheritdoc/>
    public void MatrixMultiply(double[] x, int rowsX, int columnsX, double[] y, int rowsY, int columnsY, double[] result) =>
        Gemm.Multiply(false, false, 1.0, x, rowsX, columnsX, y, rowsY, columnsY, 0.0, result);

    /// <inheritdoc/>
    public void MatrixMultiplyWithUpdate(Transpose transposeA, Transpose transposeB, double alpha, double[] a,
        int rowsA, int columnsA, double[] b, int rowsB, int columnsB, double beta, double[] c) =>
        Gemm.Multiply(transposeA != Transpose.DontTranspose, transposeB != Transpose.DontTranspose, alpha,
            a, rowsA, columnsA, b, rowsB, columnsB, beta, c);

    // ---- double: element-wise ----------------------------------------------------------------------------------------

    /// <inheritdoc/>
    public void AddVectorToScaledVector(double[] y, double alpha, double[] x, double[] result)
    {
        CheckSameLength(y, x, result);
        if (alpha == 0) y.AsSpan().CopyTo(result);
        else ElementWise.Run(x.Length, (i, n) => TensorPrimitives.MultiplyAdd(x.AsSpan(i, n), alpha, y.AsSpan(i, n), result.AsSpan(i, n)));
    }

    /// <inheritdoc/>
    public void ScaleArray(double alpha, double[] x, double[] result)
    {
        CheckSameLength(x, result);
        ElementWise.Run(x.Length, (i, n) => TensorPrimitives.Multiply(x.AsSpan(i, n), alpha, result.AsSpan(i, n)));
    }

    /// <inheritdoc/>
    public double DotProduct(double[] x, double[] y)
    {
        CheckSameLength(x, y);
        return TensorPrimitives.Dot<double>(x, y);
    }

    /// <inheritdoc/>
    public void AddArrays(double[] x, double[] y, double[] result)
    {
        CheckSameLength(x, y, result);
        ElementWise.Run(x.Length, (i, n) => TensorPrimitives.Add(x.AsSpan(i, n), y.AsSpan(i, n), result.AsSpan(i, n)));
    }

    /// <inheritdoc/>
    public void SubtractArrays(double[] x, double[] y, double[] result)
    {
        CheckSameLength(x, y, result);
        ElementWise.Run(x.Length, (i, n) => TensorPrimitives.Subtract(x.AsSpan(i, n), y.AsSpan(i, n), result.AsSpan(i, n)));
    }

    /// <inheritdoc/>
    public void PointWiseMultiplyArrays(double[] x, double[] y, double[] result)
    {
        CheckSameLength(x, y, result);
        ElementWise.Run(x.Length, (i, n) => TensorPrimitives.Multiply(x.AsSpan(i, n), y.AsSpan(i, n), result.AsSpan(i, n)));
    }

    /// <inheritdoc/>
    public void PointWiseDivideArrays(double[] x, double[] y, double[] result)
    {
        CheckSameLength(x, y, result);
        ElementWise.Run(x.Length, (i, n) => TensorPrimitives.Divide(x.AsSpan(i, n), y.AsSpan(i, n), result.AsSpan(i, n)));
    }

    /// <inheritdoc/>
    public double MatrixNorm(Norm norm, int rows, int columns, double[] matrix)
    {
        // MathNet's managed Frobenius norm takes 0.1 s on a (3073, 10) W; these are single SIMD passes.
        var values = matrix.AsSpan(0, rows * columns);
        switch (norm)
        {
            case Norm.FrobeniusNorm:
                return TensorPrimitives.Norm<double>(values);
            case Norm.LargestAbsoluteValue:
                return values.IsEmpty ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude<double>(values));
            case Norm.OneNorm:  // largest column sum of |a|
                double one = 0;
                for (int j = 0; j < columns; j++) one = Math.Max(one, TensorPrimitives.SumOfMagnitudes<double>(values.Slice(j * rows, rows)));
                return one;
            default:  // InfinityNorm: largest row sum of |a|
                var rowSums = new double[rows];
                for (int j = 0; j < columns; j++)
                    for (int i = 0; i < rows; i++) rowSums[i] += Math.Abs(values[j * rows + i]);
                return rows == 0 ? 0 : TensorPrimitives.Max<double>(rowSums);
        }
    }

    private static void CheckSameLength(double[] x, double[] y, double[]? result = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Length != y.Length || (result is not null && result.Length != x.Length))
            throw new ArgumentException(
                $"Arrays of different lengths: {x.Length}, {y.Length}{(result is null ? "" : $", {result.Length}")}.");
    }
}
