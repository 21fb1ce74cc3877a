using DaseCV.LinearAlgebra;
using DaseCV.LinearAlgebra.Kernels;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace DaseCV.Tests.LinearAlgebra;

/// <summary>Every fast operation of the byte-backed matrix equals the same operation on its dense copy.</summary>
[Collection(Name)]
public sealed class CenteredPixelMatrixProductTests
{
    /// <summary>Runs alone: a test here changes how many threads a product may use, process-wide.</summary>
    public const string Name = "Kernel threads";

    // 70 rows: two full 32-row blocks and a partial one.
    private static readonly (CenteredPixelMatrix X, byte[] Pixels, double[] Mean) Pixels = TestData.CenteredPixels(70, seed: 31);
    // Built element by element (At), independently of the gather kernels under test.
    private static readonly DenseMatrix Dense = DenseMatrix.OfMatrix(Pixels.X);

    [Fact]
    public void Should_Multiply_As_Its_Dense_Copy()
    {
        var W = TestData.Randn(3073, 10, seed: 32, scale: 0.001);
        var v = TestData.Randn(3073, 1, seed: 33).Column(0);

        AssertClose(Dense * W, Pixels.X * W);
        AssertClose(Dense * v, Pixels.X * v);
        AssertClose(Dense.TransposeAndMultiply(W.Transpose()), Pixels.X.TransposeAndMultiply(W.Transpose()));
    }

    [Fact]
    public void Should_Transpose_Multiply_As_Its_Dense_Copy()
    {
        var dS = TestData.Randn(70, 10, seed: 34);
        var u = TestData.Randn(70, 1, seed: 35).Column(0);

        AssertClose(Dense.TransposeThisAndMultiply(dS), Pixels.X.TransposeThisAndMultiply(dS));
        AssertClose(Dense.TransposeThisAndMultiply(u), Pixels.X.TransposeThisAndMultiply(u));
    }

    // Column counts: blocks of 4 columns, of 2 and of 1 and their mixes (7 = 4 + 2 + 1, 23 = 5 × 4 + 2 + 1), the two-layer
    // net's 50. Row counts: less than one panel of three vectors (12 or 24 rows), whole and partial panels, over one
    // 256-row chunk of Xᵀ·B.
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(2, 13)]
    [InlineData(65, 10)]
    [InlineData(129, 23)]
    [InlineData(301, 10)]
    [InlineData(200, 50)]
    [InlineData(24, 4)]
    public void Should_Multiply_Any_Shape_As_Its_Dense_Copy(int rows, int columns)
    {
        var (X, _, _) = TestData.CenteredPixels(rows, seed: 100 * rows + columns);
        var dense = DenseMatrix.OfMatrix(X);
        var W = TestData.Randn(3073, columns, seed: 37, scale: 0.001);
        var dS = TestData.Randn(rows, columns, seed: 38);

        AssertClose(dense * W, X * W);
        AssertClose(dense.TransposeThisAndMultiply(dS), X.TransposeThisAndMultiply(dS));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    public void Should_Give_The_Same_Bits_On_One_Thread_As_On_Two(int columns)
    {
        // Large enough to split over the cores; this collection runs alone, so no other product keeps it on one.
        var (X, _, _) = TestData.CenteredPixels(301, seed: 39);
        var W = TestData.Randn(3073, columns, seed: 40, scale: 0.001);
        var dS = TestData.Randn(301, columns, seed: 41);
        int before = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 1;
            var (scores1, grad1) = ((DenseMatrix)(X * W), (DenseMatrix)X.TransposeThisAndMultiply(dS));
            Gemm.MaxThreads = 2;
            var (scores2, grad2) = ((DenseMatrix)(X * W), (DenseMatrix)X.TransposeThisAndMultiply(dS));

            Assert.Equal(scores1.Values, scores2.Values);
            Assert.Equal(grad1.Values, grad2.Values);
        }
        finally
        {
            Gemm.MaxThreads = before;
        }
    }

    [Fact]
    public void Should_Sum_Slice_And_Select_Rows_Exactly()
    {
        AssertClose(Dense.RowSums(), Pixels.X.RowSums());
        AssertClose(Dense.ColumnSums(), Pixels.X.ColumnSums());
        Assert.Equal(Dense.SubMatrix(3, 40, 0, 3073), Pixels.X.SubMatrix(3, 40, 0, 3073));
        Assert.Equal(Dense.SubMatrix(5, 2, 100, 7), Pixels.X.SubMatrix(5, 2, 100, 7));
        int[] rows = [69, 0, 5, 5, 33, 12, 7, 8, 9, 10, 11];
        Assert.Equal(Dense.SelectRows(rows), Pixels.X.SelectRows(rows));
    }

    [Fact]
    public void Should_Convert_To_Dense_Exactly()
    {
        Assert.Equal(Dense.Values, Pixels.X.ToDense().Values);
    }

    [Fact]
    public void Should_Do_Element_Wise_Arithmetic_On_A_Dense_Result()
    {
        var other = TestData.Randn(70, 3073, seed: 36);

        Assert.Equal(Dense + other, Pixels.X + other);
        Assert.Equal(Dense - other, Pixels.X - other);
        Assert.Equal(Dense * 2.5, Pixels.X * 2.5);
        Assert.Equal(-Dense, -Pixels.X);
        Assert.Equal(Dense.PointwiseExp(), Pixels.X.PointwiseExp());
        Assert.Equal(Dense.PointwiseMultiply(other), Pixels.X.PointwiseMultiply(other));
        Assert.IsType<DenseMatrix>(Pixels.X + other);
    }

    private static void AssertClose(Matrix<double> expected, Matrix<double> actual)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        Assert.True((expected - actual).FrobeniusNorm() <= 1e-12 * Math.Max(1, expected.FrobeniusNorm()),
            $"differs by {(expected - actual).FrobeniusNorm()}");
    }

    private static void AssertClose(Vector<double> expected, Vector<double> actual) =>
        Assert.True((expected - actual).L2Norm() <= 1e-12 * Math.Max(1, expected.L2Norm()), $"differs by {(expected - actual).L2Norm()}");
}

/// <summary><see cref="CenteredPixelMatrixProductTests"/> runs with no other test beside it.</summary>
[CollectionDefinition(CenteredPixelMatrixProductTests.Name, DisableParallelization = true)]
public sealed class KernelThreadsCollection
{
}
