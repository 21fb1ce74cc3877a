using DaseCV.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Tests.LinearAlgebra;

public sealed class RowMajorMatrixTests
{
    [Fact]
    public void Should_Store_Rows_Contiguously()
    {
        var a = new RowMajorMatrix(2, 3, [1, 2, 3, 4, 5, 6]);

        Assert.Equal(6.0, a[1, 2]);
        Assert.Equal([4.0, 5.0, 6.0], a.RowSpan(1).ToArray());
    }

    [Fact]
    public void Should_Behave_As_A_MathNet_Matrix()
    {
        var a = new RowMajorMatrix(2, 3, [1, 2, 3, 4, 5, 6]);
        var dense = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var w = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0 }, { 0, 1 }, { 1, 1 } });

        Assert.True(a.Equals(dense));
        Assert.Equal(dense * w, a * w);
        Assert.Equal(dense.Transpose(), a.Transpose());
    }

    [Fact]
    public void Should_Throw_When_Data_Length_Does_Not_Match_Shape()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RowMajorMatrix(2, 3, new double[5]));
        Assert.Contains("(2, 3)", ex.Message);
    }
}
