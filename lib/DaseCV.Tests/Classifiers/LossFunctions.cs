using MathNet.Numerics.LinearAlgebra.Double;
using DaseCV.Classifiers;
using DaseCV.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Tests.Classifiers;

/// <summary>The four public loss functions by name, for tests that every one of them must pass.</summary>
internal static class LossFunctions
{
    public delegate (double Loss, Matrix<double> Grad) LossFunction(Matrix<double> W, Matrix<double> X, int[] y, double reg);

    public static LossFunction Get(string name) => name switch
    {
        "SoftmaxLoss.Naive" => SoftmaxLoss.Naive,
        "SoftmaxLoss.Vectorized" => SoftmaxLoss.Vectorized,
        "SvmLoss.Naive" => SvmLoss.Naive,
        "SvmLoss.Vectorized" => SvmLoss.Vectorized,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown loss"),
    };

    public static TheoryData<string> All => new()
    {
        "SoftmaxLoss.Naive", "SoftmaxLoss.Vectorized", "SvmLoss.Naive", "SvmLoss.Vectorized",
    };

    // (N, D, C, reg): N = 1, odd N, D not a multiple of the vector width (4) or the kernels' depth block (256),
    // C ≠ 10 and C not a multiple of the 5-class block, reg 0 and large.
    public static TheoryData<int, int, int, double> AgreementShapes => new()
    {
        { 1, 5, 3, 0.0 }, { 1, 3073, 10, 0.1 }, { 7, 13, 10, 0.0 }, { 20, 37, 4, 50.0 }, { 33, 257, 12, 1e-3 },
        { 64, 3073, 10, 0.0 }, { 200, 301, 10, 2.5e4 }, { 2, 1, 1, 0.5 },
    };
    /// <summary>Asserts that vectorized matches naive (loss and gradient to 1e-10 relative) for row- and column-major X.</summary>
    public static void AssertVectorizedMatchesNaive(LossFunction naive, LossFunction vectorized, int N, int D, int C, double reg)
    {
        var XDense = TestData.Randn(N, D, seed: N + D, scale: 50);
        var W = TestData.Randn(D, C, seed: C, scale: 0.001);
        var y = TestData.Labels(N, C, seed: 4);

        var (naiveLoss, naiveGrad) = naive(W, XDense, y, reg);
        foreach (Matrix<double> X in new Matrix<double>[] { DenseMatrix.OfMatrix(XDense), XDense })
        {
            var (loss, grad) = vectorized(W, X, y, reg);

            Assert.True(TestData.RelativeError(loss, naiveLoss) < 1e-10, $"{X.GetType().Name}: {loss} vs {naiveLoss}");
            Assert.True(TestData.MaxRelativeError(grad, naiveGrad) < 1e-10, $"{X.GetType().Name}: gradient differs");
        }
    }

    /// <summary>Sparse gradient checks of <paramref name="loss"/> on CIFAR-sized data: every relative error ≤ 1e-6.</summary>
    public static void AssertGradientCheckPasses(LossFunction loss, double reg, int numChecks)
    {
        var X = TestData.MeanSubtractedPixels(20, 3072, seed: 8);
        var y = TestData.Labels(20, 10, seed: 9);
        var W = TestData.Randn(3073, 10, seed: 10, scale: 0.0001);
        var (_, grad) = loss(W, X, y, reg);

        using var console = new ConsoleCapture();
        var checks = GradientCheck.GradCheckSparse(w => loss(w, X, y, reg).Loss, W, grad, numChecks, seed: 11);

        // Typically ~1e-8; numpy's run of the original shows up to 2e-7.
        Assert.All(checks, c => Assert.True(c.RelativeError <= 1e-6, c.ToString()));
    }
}
