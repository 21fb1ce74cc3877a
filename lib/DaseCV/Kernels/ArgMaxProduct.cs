namespace DaseCV.Kernels;

/// <summary>Class predictions <c>argmax_c (X·W)[i, c]</c> streamed over blocks of rows of a large X.</summary>
internal static class ArgMaxProduct
{
    // 64 rows of scores (5 KB for C = 10) per block: enough work per task, no (N, C) score matrix.
    private const int RowBlock = 64;

    /// <summary>
    /// <c>labels[i] = argmax_c Σ_d X[i, d]·W[d, c]</c> (first maximum on ties), computed block by block in parallel.
    /// </summary>
    /// <param name="X">Row-major (N, D).</param>
    /// <param name="N">Rows of X.</param>
    /// <param name="D">Columns of X, rows of W.</param>
    /// <param name="W">Column-major (D, C).</param>
    /// <param name="C">Columns of W.</param>
    /// <param name="labels">Length N, overwritten.</param>
    /// <returns>The first row whose scores are not all finite, or −1.</returns>
    public static int Predict(double[] X, int N, int D, double[] W, int C, int[] labels)
    {
        int blocks = (N + RowBlock - 1) / RowBlock;
        int firstBad = int.MaxValue;
        Parallel.For(0, blocks, () => new double[RowBlock * C], (b, _, scores) =>
        {
            int start = b * RowBlock, rows = Math.Min(RowBlock, N - start);
            TallSkinnyGemm.MultiplyRows(X.AsSpan(start * D, rows * D), rows, D, W, C, scores);
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<double> row = scores.AsSpan(r * C, C);
                int best = 0;
                for (int c = 1; c < C; c++)
                    if (row[c] > row[best]) best = c;
                labels[start + r] = best;
                if (!System.Numerics.Tensors.TensorPrimitives.IsFiniteAll(row))
                    InterlockedMin(ref firstBad, start + r);
            }
            return scores;
        }, _ => { });
        return firstBad == int.MaxValue ? -1 : firstBad;
    }

    private static void InterlockedMin(ref int target, int value)
    {
        int current;
        while (value < (current = Volatile.Read(ref target)))
            if (Interlocked.CompareExchange(ref target, value, current) == current) return;
    }
}
