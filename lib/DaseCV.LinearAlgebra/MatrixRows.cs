using DaseCV.LinearAlgebra.Kernels;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace DaseCV.LinearAlgebra;

/// <summary>numpy's row indexing <c>X[rows]</c> for MathNet matrices, which MathNet lacks.</summary>
public static class MatrixRows
{
    /// <summary>The rows <paramref name="rows"/> of X, in that order (repeats allowed): numpy's <c>X[rows]</c>.</summary>
    /// <param name="X">Any matrix, shape (N, D).</param>
    /// <param name="rows">Row indices, each in [0, N).</param>
    /// <returns>A new matrix, shape (rows.Length, D): byte-backed when X is a <see cref="CenteredPixelMatrix"/>, else dense.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A row index is outside [0, N).</exception>
    public static Matrix<double> SelectRows(this Matrix<double> X, int[] rows)
    {
        ArgumentNullException.ThrowIfNull(X);
        ArgumentNullException.ThrowIfNull(rows);
        // Rows of a byte-backed matrix stay bytes (as numpy's X[rows] keeps X's dtype): 8× less memory to write
        // and read; the products widen them to doubles in registers. The array is not zeroed first: the copy below
        // writes every byte, and a student's loop draws a new 614 KB (large-object) minibatch every step.
        Matrix<double> result = X is CenteredPixelMatrix pixels
            ? pixels.WithRows(rows.Length, GC.AllocateUninitializedArray<byte>(checked(rows.Length * CenteredPixelMatrix.PixelCount)))
            : new DenseMatrix(rows.Length, X.ColumnCount);
        X.SelectRows(rows, result);
        return result;
    }

    /// <summary>Writes the rows <paramref name="rows"/> of X into <paramref name="destination"/>, reusing its memory.</summary>
    /// <param name="X">Any matrix, shape (N, D).</param>
    /// <param name="rows">Row indices, each in [0, N).</param>
    /// <param name="destination">Shape (rows.Length, D); overwritten. Best made by <see cref="SelectRows(Matrix{double}, int[])"/> on the same X.</param>
    /// <exception cref="ArgumentException">destination's shape is not (rows.Length, D).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A row index is outside [0, N).</exception>
    public static void SelectRows(this Matrix<double> X, int[] rows, Matrix<double> destination)
    {
        ArgumentNullException.ThrowIfNull(X);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.RowCount != rows.Length || destination.ColumnCount != X.ColumnCount)
            throw new ArgumentException(
                $"destination is ({destination.RowCount}, {destination.ColumnCount}); expected ({rows.Length}, {X.ColumnCount}) for {rows.Length} rows of X.",
                nameof(destination));
        for (int b = 0; b < rows.Length; b++)
            if ((uint)rows[b] >= (uint)X.RowCount)
                throw new ArgumentOutOfRangeException(nameof(rows), rows[b],
                    $"rows[{b}] = {rows[b]} is outside [0, {X.RowCount}) for X of shape ({X.RowCount}, {X.ColumnCount}).");

        if (X is CenteredPixelMatrix sourcePixels && destination is CenteredPixelMatrix target && target.MeanArray == sourcePixels.MeanArray)
        {
            PixelProducts.CopyRows(sourcePixels.PixelArray, rows, target.PixelArray);
            return;
        }
        if (destination is not DenseMatrix denseDestination)
        {
            X.SelectRows(rows).CopyTo(destination);
            return;
        }
        int n = rows.Length, D = X.ColumnCount;
        double[] values = denseDestination.Values;
        switch (X)
        {
            case CenteredPixelMatrix pixels:
                PixelProducts.GatherRows(pixels, rows, values);
                break;
            case DenseMatrix dense:
                // Column by column: each column of X is contiguous, so the reads stay within one column at a time.
                double[] source = dense.Values;
                int N = X.RowCount;
                for (int d = 0; d < D; d++)
                {
                    int from = d * N, to = d * n;
                    for (int b = 0; b < n; b++) values[to + b] = source[from + rows[b]];
                }
                break;
            default:
                for (int b = 0; b < n; b++)
                    for (int d = 0; d < D; d++) values[b + d * n] = X.At(rows[b], d);
                break;
        }
    }
}
