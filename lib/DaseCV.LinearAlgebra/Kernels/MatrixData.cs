using System.Runtime.CompilerServices;
using DaseCV.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace DaseCV.Kernels;

/// <summary>The storage layouts the kernels read: X row-major, W column-major.</summary>
internal static class MatrixData
{
    /// <summary>
    /// X itself when it is a <see cref="RowMajorMatrix"/>; otherwise a row-major copy, made once (correct, slower; for a
    /// <see cref="CenteredPixelMatrix"/> the same doubles, converted in bulk).
    /// </summary>
    public static RowMajorMatrix RowMajor(Matrix<double> X) => X as RowMajorMatrix ?? RowMajorMatrix.From(X);

    /// <summary>W's column-major elements: a <c>DenseMatrix</c>'s own array (no copy), else a copy.</summary>
    public static double[] ColumnMajor(Matrix<double> W) => W is DenseMatrix dense ? dense.Values : W.ToColumnMajorArray();

    /// <summary>Index of the first NaN or infinity in <paramref name="values"/>, or −1 when all are finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long IndexOfNonFinite(ReadOnlySpan<double> values)
    {
        if (System.Numerics.Tensors.TensorPrimitives.IsFiniteAll(values)) return -1;
        for (int k = 0; k < values.Length; k++)
            if (!double.IsFinite(values[k])) return k;
        return -1;
    }
}
