using System.Runtime.CompilerServices;
namespace DaseCV.Kernels;

/// <summary>Row-wise multiclass hinge loss (margin 1) on a small row-major score matrix (N, C).</summary>
internal static class RowHinge
{
    /// <summary>
    /// Returns <c>Σ_i Σ_{c ≠ y_i} max(0, S[i, c] − S[i, y_i] + 1)</c> and replaces S by its gradient, scaled:
    /// <c>dS[i, c] = scale·1[margin &gt; 0]</c> for c ≠ y_i and <c>dS[i, y_i] = −scale·(number of positive margins)</c>.
    /// </summary>
    /// <param name="S">Row-major (N, C); overwritten by dS.</param>
    /// <param name="N">Rows.</param>
    /// <param name="C">Classes.</param>
    /// <param name="y">Labels, length N, each in [0, C).</param>
    /// <param name="scale">Factor applied to dS, 1/N for a mean loss.</param>
    /// <returns>The hinge loss summed over rows (not yet divided by N).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double HingeLoss(Span<double> S, int N, int C, ReadOnlySpan<int> y, double scale)
    {
        double total = 0;
        for (int i = 0; i < N; i++)
        {
            Span<double> row = S.Slice(i * C, C);
            double correct = row[y[i]];
            int positive = 0;
            for (int c = 0; c < C; c++)
            {
                if (c == y[i]) continue;
                double margin = row[c] - correct + 1.0;
                if (margin > 0)
                {
                    total += margin;
                    positive++;
                    row[c] = scale;
                }
                else
                {
                    row[c] = 0;
                }
            }
            row[y[i]] = -scale * positive;
        }
        return total;
    }
}
