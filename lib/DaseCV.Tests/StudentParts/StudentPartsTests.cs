using DaseCV.Classifiers;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Tests.StudentParts;

/// <summary>
/// The notebook's own checks of the parts students write, as tests they can run (<c>dotnet test</c>): before a part
/// is written its tests are skipped with "not implemented yet"; afterwards they must pass.
/// </summary>
public sealed class StudentPartsTests
{
    private static (Matrix<double> W, Matrix<double> X, int[] y) Problem(int N, int D, int C, double wScale, int seed)
    {
        var random = new Random(seed);
        var W = Matrix<double>.Build.Random(D, C, new Normal(0, 1, random)) * wScale;
        var X = Matrix<double>.Build.Random(N, D, new Normal(0, 1, random));
        var y = Enumerable.Range(0, N).Select(_ => random.Next(C)).ToArray();
        return (W, X, y);
    }

    public sealed class TheSoftmaxLossNaiveMethod
    {
        [SkippableFact]
        public void Should_Give_About_Log_C_For_Tiny_Weights()
        {
            var (W, X, y) = Problem(50, 20, 10, 1e-4, seed: 1);

            var (loss, _) = StudentCode.Run(() => SoftmaxLoss.Naive(W, X, y, 0.0));

            Assert.InRange(loss, Math.Log(10) - 0.01, Math.Log(10) + 0.01);
        }

        [SkippableFact]
        public void Should_Match_The_Numerical_Gradient_With_Regularization()
        {
            var (W, X, y) = Problem(20, 8, 4, 0.1, seed: 2);

            var (_, grad) = StudentCode.Run(() => SoftmaxLoss.Naive(W, X, y, 0.5));

            var numerical = GradientCheck.EvalNumericalGradient(w => SoftmaxLoss.Naive(w, X, y, 0.5).Loss, W, verbose: false);
            Assert.True((numerical - grad).FrobeniusNorm() < 1e-6 * Math.Max(1, numerical.FrobeniusNorm()),
                $"analytic and numerical gradients differ by {(numerical - grad).FrobeniusNorm():E2}");
        }
    }

    public sealed class TheSoftmaxLossVectorizedMethod
    {
        [SkippableFact]
        public void Should_Equal_The_Naive_Loss_And_Gradient()
        {
            var (W, X, y) = Problem(30, 12, 5, 0.5, seed: 3);

            var (loss, grad) = StudentCode.Run(() => SoftmaxLoss.Vectorized(W, X, y, 0.1));
            var (naiveLoss, naiveGrad) = StudentCode.Run(() => SoftmaxLoss.Naive(W, X, y, 0.1));

            Assert.Equal(naiveLoss, loss, 1e-9);
            Assert.True((grad - naiveGrad).FrobeniusNorm() < 1e-9, $"gradients differ by {(grad - naiveGrad).FrobeniusNorm():E2}");
        }

        [SkippableFact]
        public void Should_Stay_Finite_For_Scores_Of_Order_1e4()
        {
            var (W, X, y) = Problem(10, 6, 3, 1000, seed: 4);

            var (loss, grad) = StudentCode.Run(() => SoftmaxLoss.Vectorized(W, X, y, 0.0));

            Assert.True(double.IsFinite(loss), $"loss is {loss}: subtract each row's maximum score before exp");
            Assert.All(grad.Enumerate(), g => Assert.True(double.IsFinite(g)));
        }
    }

    public sealed class TheTrainMethod
    {
        [SkippableFact]
        public void Should_Lower_The_Loss_And_Predict_Well_Above_Chance()
        {
            // Three well separated clusters in 4 dimensions plus a bias column.
            var random = new Random(5);
            var y = Enumerable.Range(0, 300).Select(i => i % 3).ToArray();
            var X = Matrix<double>.Build.Dense(300, 5, (i, j) => j == 4 ? 1.0 : (j == y[i] ? 3.0 : 0.0) + Normal.Sample(random, 0, 0.5));
            var softmax = new Softmax(seed: 0);

            var history = StudentCode.Run(() => softmax.Train(X, y, learningRate: 1e-1, reg: 1e-3, numIters: 200, batchSize: 50));
            var yPred = StudentCode.Run(() => softmax.Predict(X));

            Assert.Equal(200, history.Count);
            Assert.True(history.TakeLast(10).Average() < history.Take(10).Average(), $"loss should fall: first {history[0]}, last {history[^1]}");
            Assert.True(yPred.Zip(y).Count(p => p.First == p.Second) > 0.9 * y.Length, "training accuracy should be above 0.9");
        }
    }
}
