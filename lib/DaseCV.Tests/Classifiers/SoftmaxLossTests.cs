using DaseCV.Classifiers;
using DaseCV.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace DaseCV.Tests.Classifiers;

public sealed class SoftmaxLossTests
{
    public sealed class TheNaiveMethod
    {
        [Fact]
        public void Should_Match_A_Hand_Computed_2x3_Example()
        {
            // Scores X·W = [[1, 0], [0, 2]], labels [0, 1]: −log P = log(1 + e^−1) and log(1 + e^−2).
            var X = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0, 1 }, { 0, 1, 1 } });
            var W = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0 }, { 0, 2 }, { 0, 0 } });
            double a = 1 / (1 + Math.E), b = 1 / (1 + Math.Exp(2));  // 1 − P[y] of each row

            var (loss, grad) = SoftmaxLoss.Naive(W, X, [0, 1], reg: 0.1);

            Assert.Equal((Math.Log(1 + Math.Exp(-1)) + Math.Log(1 + Math.Exp(-2))) / 2 + 0.1 * 5, loss, 1e-14);
            var expected = Matrix<double>.Build.DenseOfArray(new double[,]
            {
                { -a / 2 + 0.2, a / 2 },
                { b / 2, -b / 2 + 0.4 },
                { (b - a) / 2, (a - b) / 2 },
            });
            Assert.True(TestData.MaxRelativeError(grad, expected) < 1e-14, grad.ToString());
        }

        [Fact]
        public void Should_Give_About_Minus_Log_Of_0_1_For_Small_Random_W_On_Mean_Subtracted_Pixels()
        {
            var X = TestData.MeanSubtractedPixels(100, 3072, seed: 1);
            var W = TestData.Randn(3073, 10, seed: 2, scale: 0.0001);

            var (loss, _) = SoftmaxLoss.Naive(W, X, TestData.Labels(100, 10, seed: 3), reg: 0.0);

            // All ten classes nearly equally likely; the scores' spread (≈ 0.4) adds a little.
            Assert.InRange(loss, -Math.Log(0.1), -Math.Log(0.1) + 0.2);
        }
    }

    [Collection(ConsoleCollection.Name)]
    public sealed class TheVectorizedMethod
    {
        [Fact]
        public void Should_Give_The_Same_Result_On_A_Pixel_Matrix_As_On_Its_Dense_Copy()
        {
            var (X, _, _) = TestData.CenteredPixels(30, seed: 26);
            var W = TestData.Randn(3073, 10, seed: 27, scale: 0.0001);
            var y = TestData.Labels(30, 10, seed: 28);

            var (loss, grad) = SoftmaxLoss.Vectorized(W, X, y, reg: 0.5);
            var (expectedLoss, expectedGrad) = SoftmaxLoss.Vectorized(W, DenseMatrix.OfMatrix(X), y, reg: 0.5);
            var (naiveLoss, _) = SoftmaxLoss.Naive(W, X, y, reg: 0.5);

            // The pixel matrix's products convert rows and take another kernel: equal up to rounding.
            Assert.Equal(expectedLoss, loss, 1e-12);
            Assert.True((expectedGrad - grad).FrobeniusNorm() <= 1e-12 * expectedGrad.FrobeniusNorm());
            Assert.Equal(expectedLoss, naiveLoss, 1e-10);
        }

        [Theory]
        [MemberData(nameof(LossFunctions.AgreementShapes), MemberType = typeof(LossFunctions))]
        public void Should_Match_Naive_Loss_And_Gradient_For_Row_And_Column_Major_X(int N, int D, int C, double reg) =>
            LossFunctions.AssertVectorizedMatchesNaive(SoftmaxLoss.Naive, SoftmaxLoss.Vectorized, N, D, C, reg);

        [Fact]
        public void Should_Accept_A_Row_Major_W()
        {
            var X = TestData.MeanSubtractedPixels(10, 30, seed: 5);
            var W = TestData.Randn(31, 10, seed: 6, scale: 0.01);
            var y = TestData.Labels(10, 10, seed: 7);

            var (loss, grad) = SoftmaxLoss.Vectorized(DenseMatrix.OfMatrix(W), X, y, 1.0);
            var (expectedLoss, expectedGrad) = SoftmaxLoss.Naive(W, X, y, 1.0);

            Assert.Equal(expectedLoss, loss, 1e-12);
            Assert.True(TestData.MaxRelativeError(grad, expectedGrad) < 1e-10);
        }

        [Fact]
        public void Should_Give_A_Finite_Loss_For_Scores_Of_1e4()
        {
            // Scores ±1e4: exp(1e4) overflows, so only the max-shifted form stays finite.
            var X = Matrix<double>.Build.DenseOfArray(new double[,] { { 1e4, 0 }, { 0, 1e4 } });
            var W = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, -1, 0 }, { -1, 1, 0 } });

            foreach (var lossFunction in new LossFunctions.LossFunction[] { SoftmaxLoss.Naive, SoftmaxLoss.Vectorized })
            {
                var (loss, grad) = lossFunction(W, X, [1, 1], 0.0);

                Assert.Equal(1e4, loss, 1e-6);  // row 0 misses by 2e4, row 1 is right: mean 1e4
                Assert.All(grad.Enumerate(), g => Assert.True(double.IsFinite(g)));
            }
        }

        [Theory]
        [InlineData(0.0)]
        [InlineData(5e1)]
        public void Should_Pass_A_Sparse_Gradient_Check(double reg)
        {
            LossFunctions.AssertGradientCheckPasses(SoftmaxLoss.Vectorized, reg, numChecks: 10);
            LossFunctions.AssertGradientCheckPasses(SoftmaxLoss.Naive, reg, numChecks: 3);
        }
    }
}
