using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace DaseCV.LinearAlgebra;

/// <summary>
/// A read-only (N, 3073) <see cref="Matrix{T}"/> of centred images stored as their pixel bytes:
/// <c>X[i, j] = Pixels[i·3072 + j] − Mean[j]</c> for j &lt; 3072, and the bias <c>X[i, 3072] = 1</c>.
/// </summary>
/// <remarks>
/// The CIFAR-10 training matrix (49000, 3073) is 1.2 GB as doubles but only 150 MB as the bytes it is computed from,
/// so <c>Cifar10.GetForLinearClassifier</c> keeps it in this form. Every element is the very double the
/// preprocessing would have stored (<c>(double)pixel − mean</c>, one rounding), so training and predictions give the
/// same bits as with a <see cref="RowMajorMatrix"/>. The library's kernels convert only the rows they need (a minibatch,
/// a block of rows to score); every other MathNet operation works through element access. The matrix is read-only:
/// setting an element throws; <see cref="RowMajorMatrix.From"/> makes a mutable (1.2 GB) copy. Its elements are always
/// finite (bytes minus a finite mean), so the NaN checks skip it.
/// </remarks>
public sealed class CenteredPixelMatrix : MathNet.Numerics.LinearAlgebra.Double.Matrix
{
    /// <summary>Pixels per image (32·32·3), the columns before the bias column.</summary>
    public const int PixelCount = 3072;

    private readonly CenteredPixelMatrixStorage _storage;

    private CenteredPixelMatrix(CenteredPixelMatrixStorage storage) : base(storage) => _storage = storage;

    /// <summary>Wraps <paramref name="pixels"/> (no copy) and copies <paramref name="mean"/>.</summary>
    /// <param name="rows">Number of images N.</param>
    /// <param name="pixels">Images row by row, length N·3072, each in (32, 32, 3) order; must not change afterwards.</param>
    /// <param name="mean">The mean image subtracted from every row, length 3072, finite.</param>
    /// <exception cref="ArgumentException">A length is wrong or the mean holds NaN or infinity.</exception>
    public CenteredPixelMatrix(int rows, byte[] pixels, double[] mean) : this(new CenteredPixelMatrixStorage(rows, pixels, mean))
    {
    }

    /// <summary>The pixel bytes, row by row: length RowCount·3072.</summary>
    public ReadOnlySpan<byte> Pixels => _storage.Pixels;

    /// <summary>The mean image subtracted from every row, length 3072.</summary>
    public ReadOnlySpan<double> Mean => _storage.Mean;

    /// <summary>The pixel array itself, for the kernels.</summary>
    internal byte[] PixelArray => _storage.Pixels;

    /// <summary>The mean array itself, for the kernels.</summary>
    internal double[] MeanArray => _storage.Mean;
}

/// <summary>Byte storage behind <see cref="CenteredPixelMatrix"/>: computes each element on read, refuses writes.</summary>
internal sealed class CenteredPixelMatrixStorage : MatrixStorage<double>
{
    public readonly byte[] Pixels;
    public readonly double[] Mean;

    public CenteredPixelMatrixStorage(int rows, byte[] pixels, double[] mean) : base(rows, CenteredPixelMatrix.PixelCount + 1)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(mean);
        if (pixels.LongLength != (long)rows * CenteredPixelMatrix.PixelCount)
            throw new ArgumentException(
                $"pixels has {pixels.LongLength} bytes; {rows} images of {CenteredPixelMatrix.PixelCount} pixels need {(long)rows * CenteredPixelMatrix.PixelCount}.",
                nameof(pixels));
        if (mean.Length != CenteredPixelMatrix.PixelCount)
            throw new ArgumentException($"mean has {mean.Length} elements; expected one per pixel, {CenteredPixelMatrix.PixelCount}.", nameof(mean));
        for (int j = 0; j < mean.Length; j++)
            if (!double.IsFinite(mean[j]))
                throw new ArgumentException($"mean[{j}] is {mean[j]}; every element of the mean image must be finite.", nameof(mean));
        Pixels = pixels;
        Mean = (double[])mean.Clone();  // a later change to the caller's array must not change X
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
            "to save memory. Make a mutable copy with RowMajorMatrix.From(X) (or X.Clone()) and change that.");
}
