using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace DaseCV.LinearAlgebra;

/// <summary>
/// A read-only (N, 3072) <see cref="Matrix{T}"/> of raw images stored as their pixel bytes: <c>X[i, j] = Pixels[i·3072 + j]</c>,
/// values 0–255 in the Python loader's (32, 32, 3) order.
/// </summary>
/// <remarks>
/// <c>load_CIFAR10</c>'s arrays, 60,000 images, are 1.5 GB as float64 (numpy's and MathNet's) and 184 MB as the bytes
/// they hold, and the kNN notebook only takes its 5000 / 500 rows from them. <see cref="SubMatrix"/> and <see cref="ToDense"/>
/// make dense doubles of just the rows asked for; arithmetic on the whole matrix converts it first
/// (<see cref="ByteBackedMatrix"/>). Setting an element throws, naming <see cref="ToDense"/>.
/// </remarks>
public sealed class PixelMatrix : ByteBackedMatrix
{
    /// <summary>Pixels per image (32·32·3): the column count.</summary>
    public const int PixelCount = 3072;

    private readonly PixelMatrixStorage _storage;

    private PixelMatrix(PixelMatrixStorage storage) : base(storage) => _storage = storage;

    /// <summary>Wraps <paramref name="pixels"/> (no copy).</summary>
    /// <param name="rows">Number of images N.</param>
    /// <param name="pixels">Images row by row, length N·3072, each in (32, 32, 3) order; must not change afterwards.</param>
    /// <exception cref="ArgumentException">The length is not N·3072.</exception>
    public PixelMatrix(int rows, byte[] pixels) : this(new PixelMatrixStorage(rows, pixels))
    {
    }

    /// <summary>The pixel bytes, row by row: length RowCount·3072.</summary>
    public ReadOnlySpan<byte> Pixels => _storage.Pixels;

    /// <summary>This matrix as a column-major <see cref="DenseMatrix"/> (N·3072 doubles).</summary>
    public override DenseMatrix ToDense() => DenseRows(0, RowCount);

    /// <inheritdoc/>
    public override Matrix<double> SubMatrix(int rowIndex, int rowCount, int columnIndex, int columnCount)
    {
        CheckSubMatrix(rowIndex, rowCount, columnIndex, columnCount);
        var rows = DenseRows(rowIndex, rowCount);
        return columnIndex == 0 && columnCount == ColumnCount ? rows : rows.SubMatrix(0, rowCount, columnIndex, columnCount);
    }

    /// <summary>Rows [start, start + count) as dense doubles.</summary>
    private DenseMatrix DenseRows(int start, int count)
    {
        // MathNet stores column by column, the bytes are row by row: transpose in blocks of rows, so each column's
        // writes stay in one cache line and each row's reads in a few (element by element, CIFAR-10 took 10 s).
        const int Block = 64;
        var pixels = _storage.Pixels;
        var values = new double[(long)count * PixelCount];
        Parallel.For(0, (count + Block - 1) / Block, b =>
        {
            int end = Math.Min(count, (b + 1) * Block);
            for (int j = 0; j < PixelCount; j++)
                for (int i = b * Block; i < end; i++)
                    values[(long)j * count + i] = pixels[(long)(start + i) * PixelCount + j];
        });
        return new DenseMatrix(count, PixelCount, values);
    }
}

/// <summary>Byte storage behind <see cref="PixelMatrix"/>: reads a pixel as a double, refuses writes.</summary>
internal sealed class PixelMatrixStorage : MatrixStorage<double>
{
    public readonly byte[] Pixels;

    public PixelMatrixStorage(int rows, byte[] pixels) : base(rows, PixelMatrix.PixelCount)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.LongLength != (long)rows * PixelMatrix.PixelCount)
            throw new ArgumentException(
                $"pixels has {pixels.LongLength} bytes; {rows} images of {PixelMatrix.PixelCount} pixels need {(long)rows * PixelMatrix.PixelCount}.",
                nameof(pixels));
        Pixels = pixels;
    }

    public override bool IsDense => true;

    public override bool IsFullyMutable => false;

    public override bool IsMutableAt(int row, int column) => false;

    public override double At(int row, int column) => Pixels[(long)row * PixelMatrix.PixelCount + column];

    public override void At(int row, int column, double value) =>
        throw new NotSupportedException(
            $"This ({RowCount}, {ColumnCount}) matrix of raw images is read-only: it is stored as its pixel bytes to save " +
            "memory. Take the rows you need with X.SubMatrix(...), or a mutable copy of all of it with ((PixelMatrix)X).ToDense().");
}
