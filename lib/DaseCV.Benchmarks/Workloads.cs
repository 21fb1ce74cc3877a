using DaseCV.LinearAlgebra;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra.Double;

namespace DaseCV.Benchmarks;

/// <summary>The inputs of <c>softmax_np.py</c>, built the same way (not the same random numbers): D = 3073, C = 10.</summary>
internal static class Workloads
{
    public const int D = 3073, C = 10;

    /// <summary><c>dev</c>: X (n, D) standard normal with a bias column of ones, random labels, W = 0.0001·randn(D, C).</summary>
    public static (RowMajorMatrix X, int[] y, DenseMatrix W) Dev(int n = 500, int seed = 0)
    {
        var random = new Random(seed);
        var X = new RowMajorMatrix(n, D);
        var data = X.Data;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < D - 1; j++) data[i * D + j] = Normal.Sample(random, 0, 1);
            data[i * D + D - 1] = 1.0;
        }
        var y = Enumerable.Range(0, n).Select(_ => random.Next(C)).ToArray();
        var W = new DenseMatrix(D, C);
        for (int k = 0; k < W.Values.Length; k++) W.Values[k] = 0.0001 * Normal.Sample(random, 0, 1);
        return (X, y, W);
    }

    /// <summary>
    /// <c>train</c>: CIFAR-like raw pixels (uniform bytes 0–255) for n rows, minus the mean of the first nTrain rows,
    /// plus a bias column, built in place (one copy of the matrix); random labels.
    /// </summary>
    public static (RowMajorMatrix X, int[] y) CifarLike(int n, int seed, double[]? mean = null)
    {
        var random = new Random(seed);
        var X = new RowMajorMatrix(n, D);
        var data = X.Data;
        var bytes = new byte[D - 1];
        for (int i = 0; i < n; i++)
        {
            random.NextBytes(bytes);
            var row = data.AsSpan(i * D, D);
            for (int j = 0; j < D - 1; j++) row[j] = bytes[j];
        }
        if (mean is null)
        {
            mean = new double[D - 1];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < D - 1; j++) mean[j] += data[i * D + j];
            for (int j = 0; j < D - 1; j++) mean[j] /= n;
        }
        for (int i = 0; i < n; i++)
        {
            var row = data.AsSpan(i * D, D);
            for (int j = 0; j < D - 1; j++) row[j] -= mean[j];
            row[D - 1] = 1.0;
        }
        return (X, Enumerable.Range(0, n).Select(_ => random.Next(C)).ToArray());
    }

    /// <summary>The mean of each of the first D − 1 columns.</summary>
    public static double[] ColumnMeans(RowMajorMatrix X)
    {
        var mean = new double[X.ColumnCount - 1];
        for (int i = 0; i < X.RowCount; i++)
        {
            var row = X.RowSpan(i);
            for (int j = 0; j < mean.Length; j++) mean[j] += row[j];
        }
        for (int j = 0; j < mean.Length; j++) mean[j] /= X.RowCount;
        return mean;
    }
}
