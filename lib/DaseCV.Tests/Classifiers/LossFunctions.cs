using DaseCV.Classifiers;
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
}
