using DaseCV.Classifiers;
using DaseCV.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Tests.Classifiers;

public sealed class SvmLossTests
{
    public sealed class TheNaiveMethod
    {
        [Fact]
        public void Should_Match_A_Hand_Computed_2x3_Example()
        {
            // Scores [[0.5, 0], [0, 0.5]], labels [0, 1]: each row has one margin 0 − 0.5 + 1 = 0.5.
            var X = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0, 1 }, { 0, 1, 1 } });
            var W = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.5, 0 }, { 0, 0.5 }, { 0, 0 } });

            var (loss, grad) = SvmLoss.Naive(W, X, [0, 1], reg: 0.1);

            Assert.Equal(0.5 + 0.1 * 0.5, loss, 1e-15);
            var expected = Matrix<double>.Build.DenseOfArray(new double[,] { { -0.4, 0.5 }, { 0.5, -0.4 }, { 0, 0 } });
            Assert.True(TestData.MaxRelativeError(grad, expected) < 1e-15, grad.ToString());
        }

        [Fact]
        public void Should_Give_About_C_Minus_1_For_Small_Random_W()
        {
            var X = TestData.MeanSubtractedPixels(50, 3072, seed: 1);
            var W = TestData.Randn(3073, 10, seed: 2, scale: 0.0001);

            var (loss, _) = SvmLoss.Naive(W, X, TestData.Labels(50, 10, seed: 3), reg: 0.0);

            Assert.InRange(loss, 8.5, 9.5);  // nine margins of about 1 each
        }
    }

    [Collection(ConsoleCollection.Name)]
    public sealed class TheVectorizedMethod
    {
        [Theory]
        [MemberData(nameof(LossFunctions.AgreementShapes), MemberType = typeof(LossFunctions))]
        public void Should_Match_Naive_Loss_And_Gradient_For_Row_And_Column_Major_X(int N, int D, int C, double reg) =>
            LossFunctions.AssertVectorizedMatchesNaive(SvmLoss.Naive, SvmLoss.Vectorized, N, D, C, reg);

        [Theory]
        [InlineData(0.0)]
        [InlineData(5e1)]
        public void Should_Pass_A_Sparse_Gradient_Check(double reg)
        {
            LossFunctions.AssertGradientCheckPasses(SvmLoss.Vectorized, reg, numChecks: 10);
            LossFunctions.AssertGradientCheckPasses(SvmLoss.Naive, reg, numChecks: 3);
        }
    }
}
