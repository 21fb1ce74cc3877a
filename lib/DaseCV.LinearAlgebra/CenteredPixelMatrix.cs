using DaseCV.LinearAlgebra.Kernels;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace DaseCV.LinearAlgebra;

/// <summary>
/// A read-only (N, 3073) <see cref="Matrix{T}"/> of centred images stored as their pixel bytes:
/// <c>X[i, j] = Pixels[i·3072 + j] − Mean[j]</c> for j &lt; 3072, and the bias <c>X[i, 3072] = 1</c>.
/// </summary>
/// <remarks>
/// The CIFAR-10 training matrix (49000, 3073) is 1.2 GB as doubles but only 150 MB as the bytes it is computed from,
/// so <c>Cifar10.GetForLinearClassifier</c> keeps it in this form. Every element is the very double the
/// preprocessing would have stored (<c>(double)pixel − mean</c>, one rounding). Products with it (<c>X * W</c>,
/// <c>X.TransposeThisAndMultiply(B)</c>, <c>X.TransposeAndMultiply(B)</c>, matrix–vector products), row and column
/// sums, <c>SubMatrix</c>, <c>Row</c> and <see cref="MatrixRows.SelectRows(Matrix{double}, int[])"/> convert only a block
/// of rows at a time and run on the SIMD kernels; element-wise arithmetic first makes a dense copy
/// (<see cref="ByteBackedMatrix"/>). The matrix is read-only: setting an element throws; <see cref="ToDense"/> makes a
/// mutable (1.2 GB for CIFAR-10) copy. Its elements are always finite.
/// </remarks>
public sealed class CenteredPixelMatrix : ByteBackedMatrix
{
    /// <summary>Pixels per image (32·32·3), the columns before the bias column.</summary>
    public const int PixelCount = 3072;

    private readonly CenteredPixelMatrixStorage _storage;

    internal CenteredPixelMatrix(CenteredPixelMatrixStorage storage) : base(storage) => _storage = storage;

    /// <summary>Wraps <paramref name="pixels"/> (no copy) and copies <paramref name="mean"/>.</summary>
    /// <param name="rows">Number of images N.</param>
    /// <param name="pixels">Images row by row, length N·3072, each in (32, 32, 3) order; must not change afterwards.</param>
    /// <param name="mean">The mean image subtracted from every row, length 3072, finite.</param>
    /// <exception cref="ArgumentException">A length is wrong or the mean holds NaN or infinity.</exception>
    public CenteredPixelMatrix(int rows, byte[] pixels, double[] mean) : this(PixelTranspose.Create(rows, pixels, mean, meanChecked: false))
    {
    }

    /// <summary>Rows of this matrix gathered into new pixel bytes, sharing its (already checked) mean image.</summary>
    internal CenteredPixelMatrix WithRows(int rows, byte[] pixels) =>
        new(PixelTranspose.Create(rows, pixels, _storage.Mean, meanChecked: true));

    /// <summary>The pixel bytes, row by row: length RowCount·3072.</summary>
    public ReadOnlySpan<byte> Pixels => _storage.Pixels;

    /// <summary>The mean image subtracted from every row, length 3072.</summary>
    public ReadOnlySpan<double> Mean => _storage.Mean;

    /// <summary>The pixel array itself, for the kernels.</summary>
    internal byte[] PixelArray => _storage.Pixels;

    /// <summary>The mean array itself, for the kernels.</summary>
    internal double[] MeanArray => _storage.Mean;

    /// <summary>This matrix as a column-major <see cref="DenseMatrix"/> (N·3073 doubles).</summary>
    public override DenseMatrix ToDense()
    {
        var all = Enumerable.Range(0, RowCount).ToArray();
        var dense = new DenseMatrix(RowCount, ColumnCount);
        PixelProducts.GatherRows(this, all, dense.Values);
        return dense;
    }

    /// <inheritdoc/>
    public override Matrix<double> SubMatrix(int rowIndex, int rowCount, int columnIndex, int columnCount)
    {
        CheckSubMatrix(rowIndex, rowCount, columnIndex, columnCount);
        var rows = new DenseMatrix(rowCount, ColumnCount);
        this.SelectRows(Enumerable.Range(rowIndex, rowCount).ToArray(), rows);
        return columnIndex == 0 && columnCount == ColumnCount ? rows : rows.SubMatrix(0, rowCount, columnIndex, columnCount);
    }

