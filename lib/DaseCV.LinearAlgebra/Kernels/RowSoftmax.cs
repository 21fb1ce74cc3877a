using System.Runtime.CompilerServices;
namespace DaseCV.Kernels;

/// <summary>Row-wise numerically stable softmax and cross-entropy on a small row-major score matrix (N, C).</summary>
internal static class RowSoftmax
{
    /// <summary>
    /// Replaces scores by probabilities, <c>P[i, c] = exp(S[i, c] − m_i) / Σ_k exp(S[i, k] − m_i)</c> with
    /// <c>m_i = max_k S[i, k]</c>, and returns the summed cross-entropy
    /// <c>Σ_i −log P[i, y_i] = Σ_i (log Σ_k exp(S[i, k] − m_i) − (S[i, y_i] − m_i))</c>.
    /// </summary>
    /// <remarks>
    /// Subtracting the row max leaves softmax unchanged and keeps exp from overflowing; taking the log of the sum
    /// instead of the log of the probability keeps the loss finite when P[i, y_i] underflows to 0.
    /// </remarks>
    /// <param name="S">Row-major (N, C); overwritten by P.</param>
    /// <param name="N">Rows.</param>
    /// <param name="C">Classes.</param>
    /// <param name="y">Labels, length N, each in [0, C).</param>
    /// <returns>The cross-entropy summed over rows (not yet divided by N).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SoftmaxCrossEntropy(Span<double> S, int N, int C, ReadOnlySpan<int> y)
    {
        double total = 0;
        for (int i = 0; i < N; i++)
        {
            Span<double> row = S.Slice(i * C, C);
            double max = row[0];
            for (int c = 1; c < C; c++) max = Math.Max(max, row[c]);
            double shiftedCorrect = row[y[i]] - max;
            double sum = 0;
            for (int c = 0; c < C; c++)
            {
                row[c] = Math.Exp(row[c] - max);
                sum += row[c];
            }
            total += Math.Log(sum) - shiftedCorrect;
            for (int c = 0; c < C; c++) row[c] /= sum;
        }
        return total;
    }

    /// <summary>Turns probabilities into the score gradient <c>dS = (P − onehot(y))·scale</c>, in place.</summary>
    /// <param name="P">Row-major (N, C); overwritten by dS.</param>
    /// <param name="N">Rows.</param>
    /// <param name="C">Classes.</param>
    /// <param name="y">Labels, length N.</param>
    /// <param name="scale">Factor applied to every element, 1/N for a mean loss.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SubtractOneHot(Span<double> P, int N, int C, ReadOnlySpan<int> y, double scale)
    {
        for (int i = 0; i < N; i++) P[i * C + y[i]] -= 1.0;
        System.Numerics.Tensors.TensorPrimitives.Multiply(P.Slice(0, N * C), scale, P.Slice(0, N * C));
    }
}
