using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace DaseCV.LinearAlgebra;

/// <summary>
/// A dense <see cref="Matrix{T}"/> of doubles stored row by row: row i occupies
/// <c>Data[i*ColumnCount .. (i+1)*ColumnCount)</c>.
/// </summary>
/// <remarks>
/// MathNet's <c>DenseMatrix</c> is column-major, so one example (a row of X, shape (N, D)) is spread over
/// D cache lines. Training reads random rows of X, so the data sets keep X row by row (the validation, test
/// and dev sets in this type; the large training set as the byte-backed <see cref="CenteredPixelMatrix"/>):
/// each example's features are contiguous, and a minibatch is gathered with one copy per row. Every MathNet operation still works on it (through element access); the library's kernels
/// read <see cref="Data"/> directly.
/// </remarks>
public sealed class RowMajorMatrix : MathNet.Numerics.LinearAlgebra.Double.Matrix
{
    private readonly RowMajorMatrixStorage _storage;

    private RowMajorMatrix(RowMajorMatrixStorage storage) : base(storage) => _storage = storage;

    /// <summary>Creates a zero matrix of shape (rows, columns).</summary>
    public RowMajorMatrix(int rows, int columns) : this(new RowMajorMatrixStorage(rows, columns, NewArray(rows, columns)))
    {
    }

    /// <summary>Wraps <paramref name="data"/> (length rows·columns, row by row) without copying.</summary>
    public RowMajorMatrix(int rows, int columns, double[] data) : this(new RowMajorMatrixStorage(rows, columns, data))
    {
    }

    /// <summary>The elements, row by row; length RowCount·ColumnCount.</summary>
    public double[] Data => _storage.Data;

    /// <summary>Row <paramref name="i"/> as a span of length ColumnCount, without copying.</summary>
    public Span<double> RowSpan(int i) => _storage.Data.AsSpan(checked(i * ColumnCount), ColumnCount);

    /// <summary>Copies any matrix into row-major storage.</summary>
    public static RowMajorMatrix From(Matrix<double> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source is RowMajorMatrix rm) return new RowMajorMatrix(rm.RowCount, rm.ColumnCount, (double[])rm.Data.Clone());
        if (source is CenteredPixelMatrix pixels) return Kernels.CenteredPixels.ToRowMajor(pixels);
        var result = new RowMajorMatrix(source.RowCount, source.ColumnCount);
        var data = result.Data;
        int cols = source.ColumnCount;
        for (int i = 0; i < source.RowCount; i++)
            for (int j = 0; j < cols; j++)
                data[i * cols + j] = source.At(i, j);
        return result;
    }

    private static double[] NewArray(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        return new double[checked((long)rows * columns)];
    }
}

/// <summary>Row-major dense storage behind <see cref="RowMajorMatrix"/>.</summary>
internal sealed class RowMajorMatrixStorage : MatrixStorage<double>
{
    public readonly double[] Data;

    public RowMajorMatrixStorage(int rows, int columns, double[] data) : base(rows, columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.LongLength != (long)rows * columns)
            throw new ArgumentException(
                $"data has {data.LongLength} elements; a ({rows}, {columns}) matrix needs {(long)rows * columns}.", nameof(data));
        Data = data;
    }

    public override bool IsDense => true;

    public override bool IsFullyMutable => true;

    public override bool IsMutableAt(int row, int column) => true;

    public override double At(int row, int column) => Data[row * ColumnCount + column];

    public override void At(int row, int column, double value) => Data[row * ColumnCount + column] = value;
}
