using static System.FormattableString;
using System.Numerics.Tensors;
using DaseCV.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

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
        CheckSameD(X, W);
        CheckLabels(y, X.RowCount, W.ColumnCount, nameof(y));
        CheckReg(reg);
    }

    /// <summary>Rejects an empty X.</summary>
    public static void CheckX(Matrix<double> X)
    {
        if (X.RowCount == 0 || X.ColumnCount == 0)
            throw new ArgumentException(Invariant($"X is ({X.RowCount}, {X.ColumnCount}); expected at least one row and one column."), nameof(X));
    }

    /// <summary>Rejects X and W whose D differ.</summary>
    public static void CheckSameD(Matrix<double> X, Matrix<double> W)
    {
        if (X.ColumnCount != W.RowCount)
            throw new ArgumentException(
                Invariant($"X is ({X.RowCount}, {X.ColumnCount}) but W is ({W.RowCount}, {W.ColumnCount}); ") +
                "expected X (N, D) and W (D, C) with the same D.", nameof(X));
    }

    /// <summary>Rejects a label count that differs from N or a label outside [0, C).</summary>
    public static void CheckLabels(int[] y, int N, int C, string paramName)
    {
        if (y.Length != N)
            throw new ArgumentException(Invariant($"y has {y.Length} labels but X has {N} rows; expected one label per row of X."), paramName);
        for (int i = 0; i < y.Length; i++)
            if ((uint)y[i] >= (uint)C)
                throw new ArgumentException(
                    C == int.MaxValue
                        ? Invariant($"y[{i}] = {y[i]} is negative; labels are class indices 0 … C−1.")
                        : Invariant($"y[{i}] = {y[i]} is outside [0, {C}): W has C = {C} classes."), paramName);
    }

    /// <summary>Rejects a negative or non-finite regularization strength.</summary>
    public static void CheckReg(double reg)
    {
        if (!(reg >= 0) || double.IsInfinity(reg))
            throw new ArgumentOutOfRangeException(nameof(reg), reg, Invariant($"reg = {reg} must be a finite number ≥ 0."));
    }

    /// <summary>Throws naming the first NaN or infinity in W or X: the naive losses scan up front, as their loops cost more anyway.</summary>
    public static void CheckFinite(Matrix<double> W, Matrix<double> X)
    {
        ThrowIfNonFinite(W, nameof(W));
        ThrowIfNonFinite(X, nameof(X));
    }

    /// <summary>
    /// When the loss or gradient is not finite, throws naming the NaN or infinity in W or X that caused it. Scanning X
    /// costs as much as a training step, so it is done only when the result shows a problem; a non-finite result from
    /// finite inputs (an overflow) is returned as it is.
    /// </summary>
    public static void CheckResult(double loss, Matrix<double> dW, Matrix<double> W, Matrix<double> X)
    {
        if (double.IsFinite(loss) && IndexOfNonFinite(dW) is null) return;
        ThrowIfNonFinite(W, nameof(W));
        ThrowIfNonFinite(X, nameof(X));
    }

    /// <summary>Throws naming the first NaN or infinity in M, if any.</summary>
    public static void ThrowIfNonFinite(Matrix<double> M, string name)
    {
        if (IndexOfNonFinite(M) is (int row, int column))
            throw new ArgumentException(
                Invariant($"{name} ({M.RowCount}, {M.ColumnCount}) holds {M.At(row, column)} at ({row}, {column}); ") +
                "every element must be finite.", name);
    }

    private static (int Row, int Column)? IndexOfNonFinite(Matrix<double> M)
    {
        switch (M)
        {
            case CenteredPixelMatrix:
                return null;  // bytes minus a finite mean: always finite (and a scan would convert 1.2 GB)
            case DenseMatrix dense:
                int k = TensorPrimitives.IndexOfMaxMagnitude<double>(dense.Values);
                if (k < 0 || double.IsFinite(dense.Values[k])) return null;
                // NaN or ±∞ is there; name the first in row order, as a reader scans a matrix.
                (int Row, int Column)? first = null;
                for (int j = 0; j < M.ColumnCount; j++)
                {
                    int i = Array.FindIndex(dense.Values, j * M.RowCount, M.RowCount, v => !double.IsFinite(v)) - j * M.RowCount;
                    if (i >= 0 && (first is null || i < first.Value.Row)) first = (i, j);
                }
                return first;
            default:
                for (int i = 0; i < M.RowCount; i++)
                    for (int j = 0; j < M.ColumnCount; j++)
                        if (!double.IsFinite(M.At(i, j))) return (i, j);
                return null;
        }
    }
}
