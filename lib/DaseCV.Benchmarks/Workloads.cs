using DaseCV.LinearAlgebra;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra.Double;

namespace DaseCV.Benchmarks;

/// <summary>The inputs of <c>softmax_np.py</c>, built the same way (not the same random numbers): D = 3073, C = 10.</summary>
internal static class Workloads
{
    public const int D = 3073, C = 10;

    /// <summary><c>dev</c>: X (n, D) standard normal with a bias column of ones, random labels, W = 0.0001·randn(D, C).</summary>
    public static (DenseMatrix X, int[] y, DenseMatrix W) Dev(int n = 500, int seed = 0)
    {
        var random = new Random(seed);
        var X = new DenseMatrix(n, D);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < D - 1; j++) X[i, j] = Normal.Sample(random, 0, 1);
            X[i, D - 1] = 1.0;
        }
        var y = Enumerable.Range(0, n).Select(_ => random.Next(C)).ToArray();
        var W = new DenseMatrix(D, C);
        for (int k = 0; k < W.Values.Length; k++) W.Values[k] = 0.0001 * Normal.Sample(random, 0, 1);
        return (X, y, W);
    }

    /// <summary>
    /// <c>train</c>'s validation set: CIFAR-like raw pixels (uniform bytes 0–255) for n rows, minus the training
    /// <paramref name="mean"/>, plus a bias column, as doubles; random labels.
    /// </summary>
    public static (DenseMatrix X, int[] y) CifarLike(int n, int seed, double[] mean)
    {
        var random = new Random(seed);
        var pixels = new byte[n * (D - 1)];
        random.NextBytes(pixels);
        // The same doubles as the loader's dense validation set: pixel − mean, then the bias 1.
        var X = new CenteredPixelMatrix(n, pixels, mean).ToDense();
        return (X, Enumerable.Range(0, n).Select(_ => random.Next(C)).ToArray());
    }

    /// <summary>
    /// <c>train</c>'s training set, held as <see cref="DaseCV.Data.Cifar10.GetForLinearClassifier"/> holds it:
    /// CIFAR-like bytes (uniform 0–255) minus their own mean, plus a bias column, stored as the pixel bytes and the
    /// mean (150 MB for 49000 rows instead of 1.2 GB); random labels.
    /// </summary>
    /// <returns>X (n, D), the labels, and the mean image (pass it to <see cref="CifarLike"/> for a validation set).</returns>
    public static (CenteredPixelMatrix X, int[] y, double[] Mean) CifarLikePixels(int n, int seed)
    {
        var random = new Random(seed);
        int P = CenteredPixelMatrix.PixelCount;
        var pixels = new byte[(long)n * P];
        for (int i = 0; i < n; i++) random.NextBytes(pixels.AsSpan(i * P, P));
        var mean = new double[P];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < P; j++) mean[j] += pixels[i * P + j];
        for (int j = 0; j < P; j++) mean[j] /= n;
        var y = Enumerable.Range(0, n).Select(_ => random.Next(C)).ToArray();
        return (new CenteredPixelMatrix(n, pixels, mean), y, mean);
    }
}
