using DaseCV.LinearAlgebra;
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

    [Theory]
    [InlineData(1, 10)]
    [InlineData(130, 10)]
    [InlineData(70, 3)]
    public void Should_Predict_Pixel_Rows_Exactly_As_The_Row_Major_Copy(int N, int C)
    {
        var (X, pixels, mean) = TestData.CenteredPixels(N, seed: 6);
        var W = TestData.Randn(3073, C, seed: 7, scale: 1e-3);
        var expected = new int[N];
        var actual = new int[N];

        int badExpected = ArgMaxProduct.Predict(RowMajorMatrix.From(X).Data, N, 3073, W.Values, C, expected);
        int badActual = ArgMaxProduct.PredictCentered(pixels, mean, N, W.Values, C, actual);

        Assert.Equal((-1, -1), (badExpected, badActual));
        Assert.Equal(expected, actual);
        var S = RowMajorMatrix.From(X) * W;
        for (int i = 0; i < N; i++) Assert.Equal(S.Row(i).MaximumIndex(), actual[i]);
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
