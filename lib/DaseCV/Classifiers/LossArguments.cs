using static System.FormattableString;
using DaseCV.Kernels;
using DaseCV.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using System.Numerics.Tensors;

namespace DaseCV.Classifiers;

/// <summary>Argument checks shared by the loss functions and the classifier, with messages that name shapes and values.</summary>
internal static class LossArguments
{
    /// <summary>Checks shapes, labels and reg; cheap (no scan of X or W).</summary>
    public static void Check(Matrix<double> W, Matrix<double> X, int[] y, double reg)
    {
        ArgumentNullException.ThrowIfNull(W);
        ArgumentNullException.ThrowIfNull(X);
        ArgumentNullException.ThrowIfNull(y);
        CheckX(X);
        if (X.ColumnCount != W.RowCount)
            throw new ArgumentException(
                Invariant($"X is ({X.RowCount}, {X.ColumnCount}) but W is ({W.RowCount}, {W.ColumnCount}); ") +
                "expected X (N, D) and W (D, C) with the same D.", nameof(X));
        CheckLabels(y, X.RowCount, W.ColumnCount, nameof(y));
        CheckReg(reg);
    }

    /// <summary>Rejects an empty X.</summary>
    public static void CheckX(Matrix<double> X)
    {
        if (X.RowCount == 0 || X.ColumnCount == 0)
            throw new ArgumentException(Invariant($"X is ({X.RowCount}, {X.ColumnCount}); expected at least one row and one column."), nameof(X));
    }

    /// <summary>Rejects a label count that differs from N or a label outside [0, C).</summary>
    public static void CheckLabels(int[] y, int N, int C, string paramName)
    {
        if (y.Length != N)
            throw new ArgumentException(Invariant($"y has {y.Length} labels but X has {N} rows; expected one label per row of X."), paramName);
        for (int i = 0; i < y.Length; i++)
            if ((uint)y[i] >= (uint)C)
                throw new ArgumentException(Invariant($"y[{i}] = {y[i]} is outside [0, {C}): W has C = {C} classes."), paramName);
    }

    /// <summary>Rejects a negative or non-finite regularization strength.</summary>
    public static void CheckReg(double reg)
    {
        if (!(reg >= 0) || double.IsInfinity(reg))
            throw new ArgumentOutOfRangeException(nameof(reg), reg, Invariant($"reg = {reg} must be a finite number ≥ 0."));
    }

    /// <summary>
    /// When the loss or gradient is not finite, throws naming the NaN or infinity in W or X that caused it. Scanning X
    /// costs as much as a training step, so it is done only when the result shows a problem; a non-finite result from
    /// finite inputs (an overflow) is returned as it is.
    /// </summary>
    public static void ThrowIfResultNotFinite(double loss, DenseMatrix dW, Matrix<double> W, Matrix<double> X)
    {
        if (!double.IsFinite(loss) || !TensorPrimitives.IsFiniteAll<double>(dW.Values)) ThrowIfNonFinite(W, X);
    }

    /// <summary>Throws naming the first NaN or infinity in W or X, if any: a full scan, for the rare non-finite result.</summary>
    public static void ThrowIfNonFinite(Matrix<double> W, Matrix<double> X)
    {
        ThrowIfNonFinite(W, nameof(W));
        ThrowIfNonFinite(X, nameof(X));
    }

    /// <summary>Throws naming the first NaN or infinity in <paramref name="M"/>, if any.</summary>
    public static void ThrowIfNonFinite(Matrix<double> M, string name)
    {
        if (M is CenteredPixelMatrix) return;  // bytes minus a finite mean: always finite (and a scan would convert 1.2 GB)
        if (M is RowMajorMatrix rm)
        {
            long k = MatrixData.IndexOfNonFinite(rm.Data);
            if (k >= 0) ThrowNonFinite(name, M, (int)(k / M.ColumnCount), (int)(k % M.ColumnCount));
            return;
        }
        double[] values = MatrixData.ColumnMajor(M);
        long j = MatrixData.IndexOfNonFinite(values);
        if (j >= 0) ThrowNonFinite(name, M, (int)(j % M.RowCount), (int)(j / M.RowCount));
    }

    /// <summary>Throws the error for a NaN or infinity at (row, column) of the matrix named <paramref name="name"/>.</summary>
    public static void ThrowNonFinite(string name, Matrix<double> M, int row, int column) =>
        throw new ArgumentException(
            Invariant($"{name} ({M.RowCount}, {M.ColumnCount}) holds {M.At(row, column)} at ({row}, {column}); ") +
            "every element must be finite.", name);
}
