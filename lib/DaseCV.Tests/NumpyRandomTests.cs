namespace DaseCV.Tests;

public sealed class NumpyRandomTests
{
    // Reference numbers printed by numpy 1.24 (/usr/bin/python3, Debian):
    //   np.random.seed(0); np.random.randn(3)                   -> 1.76405235, 0.40015721, 0.97873798
    //   np.random.seed(0); np.random.choice(49000, 6)          -> 2732, 43567, 42613, 45891, 21243, 30403
    //   then np.random.choice(5, 6)                              -> 1, 3, 2, 4, 0, 0
    //   np.random.seed(3); np.random.rand(2), np.random.randn(3) -> 0.5507979025745755, 0.7081478226181048,
    //                                                              0.09649746807200862, -1.8634927033644908, -0.27738820251439905
    public sealed class TheRandnMethod
    {
        [Fact]
        public void Should_Draw_What_Numpy_Draws_After_Seed_0()
        {
            var values = new NumpyRandom(0).Randn(1, 3);

            Assert.Equal(1.76405235, values[0, 0], 1e-8);
            Assert.Equal(0.40015721, values[0, 1], 1e-8);
            Assert.Equal(0.97873798, values[0, 2], 1e-8);
        }

        [Fact]
        public void Should_Fill_Row_By_Row_As_Numpy_Fills_A_C_Order_Array()
        {
            // np.random.seed(1); 10 * np.random.randn(5, 4): the toy data of two_layer_net.ipynb, first row and column
            var X = 10 * new NumpyRandom(1).Randn(5, 4);

            Assert.Equal([16.24345364, -6.11756414, -5.28171752, -10.72968622], X.Row(0).ToArray().Select(v => Math.Round(v, 8)));
            Assert.Equal([16.24345364, 8.65407629, 3.19039096, -3.22417204, -1.72428208], X.Column(0).ToArray().Select(v => Math.Round(v, 8)));
        }
    }

    public sealed class TheNextDoubleAndGaussMethods
    {
        [Fact]
        public void Should_Share_One_Stream_As_Numpy_Does()
        {
            var random = new NumpyRandom(3);

            Assert.Equal(0.5507979025745755, random.NextDouble());
            Assert.Equal(0.7081478226181048, random.NextDouble());
            Assert.Equal(0.09649746807200862, random.Gauss(), 1e-15);
            Assert.Equal(-1.8634927033644908, random.Gauss(), 1e-15);
            Assert.Equal(-0.27738820251439905, random.Gauss(), 1e-15);
        }
    }

    public sealed class TheRandIntMethod
    {
        [Fact]
        public void Should_Draw_What_Numpy_Choice_Draws_With_Replacement()
        {
            var random = new NumpyRandom(0);

            Assert.Equal([2732, 43567, 42613, 45891, 21243, 30403], Enumerable.Range(0, 6).Select(_ => random.RandInt(49000)));
            Assert.Equal([1, 3, 2, 4, 0, 0], Enumerable.Range(0, 6).Select(_ => random.RandInt(5)));
        }

        [Fact]
        public void Should_Throw_When_High_Is_Not_Positive()
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new NumpyRandom(0).RandInt(0));

            Assert.Equal("high", e.ParamName);
        }
    }
}
