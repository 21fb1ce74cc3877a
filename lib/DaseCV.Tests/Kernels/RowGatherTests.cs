using DaseCV.Kernels;

namespace DaseCV.Tests.Kernels;

public sealed class RowGatherTests
{
    [Theory]
    [InlineData(5, 3, 4)]       // one thread
    [InlineData(300, 2000, 200)] // above the parallel threshold
    public void Should_Copy_The_Chosen_Rows_In_Order(int N, int D, int B)
    {
        var source = Enumerable.Range(0, N * D).Select(k => (double)k).ToArray();
        var random = new Random(1);
        var rows = Enumerable.Range(0, B).Select(_ => random.Next(N)).ToArray();
        var destination = new double[B * D];

        int bad = RowGather.Gather(source, D, rows, destination);

        Assert.Equal(-1, bad);
        for (int b = 0; b < B; b++)
            Assert.Equal(source.AsSpan(rows[b] * D, D).ToArray(), destination.AsSpan(b * D, D).ToArray());
    }

    [Fact]
    public void Should_Report_The_First_Batch_Position_Whose_Row_Is_Not_Finite()
    {
        int N = 300, D = 2000;
        var source = new double[N * D];
        source[17 * D + 5] = double.NaN;
        source[250 * D + 1999] = double.NegativeInfinity;
        int[] rows = [.. Enumerable.Repeat(3, 150), 250, .. Enumerable.Repeat(4, 40), 17, 250];

        int bad = RowGather.Gather(source, D, rows, new double[rows.Length * D]);

        Assert.Equal(150, bad);
    }
}
