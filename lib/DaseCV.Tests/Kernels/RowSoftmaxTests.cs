using DaseCV.Kernels;

namespace DaseCV.Tests.Kernels;

public sealed class RowSoftmaxTests
{
    public sealed class TheSoftmaxCrossEntropyMethod
    {
        [Fact]
        public void Should_Give_Probabilities_And_Cross_Entropy_Of_A_Hand_Computed_Row()
        {
            double[] S = [1.0, 2.0, 3.0];
            double z = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);

            double loss = RowSoftmax.SoftmaxCrossEntropy(S, 1, 3, [0]);

            Assert.Equal(-Math.Log(Math.Exp(1) / z), loss, 1e-14);
            Assert.Equal(Math.Exp(2) / z, S[1], 1e-15);
            Assert.Equal(1.0, S.Sum(), 1e-15);
        }

        [Fact]
        public void Should_Stay_Finite_For_Scores_Of_Plus_Minus_1e4()
        {
            double[] S = [1e4, -1e4, 0.0, -1e4, 1e4, 0.0];

            double loss = RowSoftmax.SoftmaxCrossEntropy(S, 2, 3, [1, 1]);

            // Row 0: P[y] = exp(−2e4)/1 underflows, yet −log P = 2e4 exactly. Row 1: P[y] ≈ 1.
            Assert.Equal(2e4, loss, 1e-9);
            Assert.All(S, p => Assert.True(double.IsFinite(p)));
        }
    }

    public sealed class TheSubtractOneHotMethod
    {
        [Fact]
        public void Should_Subtract_One_At_The_Label_And_Scale()
        {
            double[] P = [0.25, 0.75, 0.5, 0.5];

            RowSoftmax.SubtractOneHot(P, 2, 2, [1, 0], 0.5);

            Assert.Equal([0.125, -0.125, -0.25, 0.25], P);
        }
    }
}
