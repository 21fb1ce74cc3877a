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
        public void Should_Match_Naive_Loss_And_Gradient_For_Row_And_Column_Major_X(int N, int D, int C, double reg)
        {
            var XDense = TestData.Randn(N, D, seed: N + D, scale: 50);
            var W = TestData.Randn(D, C, seed: C, scale: 0.001);
            var y = TestData.Labels(N, C, seed: 4);

            var (naiveLoss, naiveGrad) = SvmLoss.Naive(W, XDense, y, reg);
            foreach (Matrix<double> X in new Matrix<double>[] { RowMajorMatrix.From(XDense), XDense })
            {
                var (loss, grad) = SvmLoss.Vectorized(W, X, y, reg);

                Assert.True(TestData.RelativeError(loss, naiveLoss) < 1e-10, $"{X.GetType().Name}: {loss} vs {naiveLoss}");
                Assert.True(TestData.MaxRelativeError(grad, naiveGrad) < 1e-10, $"{X.GetType().Name}: gradient differs");
            }
        }

        [Theory]
        [InlineData(0.0)]
        [InlineData(5e1)]
        public void Should_Pass_A_Sparse_Gradient_Check(double reg)
        {
            var X = TestData.MeanSubtractedPixels(20, 3072, seed: 8);
            var y = TestData.Labels(20, 10, seed: 9);
            var W = TestData.Randn(3073, 10, seed: 10, scale: 0.0001);
            var (_, grad) = SvmLoss.Vectorized(W, X, y, reg);

            using var console = new ConsoleCapture();
            var checks = GradientCheck.GradCheckSparse(w => SvmLoss.Vectorized(w, X, y, reg).Loss, W, grad, 10, seed: 11);

            // Piecewise linear: exact away from kinks, and these seeded checks hit none.
            Assert.All(checks, c => Assert.True(c.RelativeError <= 1e-6, c.ToString()));
        }
    }
}
