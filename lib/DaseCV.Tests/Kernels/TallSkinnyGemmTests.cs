using DaseCV.Kernels;

namespace DaseCV.Tests.Kernels;

public sealed class TallSkinnyGemmTests
{
    // Odd shapes: N = 1 and odd N (the 2-row blocks), D not a multiple of the vector width or the depth block,
    // C not a multiple of the 5-class block, and C = 10.
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 1, 7, 10 }, { 2, 3, 2 }, { 3, 13, 3 }, { 5, 257, 7 }, { 7, 300, 10 }, { 4, 513, 12 }, { 9, 31, 6 },
    };

    private static double[] Random(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => random.NextDouble() * 2 - 1).ToArray();
    }

    public sealed class TheMultiplyMethod
    {
        [Theory]
        [MemberData(nameof(Shapes), MemberType = typeof(TallSkinnyGemmTests))]
        public void Should_Match_Triple_Loop(int N, int D, int C)
        {
            double[] X = Random(N * D, 1), W = Random(D * C, 2);
            var S = Enumerable.Repeat(double.NaN, N * C).ToArray();  // must be overwritten, not accumulated into

            TallSkinnyGemm.Multiply(X, N, D, W, C, S);

            for (int i = 0; i < N; i++)
                for (int c = 0; c < C; c++)
                {
                    double expected = 0;
                    for (int d = 0; d < D; d++) expected += X[i * D + d] * W[c * D + d];
                    Assert.True(Math.Abs(S[i * C + c] - expected) <= 1e-12 * D, $"S[{i}, {c}] = {S[i * C + c]}, expected {expected}");
                }
        }

        [Fact]
        public void Should_Give_The_Same_Bits_In_Parallel_As_On_One_Thread()
        {
            int N = 203, D = 1031, C = 10;  // above the parallel threshold, odd row count
            double[] X = Random(N * D, 3), W = Random(D * C, 4);
            var parallel = new double[N * C];
            var single = new double[N * C];

            TallSkinnyGemm.Multiply(X, N, D, W, C, parallel);
            TallSkinnyGemm.MultiplyRows(X, N, D, W, C, single);

            Assert.Equal(single, parallel);
        }
    }

    public sealed class TheTransposeMultiplyMethod
    {
        [Theory]
        [MemberData(nameof(Shapes), MemberType = typeof(TallSkinnyGemmTests))]
        public void Should_Match_Triple_Loop(int N, int D, int C)
        {
            double[] X = Random(N * D, 5), dS = Random(N * C, 6);
            var G = Enumerable.Repeat(double.NaN, D * C).ToArray();

            TallSkinnyGemm.TransposeMultiply(X, N, D, dS, C, G);

            for (int d = 0; d < D; d++)
                for (int c = 0; c < C; c++)
                {
                    double expected = 0;
                    for (int i = 0; i < N; i++) expected += X[i * D + d] * dS[i * C + c];
                    Assert.True(Math.Abs(G[c * D + d] - expected) <= 1e-12 * N, $"G[{d}, {c}] = {G[c * D + d]}, expected {expected}");
                }
        }

        [Fact]
        public void Should_Give_The_Same_Bits_In_Parallel_As_On_One_Thread()
        {
            int N = 200, D = 1037, C = 10;
            double[] X = Random(N * D, 7), dS = Random(N * C, 8);
            var parallel = new double[D * C];
            var single = new double[D * C];

            TallSkinnyGemm.TransposeMultiply(X, N, D, dS, C, parallel);
            TallSkinnyGemm.TransposeMultiplyColumns(X, N, D, dS, C, single, 0, D);

            Assert.Equal(single, parallel);
        }
    }
}
