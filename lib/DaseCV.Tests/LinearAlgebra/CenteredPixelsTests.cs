using DaseCV.LinearAlgebra.Kernels;

namespace DaseCV.Tests.Kernels;

public sealed class CenteredPixelsTests
{
    [Fact]
    public void Should_Write_Pixel_Minus_Mean_Bit_For_Bit_And_A_Bias_Of_One()
    {
        // Every byte value, against means that round differently: the SIMD path must match (double)pixel − mean exactly.
        var pixels = Enumerable.Range(0, 3072).Select(j => (byte)(j * 7 % 256)).ToArray();
        var random = new Random(3);
        var mean = Enumerable.Range(0, 3072).Select(_ => 255 * random.NextDouble()).ToArray();
        var row = new double[3073];

        CenteredPixels.CopyRow(pixels, mean, row);

        for (int j = 0; j < 3072; j++)
            Assert.Equal(BitConverter.DoubleToInt64Bits((double)pixels[j] - mean[j]), BitConverter.DoubleToInt64Bits(row[j]));
        Assert.Equal(1.0, row[3072]);
    }

    [Fact]
    public void Should_Copy_Consecutive_Rows_Into_A_Row_Major_Buffer()
    {
        var (X, pixels, mean) = TestData.CenteredPixels(6, seed: 8);
        var block = new double[3 * 3073];

        CenteredPixels.CopyRows(pixels, mean, start: 2, count: 3, block);

        for (int r = 0; r < 3; r++)
            for (int j = 0; j < 3073; j++)
                Assert.Equal(X[2 + r, j], block[r * 3073 + j]);
    }
}
