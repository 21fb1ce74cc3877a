using System.Buffers;

namespace DaseCV.Kernels;

/// <summary>Class predictions <c>argmax_c (X·W)[i, c]</c> streamed over blocks of rows of a large X.</summary>
internal static class ArgMaxProduct
{
    // 64 rows of scores (5 KB for C = 10) per block: enough work per task, no (N, C) score matrix.
    private const int RowBlock = 64;

    /// <summary>Rows [start, start+rows) of X as a row-major (rows, D) span; <paramref name="scratch"/> (at least RowBlock·D) may hold them.</summary>
    private delegate ReadOnlySpan<double> RowBlockSource(int start, int rows, double[] scratch);

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
    public static int Predict(double[] X, int N, int D, double[] W, int C, int[] labels) =>
        Predict(N, D, W, C, labels, scratchLength: 0, (start, rows, _) => X.AsSpan(start * D, rows * D));

    /// <summary>
    /// <see cref="Predict(double[], int, int, double[], int, int[])"/> for X = (pixels − mean, 1), shape (N, 3073): each
    /// block of 64 rows is converted into a per-task double buffer (1.6 MB), never the whole X.
    /// </summary>
    /// <param name="pixels">Row-major (N, 3072) bytes.</param>
    /// <param name="mean">Length 3072.</param>
    /// <param name="N">Rows of X.</param>
    /// <param name="W">Column-major (3073, C).</param>
    /// <param name="C">Columns of W.</param>
    /// <param name="labels">Length N, overwritten.</param>
    /// <returns>The first row whose scores are not all finite (W too large), or −1.</returns>
    public static int PredictCentered(byte[] pixels, double[] mean, int N, double[] W, int C, int[] labels)
    {
        const int D = LinearAlgebra.CenteredPixelMatrix.PixelCount + 1;
        return Predict(N, D, W, C, labels, scratchLength: RowBlock * D, (start, rows, scratch) =>
        {
            CenteredPixels.CopyRows(pixels, mean, start, rows, scratch);
            return scratch.AsSpan(0, rows * D);
        });
    }

    private static int Predict(int N, int D, double[] W, int C, int[] labels, int scratchLength, RowBlockSource source)
    {
        int blocks = (N + RowBlock - 1) / RowBlock;
        int firstBad = int.MaxValue;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Cores.Parts((long)N * D * C, 1 << 20, blocks) };
        // The row scratch (1.6 MB for CIFAR) comes from the shared pool: a fresh one per call and task would be
        // large-object garbage that the GC reclaims late (the tuning grid predicts 84 times).
        Parallel.For(0, blocks, options, () => (Scores: new double[RowBlock * C], X: ArrayPool<double>.Shared.Rent(scratchLength)), (b, _, buffers) =>
        {
            int start = b * RowBlock, rows = Math.Min(RowBlock, N - start);
            var scores = buffers.Scores;
            TallSkinnyGemm.MultiplyRows(source(start, rows, buffers.X), rows, D, W, C, scores);
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
            return buffers;
        }, buffers => ArrayPool<double>.Shared.Return(buffers.X));
        return firstBad == int.MaxValue ? -1 : firstBad;
    }

    private static void InterlockedMin(ref int target, int value)
    {
        int current;
        while (value < (current = Volatile.Read(ref target)))
            if (Interlocked.CompareExchange(ref target, value, current) == current) return;
    }
}
