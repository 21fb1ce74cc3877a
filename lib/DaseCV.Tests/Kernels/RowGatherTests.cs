using DaseCV.LinearAlgebra;
using DaseCV.Kernels;

namespace DaseCV.Tests.Kernels;

public sealed class RowGatherTests
{
    [Theory]
    [InlineData(5, 3, 4, 1)]
    [InlineData(300, 2000, 200, 2)]
    [InlineData(300, 2000, 200, 3)]
    public void Should_Copy_The_Chosen_Rows_In_Order(int N, int D, int B, int split)
    {
        var source = Enumerable.Range(0, N * D).Select(k => (double)k).ToArray();
        var random = new Random(1);
        var rows = Enumerable.Range(0, B).Select(_ => random.Next(N)).ToArray();
        var destination = new double[B * D];

        int bad = RowGather.Gather(source, D, rows, destination, split);

        Assert.Equal(-1, bad);
        for (int b = 0; b < B; b++)
            Assert.Equal(source.AsSpan(rows[b] * D, D).ToArray(), destination.AsSpan(b * D, D).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Should_Gather_Pixel_Rows_As_The_Same_Doubles_As_The_Row_Major_Copy(int split)
    {
        var (X, pixels, mean) = TestData.CenteredPixels(40, seed: 5);
        var source = RowMajorMatrix.From(X).Data;
        var random = new Random(2);
        var rows = Enumerable.Range(0, 25).Select(_ => random.Next(40)).ToArray();
        var expected = new double[25 * 3073];
        var actual = new double[25 * 3073];

        RowGather.Gather(source, 3073, rows, expected, split: 1);
        RowGather.GatherCentered(pixels, mean, rows, actual, split);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Should_Report_The_First_Batch_Position_Whose_Row_Is_Not_Finite()
    {
        int N = 300, D = 2000;
        var source = new double[N * D];
        source[17 * D + 5] = double.NaN;
        source[250 * D + 1999] = double.NegativeInfinity;
        int[] rows = [.. Enumerable.Repeat(3, 150), 250, .. Enumerable.Repeat(4, 40), 17, 250];

        int bad = RowGather.Gather(source, D, rows, new double[rows.Length * D], split: 2);

        Assert.Equal(150, bad);
    }
}
