using DaseCV.LinearAlgebra.Kernels;
using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.Providers.LinearAlgebra;

namespace DaseCV.Tests.LinearAlgebra;

/// <summary>
/// kNN's <c>X.TransposeAndMultiply(XTrain)</c> on raw pixels takes the int16 kernel and gives exactly MathNet's own
/// result; anything that is not such a pixel falls back to the double kernels.
/// </summary>
[Collection(CenteredPixelMatrixProductTests.Name)]  // runs alone, so a product is free to split over the cores
public sealed class PixelIntegerProductsTests
{
    private static DenseMatrix Pixels(int rows, int columns, int seed, int low = 0, int high = 256)
    {
        var random = new Random(seed);
        return DenseMatrix.Create(rows, columns, (_, _) => random.Next(low, high));
    }

    private static DenseMatrix Managed(Func<DenseMatrix> product)
    {
        try
        {
            LinearAlgebraControl.UseManaged();
            return product();
        }
        finally
        {
            DaseCV.LinearAlgebra.SimdLinearAlgebraProvider.Install();
        }
    }

    [SkippableTheory]
    [InlineData(37, 53, 3072, 0, 256)]    // odd row and column counts: every tail of the 2 × 4 kernel
    [InlineData(64, 300, 100, -255, 256)] // negative values, k not a multiple of 16
    public void Should_Equal_MathNets_Product_Bit_For_Bit(int m, int n, int k, int low, int high)
    {
        Skip.If(!PixelIntegerProducts.IsSupported, "no AVX2 here: the int16 kernel is not used");
        var X = Pixels(m, k, seed: m, low, high);
        var XTrain = Pixels(n, k, seed: n, low, high);
        int threads = Gemm.MaxThreads;
        try
        {
            foreach (int t in new[] { 1, 2 })
            {
                Gemm.MaxThreads = t;
                var ours = (DenseMatrix)X.TransposeAndMultiply(XTrain);
                var expected = Managed(() => (DenseMatrix)X.TransposeAndMultiply(XTrain));
                Assert.Equal(expected.Values, ours.Values);
            }
        }
        finally
        {
            Gemm.MaxThreads = threads;
        }
    }

    [SkippableFact]
    public void Should_Take_Raw_Pixels_And_Leave_Everything_Else()
    {
        Skip.If(!PixelIntegerProducts.IsSupported, "no AVX2 here: the int16 kernel is not used");
        var X = Pixels(20, 128, seed: 1);
        var c = new double[20 * 30];
        Assert.True(PixelIntegerProducts.TryMultiplyTransposed(X.Values, 20, Pixels(30, 128, seed: 2).Values, 30, 128, c));
        foreach (double odd in new[] { 0.5, 256, -256, double.NaN, double.PositiveInfinity })
        {
            var Y = Pixels(30, 128, seed: 2);
            Y[29, 127] = odd;  // the last element read: the check must not stop early
            Assert.False(PixelIntegerProducts.TryMultiplyTransposed(X.Values, 20, Y.Values, 30, 128, c), $"{odd} taken as a pixel");
            var ours = (DenseMatrix)X.TransposeAndMultiply(Y);
            var expected = Managed(() => (DenseMatrix)X.TransposeAndMultiply(Y));
            for (int i = 0; i < ours.Values.Length; i++)
                Assert.True(ours.Values[i].Equals(expected.Values[i]) || Math.Abs(ours.Values[i] - expected.Values[i]) <= 1e-9 * Math.Abs(expected.Values[i]),
                    $"element {i}: {ours.Values[i]} vs {expected.Values[i]}");
        }
        Assert.False(PixelIntegerProducts.TryMultiplyTransposed(X.Values, 20, X.Values, 8, 128, c));  // too small to pay
    }
}
