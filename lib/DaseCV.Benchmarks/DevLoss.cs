using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Benchmarks;

/// <summary>The dev-set loss workload of <c>softmax_np.py dev</c>, timed beside it round by round.</summary>
internal static class DevLoss
{
    /// <summary>Median of 200 calls of <paramref name="loss"/> on the 500 × 3073 dev set vs numpy's, per round (target ≤ 1×).</summary>
    public static List<Report.Row> TimeAgainstNumpy(NumpyReference numpy, int rounds, string name,
        Func<Matrix<double>, Matrix<double>, int[], double, (double Loss, Matrix<double> Grad)> loss, double target = 1.0)
    {
        var rows = new List<Report.Row>();
        var (XDev, yDev, WDev) = Workloads.Dev();
        for (int r = 0; r < rounds; r++)
        {
            var np = numpy.Run("dev", "--naive", "0");
            double ours = Timing.Median(() => loss(WDev, XDev, yDev, 5e-6), warmup: 20, repeats: 200);
            rows.Add(Report.Add($"{name}, dev 500 × 3073 (median of 200)", ours,
                np.GetProperty("vectorized").GetProperty("median").GetDouble(), $"round {r + 1}", target));
        }
        return rows;
    }
}
