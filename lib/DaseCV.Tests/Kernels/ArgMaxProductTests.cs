using DaseCV.Kernels;

namespace DaseCV.Tests.Kernels;

public sealed class ArgMaxProductTests
{
    [Theory]
    [InlineData(1, 5, 3)]
    [InlineData(130, 37, 10)]
    [InlineData(65, 8, 1)]
    public void Should_Match_ArgMax_Of_The_Product(int N, int D, int C)
    {
        var X = TestData.Randn(N, D, seed: 1);
        var W = TestData.Randn(D, C, seed: 2);
        var S = X * W;
        var labels = new int[N];

        int bad = ArgMaxProduct.Predict(X.ToRowMajorArray(), N, D, W.Values, C, labels);

        Assert.Equal(-1, bad);
        for (int i = 0; i < N; i++) Assert.Equal(S.Row(i).MaximumIndex(), labels[i]);
    }

    [Fact]
    public void Should_Report_The_First_Row_With_A_Non_Finite_Score()
    {
        var X = TestData.Randn(200, 9, seed: 3).ToRowMajorArray();
        X[150 * 9 + 4] = double.NaN;
        X[90 * 9 + 2] = double.PositiveInfinity;

        int bad = ArgMaxProduct.Predict(X, 200, 9, TestData.Randn(9, 10, seed: 4).Values, 10, new int[200]);

        Assert.Equal(90, bad);
    }
}
