using DaseCV.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace DaseCV.Tests.LinearAlgebra;

public sealed class PixelMatrixTests
{
    // 150 rows: the dense conversion transposes in blocks of 64, so rows on both sides of two block edges are read.
    private const int Rows = 150;

    private static (PixelMatrix X, DenseMatrix Expected) Pixels()
    {
        var random = new Random(3);
        var pixels = new byte[Rows * 3072];
        random.NextBytes(pixels);
        pixels[0] = 0;
        pixels[1] = 255;
        var expected = new DenseMatrix(Rows, 3072);
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < 3072; j++) expected[i, j] = pixels[i * 3072 + j];
        return (new PixelMatrix(Rows, pixels), expected);
    }

    [Fact]
    public void Should_Read_Each_Pixel_As_Its_Byte_Value()
    {
        var (X, expected) = Pixels();

        Assert.Equal((Rows, 3072), (X.RowCount, X.ColumnCount));
        Assert.Equal(expected, X.ToDense());
        Assert.Equal(255.0, X[0, 1]);
        Assert.Equal(expected.Row(100), X.Row(100));
    }

    [Theory]
    [InlineData(0, Rows, 0, 3072)]
    [InlineData(0, 5, 0, 3072)]
    [InlineData(63, 70, 0, 3072)]
    [InlineData(10, 3, 100, 50)]
    public void Should_Give_Dense_Doubles_Of_Just_The_Rows_SubMatrix_Takes(int row, int rows, int column, int columns)
    {
        var (X, expected) = Pixels();

        var sub = X.SubMatrix(row, rows, column, columns);

        Assert.IsType<DenseMatrix>(sub);
        Assert.Equal(expected.SubMatrix(row, rows, column, columns), sub);
        sub[0, 0] = -1; // a copy: the student may change it
        Assert.Equal(expected[row, column], X[row, column]);
    }

    [Fact]
    public void Should_Refuse_A_SubMatrix_Outside_It_Naming_The_Shape()
    {
        var (X, _) = Pixels();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => X.SubMatrix(100, 51, 0, 3072));

        Assert.Contains($"({Rows}, 3072)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Compute_Arithmetic_As_The_Dense_Matrix_Does()
    {
        var (X, expected) = Pixels();
        var B = DenseMatrix.Build.Random(3072, 4, 7);
        var v = DenseVector.Build.Random(3072, 8);

        Assert.Equal(expected.PointwisePower(2), X.PointwisePower(2));
        Assert.Equal(expected.PointwiseMultiply(expected).RowSums(), X.PointwiseMultiply(X).RowSums());
        Assert.Equal(expected - 1.5, X - 1.5);
        Assert.Equal(expected * 2, X * 2);
        Assert.Equal(expected * B, X * B);
        Assert.Equal(expected * v, X * v);
        Assert.Equal(expected.TransposeAndMultiply(expected.SubMatrix(0, 3, 0, 3072)), X.TransposeAndMultiply(expected.SubMatrix(0, 3, 0, 3072)));
        Assert.Equal(expected.ColumnSums(), X.ColumnSums());
    }

    [Fact]
    public void Should_Refuse_Writes_Naming_What_To_Do_Instead()
    {
        var (X, _) = Pixels();

        var ex = Assert.Throws<NotSupportedException>(() => X[0, 0] = 1);

        Assert.Contains("read-only", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SubMatrix", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ToDense()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_Bytes_That_Are_Not_Whole_Images()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PixelMatrix(2, new byte[3072]));

        Assert.Contains("3072 bytes; 2 images of 3072 pixels need 6144", ex.Message, StringComparison.Ordinal);
    }
}
