using DaseCV.LinearAlgebra.Kernels;
using MathNet.Numerics.LinearAlgebra.Double;

namespace DaseCV.Tests.LinearAlgebra;

/// <summary>Dense products on the provider give the same bits on one thread as on two, at either vector width.</summary>
[Collection(CenteredPixelMatrixProductTests.Name)]  // runs alone, so a product is free to split over the cores
public sealed class DenseThreadsTests
{
    [Theory]
    [InlineData(301)]  // an odd count: the axpy kernel's row tail and the dot kernel's last odd row
    [InlineData(500)]  // CS231n's dev set
    public void Should_Give_The_Same_Bits_On_One_Thread_As_On_Two(int n)
    {
        var X = TestData.Randn(n, 3073, seed: n);
        var W = TestData.Randn(3073, 10, seed: 2, scale: 0.001);
        var dS = TestData.Randn(n, 10, seed: 3);
        var XT = (DenseMatrix)X.Transpose();  // (3073, n): the axpy kernel on a tall A with few columns
        int before = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 1;
            var one = new[] { X * W, X.TransposeThisAndMultiply(dS), XT * dS }.Select(m => ((DenseMatrix)m).Values).ToArray();
            Gemm.MaxThreads = 2;
            var two = new[] { X * W, X.TransposeThisAndMultiply(dS), XT * dS }.Select(m => ((DenseMatrix)m).Values).ToArray();

            for (int k = 0; k < one.Length; k++) Assert.Equal(one[k], two[k]);
            // And the two spellings of Xᵀ·dS agree (different kernels: dot vs axpy).
            var direct = (DenseMatrix)X.TransposeThisAndMultiply(dS);
            Assert.True((direct - XT * dS).FrobeniusNorm() <= 1e-12 * direct.FrobeniusNorm());
        }
        finally
        {
            Gemm.MaxThreads = before;
        }
    }
}
