using MathNet.Numerics.LinearAlgebra.Double;
using DaseCV.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Tests.LinearAlgebra;

public sealed class CenteredPixelMatrixTests
{
    [Fact]
    public void Should_Return_Pixel_Minus_Mean_And_A_Bias_Of_One()
    {
        var (X, pixels, mean) = TestData.CenteredPixels(3, seed: 1);

        Assert.Equal((3, 3073), (X.RowCount, X.ColumnCount));
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3072; j++) Assert.Equal((double)pixels[i * 3072 + j] - mean[j], X[i, j]);
            Assert.Equal(1.0, X[i, 3072]);
        }
    }

    [Fact]
    public void Should_Hold_The_Same_Doubles_As_The_Loaders_Row_Major_Construction()
    {
        // A hand-made record: extreme bytes and a mean with a fractional part that rounds.
        var pixels = new byte[2 * 3072];
        var mean = new double[3072];
        for (int j = 0; j < 3072; j++)
        {
            pixels[j] = (byte)(j % 256);
            pixels[3072 + j] = (byte)(255 - j % 256);
            mean[j] = 127.0 + j / 3072.0 + 1.0 / 3;
        }
        var expected = new DenseMatrix(2, 3073);
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 3072; j++) expected[i, j] = pixels[i * 3072 + j] - mean[j];
            expected[i, 3072] = 1.0;
        }

        var X = new CenteredPixelMatrix(2, pixels, mean);

        Assert.Equal(expected.Values, DenseMatrix.OfMatrix(X).Values);
        Assert.Equal(expected.Values, X.ToDense().Values);
        Assert.True(X.Equals(expected));
        
    }

    [Fact]
    public void Should_Behave_As_A_MathNet_Matrix()
    {
        var (X, _, _) = TestData.CenteredPixels(5, seed: 2);
        var copy = DenseMatrix.OfMatrix(X);
        var W = TestData.Randn(3073, 4, seed: 3);

        Assert.True((copy * W - X * W).FrobeniusNorm() <= 1e-12 * (copy * W).FrobeniusNorm());
        Assert.Equal(copy.Row(4), X.Row(4));
        Assert.Equal(copy.Transpose(), X.Transpose());
    }

    [Fact]
    public void Should_Be_Read_Only_And_Say_How_To_Get_A_Mutable_Copy()
    {
        var (X, _, _) = TestData.CenteredPixels(2, seed: 4);

        Assert.False(X.Storage.IsFullyMutable);
        Assert.False(X.Storage.IsMutableAt(0, 0));
        var ex = Assert.Throws<NotSupportedException>(() => X[1, 2] = 0.5);
        Assert.Contains("read-only", ex.Message);
        Assert.Contains("X.ToDense()", ex.Message);
        var copy = DenseMatrix.OfMatrix(X);
        copy[1, 2] = 0.5;
        Assert.Equal(0.5, copy[1, 2]);
    }

    [Fact]
    public void Should_Not_Change_When_The_Callers_Mean_Array_Changes()
    {
        var pixels = new byte[3072];
        pixels[7] = 200;
        var mean = new double[3072];
        mean[7] = 50.5;
        var X = new CenteredPixelMatrix(1, pixels, mean);

        mean[7] = 0;

        Assert.Equal(149.5, X[0, 7]);
    }

    [Fact]
    public void Should_Throw_When_The_Pixel_Count_Does_Not_Match_The_Rows()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CenteredPixelMatrix(2, new byte[3072], new double[3072]));

        Assert.Equal("pixels", ex.ParamName);
        Assert.Contains("pixels has 3072 bytes; 2 images of 3072 pixels need 6144", ex.Message);
    }

    [Fact]
    public void Should_Throw_When_The_Mean_Has_The_Wrong_Length_Or_Is_Not_Finite()
    {
        var wrongLength = Assert.Throws<ArgumentException>(() => new CenteredPixelMatrix(1, new byte[3072], new double[3073]));
        var mean = new double[3072];
        mean[9] = double.NaN;
        var notFinite = Assert.Throws<ArgumentException>(() => new CenteredPixelMatrix(1, new byte[3072], mean));

        Assert.Equal(("mean", "mean"), (wrongLength.ParamName, notFinite.ParamName));
        Assert.Contains("mean has 3073 elements", wrongLength.Message);
        Assert.Contains("mean[9] is NaN", notFinite.Message);
    }
}