    /// <inheritdoc/>
    protected override void DoMultiply(Matrix<double> other, Matrix<double> result)
    {
        var c = result as DenseMatrix ?? new DenseMatrix(result.RowCount, result.ColumnCount);
        PixelProducts.Multiply(this, Dense(other).Values, other.ColumnCount, c.Values);
        if (!ReferenceEquals(c, result)) c.CopyTo(result);
    }

    /// <inheritdoc/>
    protected override void DoMultiply(Vector<double> rightSide, Vector<double> result)
    {
        var c = new double[RowCount];
        PixelProducts.Multiply(this, rightSide.ToArray(), 1, c);
        result.SetValues(c);
    }

    /// <inheritdoc/>
    protected override void DoTransposeAndMultiply(Matrix<double> other, Matrix<double> result) =>
        DoMultiply(other.Transpose(), result);

    /// <inheritdoc/>
    protected override void DoTransposeThisAndMultiply(Matrix<double> other, Matrix<double> result)
    {
        var c = result as DenseMatrix ?? new DenseMatrix(result.RowCount, result.ColumnCount);
        PixelProducts.TransposeThisAndMultiply(this, Dense(other).Values, other.ColumnCount, c.Values);
        if (!ReferenceEquals(c, result)) c.CopyTo(result);
    }

    /// <inheritdoc/>
    protected override void DoTransposeThisAndMultiply(Vector<double> rightSide, Vector<double> result)
    {
        var c = new double[ColumnCount];
        PixelProducts.TransposeThisAndMultiply(this, rightSide.ToArray(), 1, c);
        result.SetValues(c);
    }

    /// <inheritdoc/>
    public override Vector<double> RowSums() => this * Vector<double>.Build.Dense(ColumnCount, 1.0);

    /// <inheritdoc/>
    public override Vector<double> ColumnSums() => TransposeThisAndMultiply(Vector<double>.Build.Dense(RowCount, 1.0));

    private static DenseMatrix Dense(Matrix<double> matrix) => matrix as DenseMatrix ?? DenseMatrix.OfMatrix(matrix);
}

/// <summary>Byte storage behind <see cref="CenteredPixelMatrix"/>: computes each element on read, refuses writes.</summary>
/// <remarks>Not sealed: <see cref="PixelTranspose"/> derives the storage whose Transpose() copies a row at a time.</remarks>
internal class CenteredPixelMatrixStorage : MatrixStorage<double>
{
    public readonly byte[] Pixels;
    public readonly double[] Mean;

    public CenteredPixelMatrixStorage(int rows, byte[] pixels, double[] mean, bool meanChecked = false) : base(rows, CenteredPixelMatrix.PixelCount + 1)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(mean);
        if (pixels.LongLength != (long)rows * CenteredPixelMatrix.PixelCount)
            throw new ArgumentException(
                $"pixels has {pixels.LongLength} bytes; {rows} images of {CenteredPixelMatrix.PixelCount} pixels need {(long)rows * CenteredPixelMatrix.PixelCount}.",
                nameof(pixels));
        if (mean.Length != CenteredPixelMatrix.PixelCount)
            throw new ArgumentException($"mean has {mean.Length} elements; expected one per pixel, {CenteredPixelMatrix.PixelCount}.", nameof(mean));
        for (int j = 0; j < mean.Length && !meanChecked; j++)
            if (!double.IsFinite(mean[j]))
                throw new ArgumentException($"mean[{j}] is {mean[j]}; every element of the mean image must be finite.", nameof(mean));
        Pixels = pixels;
        // A later change to the caller's array must not change X; a mean this library already holds is shared.
        Mean = meanChecked ? mean : (double[])mean.Clone();
    }

    public override bool IsDense => true;

    public override bool IsFullyMutable => false;

    public override bool IsMutableAt(int row, int column) => false;

    public override double At(int row, int column) =>
        column < CenteredPixelMatrix.PixelCount
            ? Pixels[row * CenteredPixelMatrix.PixelCount + column] - Mean[column]
            : 1.0;

    public override void At(int row, int column, double value) =>
        throw new NotSupportedException(
            $"This ({RowCount}, {ColumnCount}) training matrix is read-only: it is stored as pixel bytes minus the mean image " +
            "to save memory. Make a mutable copy with X.ToDense() and change that.");
}
