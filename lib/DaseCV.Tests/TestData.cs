using DaseCV.LinearAlgebra;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace DaseCV.Tests;

/// <summary>Small seeded inputs for the loss, kernel and classifier tests.</summary>
internal static class TestData
{
    /// <summary>A column-major (rows, cols) matrix of scale·N(0, 1) draws.</summary>
    public static DenseMatrix Randn(int rows, int cols, int seed, double scale = 1.0)
    {
        var random = new Random(seed);
        var m = new DenseMatrix(rows, cols);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                m[i, j] = scale * Normal.Sample(random, 0, 1);
        return m;
    }

    /// <summary>
    /// A (n, 3073) <see cref="CenteredPixelMatrix"/> of random bytes minus a random fractional mean, with its pixels
    /// and mean.
    /// </summary>
    public static (CenteredPixelMatrix X, byte[] Pixels, double[] Mean) CenteredPixels(int n, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[n * CenteredPixelMatrix.PixelCount];
        random.NextBytes(pixels);
        var mean = Enumerable.Range(0, CenteredPixelMatrix.PixelCount).Select(_ => 255 * random.NextDouble()).ToArray();
        return (new CenteredPixelMatrix(n, pixels, mean), pixels, mean);
    }

    /// <summary>Labels, length n, uniform in [0, classes).</summary>
    public static int[] Labels(int n, int classes, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => random.Next(classes)).ToArray();
    }

    /// <summary>
    /// CIFAR-like rows: pixels 0–255 (as the loader gives them), minus their mean, plus a bias column of ones,
    /// so shape (n, pixels + 1), row-major.
    /// </summary>
    public static DenseMatrix MeanSubtractedPixels(int n, int pixels, int seed)
    {
        var random = new Random(seed);
        var X = new DenseMatrix(n, pixels + 1);
        var mean = new double[pixels];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < pixels; j++)
            {
                X[i, j] = random.Next(256);
                mean[j] += X[i, j] / n;
            }
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < pixels; j++) X[i, j] -= mean[j];
            X[i, pixels] = 1.0;
        }
        return X;
    }

    /// <summary>
    /// Linearly separable Gaussian blobs: class k's points are centre_k + N(0, 1) noise, centres 4·N(0, 1) apart,
    /// with a bias column of ones; shape (n, dim + 1), row-major. Labels cycle through the classes.
    /// </summary>
    public static (DenseMatrix X, int[] y) GaussianBlobs(int n, int dim, int classes, int seed)
    {
        var random = new Random(seed);
        var centres = new double[classes, dim];
        for (int k = 0; k < classes; k++)
            for (int j = 0; j < dim; j++)
                centres[k, j] = 4.0 * Normal.Sample(random, 0, 1);
        var X = new DenseMatrix(n, dim + 1);
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % classes;
            for (int j = 0; j < dim; j++) X[i, j] = centres[y[i], j] + Normal.Sample(random, 0, 1);
            X[i, dim] = 1.0;
        }
        return (X, y);
    }

    /// <summary>Largest |a − b| / max(|b|, tiny) over the elements: a relative error against the reference b.</summary>
    public static double MaxRelativeError(Matrix<double> a, Matrix<double> b)
    {
        double scale = Math.Max(b.Enumerate().Max(Math.Abs), 1e-300);
        return (a - b).Enumerate().Max(Math.Abs) / scale;
    }

    /// <summary>|a − b| / |b|.</summary>
    public static double RelativeError(double a, double b) => Math.Abs(a - b) / Math.Abs(b);
}
