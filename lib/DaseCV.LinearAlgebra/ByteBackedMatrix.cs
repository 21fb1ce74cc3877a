using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace DaseCV.LinearAlgebra;

/// <summary>
/// A read-only <see cref="Matrix{T}"/> of images kept as their pixel bytes, whose elements are computed on read.
/// </summary>
/// <remarks>
/// MathNet runs any operation on a storage it does not know element by element (two virtual calls per element): on
/// CIFAR-10's 150 million pixels that is seconds per operation. Every arithmetic operation here converts once with
/// <see cref="ToDense"/> and lets MathNet's dense code (on the provider) do the rest; the result is a dense matrix of
/// that size anyway. Subclasses override what they can do faster from the bytes.
/// </remarks>
public abstract class ByteBackedMatrix : MathNet.Numerics.LinearAlgebra.Double.Matrix
{
    /// <summary>Wraps a storage whose writes throw.</summary>
    private protected ByteBackedMatrix(MathNet.Numerics.LinearAlgebra.Storage.MatrixStorage<double> storage) : base(storage)
    {
    }

    /// <summary>This matrix as a mutable column-major <see cref="DenseMatrix"/> (RowCount·ColumnCount doubles).</summary>
    public abstract DenseMatrix ToDense();

    /// <inheritdoc/>
    protected override void DoMultiply(Matrix<double> other, Matrix<double> result) => ToDense().Multiply(other, result);

    /// <inheritdoc/>
    protected override void DoMultiply(Vector<double> rightSide, Vector<double> result) => ToDense().Multiply(rightSide, result);

    /// <inheritdoc/>
    protected override void DoTransposeAndMultiply(Matrix<double> other, Matrix<double> result) => ToDense().TransposeAndMultiply(other, result);

    /// <inheritdoc/>
    protected override void DoTransposeThisAndMultiply(Matrix<double> other, Matrix<double> result) => ToDense().TransposeThisAndMultiply(other, result);

    /// <inheritdoc/>
    protected override void DoTransposeThisAndMultiply(Vector<double> rightSide, Vector<double> result) => ToDense().TransposeThisAndMultiply(rightSide, result);

    /// <inheritdoc/>
    public override Vector<double> RowSums() => ToDense().RowSums();

    /// <inheritdoc/>
    public override Vector<double> ColumnSums() => ToDense().ColumnSums();

    /// <inheritdoc/>
    protected override void DoAdd(Matrix<double> other, Matrix<double> result) => ToDense().Add(other, result);

    /// <inheritdoc/>
    protected override void DoSubtract(Matrix<double> other, Matrix<double> result) => ToDense().Subtract(other, result);

    /// <inheritdoc/>
    protected override void DoAdd(double scalar, Matrix<double> result) => ToDense().Add(scalar, result);

    /// <inheritdoc/>
    protected override void DoSubtract(double scalar, Matrix<double> result) => ToDense().Subtract(scalar, result);

    /// <inheritdoc/>
    protected override void DoMultiply(double scalar, Matrix<double> result) => ToDense().Multiply(scalar, result);

    /// <inheritdoc/>
    protected override void DoDivide(double divisor, Matrix<double> result) => ToDense().Divide(divisor, result);

    /// <inheritdoc/>
    protected override void DoNegate(Matrix<double> result) => ToDense().Negate(result);

    /// <inheritdoc/>
    protected override void DoPointwiseMultiply(Matrix<double> other, Matrix<double> result) => ToDense().PointwiseMultiply(other, result);

    /// <inheritdoc/>
    protected override void DoPointwiseDivide(Matrix<double> divisor, Matrix<double> result) => ToDense().PointwiseDivide(divisor, result);

    /// <inheritdoc/>
    protected override void DoPointwisePower(double exponent, Matrix<double> result) => ToDense().PointwisePower(exponent, result);

    /// <inheritdoc/>
    protected override void DoPointwiseExp(Matrix<double> result) => ToDense().PointwiseExp(result);

    /// <summary>Checks a <c>SubMatrix</c> request against this matrix's shape.</summary>
    private protected void CheckSubMatrix(int rowIndex, int rowCount, int columnIndex, int columnCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(columnIndex);
        if (rowCount < 1 || rowIndex + rowCount > RowCount || columnCount < 1 || columnIndex + columnCount > ColumnCount)
            throw new ArgumentOutOfRangeException(nameof(rowCount),
                $"SubMatrix({rowIndex}, {rowCount}, {columnIndex}, {columnCount}) is outside this ({RowCount}, {ColumnCount}) matrix.");
    }
}
