using DaseCV.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace DaseCV.Tests.LinearAlgebra;

/// <summary>X.Transpose() of a byte-backed matrix: the row-at-a-time override MathNet reaches, and its fallbacks.</summary>
public sealed class PixelTransposeTests
{
    [Fact]
    public void Should_Reach_The_Row_At_A_Time_Override_On_This_Runtime()
    {
        // False would mean MathNet's element-by-element copy (1.9-6 ms per minibatch): correct but slow.
        Assert.True(PixelTranspose.IsFast);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(200)]
    public void Should_Equal_The_Element_By_Element_Transpose(int rows)
    {
        var (X, pixels, mean) = TestData.CenteredPixels(rows, seed: rows);

        var T = X.Transpose();

        Assert.Equal((3073, rows), (T.RowCount, T.ColumnCount));
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < 3072; j++)
                Assert.Equal((double)pixels[i * 3072 + j] - mean[j], T[j, i]);  // exact: one rounding, as X[i, j]
            Assert.Equal(1.0, T[3072, i]);
        }
    }

    [Fact]
    public void Should_Transpose_A_Minibatch_Drawn_From_The_Training_Matrix()
    {
        var (X, _, _) = TestData.CenteredPixels(50, seed: 4);
        var batch = X.SelectRows([49, 0, 7, 7, 31]);

        Assert.IsType<CenteredPixelMatrix>(batch);
        Assert.Equal(DenseMatrix.OfMatrix(batch).Transpose(), batch.Transpose());
    }

    [Fact]
    public void Should_Overwrite_A_Given_Result_And_Fill_A_Sparse_One()
    {
        var (X, _, _) = TestData.CenteredPixels(4, seed: 5);
        var expected = DenseMatrix.OfMatrix(X).Transpose();
        var dense = DenseMatrix.Create(3073, 4, (_, _) => double.NaN);
        var sparse = new SparseMatrix(3073, 4);

        X.Transpose(dense);
        X.Transpose(sparse);

        Assert.Equal(expected, dense);
        Assert.Equal(expected, sparse);
    }

    [Fact]
    public void Should_Give_Transpose_Times_B_Equal_To_TransposeThisAndMultiply()
    {
        var (X, _, _) = TestData.CenteredPixels(37, seed: 6);
        var B = TestData.Randn(37, 10, seed: 7);

        var viaTranspose = X.Transpose() * B;
        var direct = X.TransposeThisAndMultiply(B);

        Assert.True((viaTranspose - direct).FrobeniusNorm() <= 1e-12 * direct.FrobeniusNorm());
    }

    [Fact]
    public void Should_Still_Check_And_Copy_The_Mean()
    {
        var pixels = new byte[3072];
        var mean = new double[3072];
        mean[5] = double.NaN;
        Assert.Throws<ArgumentException>(() => new CenteredPixelMatrix(1, pixels, mean));

        mean[5] = 2.0;
        var X = new CenteredPixelMatrix(1, pixels, mean);
        mean[5] = 100.0;  // a later change to the caller's array must not change X

        Assert.Equal(-2.0, X[0, 5]);
        Assert.Equal(-2.0, X.Transpose()[5, 0]);
    }

    [Fact]
    public void Should_Throw_The_Constructors_Own_Exception_From_The_Emitted_Storage()
    {
        // The emitted type's constructor is called through a compiled delegate: an ArgumentException, not a
        // reflection wrapper (TargetInvocationException) around it.
        var ex = Assert.Throws<ArgumentException>(() => PixelTranspose.Create(2, new byte[5], new double[3072], meanChecked: true));

        Assert.Contains("pixels has 5 bytes", ex.Message);
    }
}
