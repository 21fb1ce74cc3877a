using System.Buffers;

namespace DaseCV.LinearAlgebra.Kernels;

/// <summary>
/// Products and row gathers of a <see cref="CenteredPixelMatrix"/> X (N, 3073), which stores bytes: rows are converted
/// to doubles a block at a time and handed to <see cref="Gemm"/>, so X is never expanded whole (1.2 GB for CIFAR-10).
/// </summary>
internal static class PixelProducts
{
    private const int D = CenteredPixelMatrix.PixelCount + 1;

    /// <summary>Rows converted per block: 32 rows of doubles (786 KB) stay in a core's L2 cache while the kernel reads them.</summary>
    private const int BlockRows = 32;

    /// <summary><c>C = X·B</c>: X (N, D), B (D, n) column-major, C (N, n) column-major.</summary>
    public static void Multiply(CenteredPixelMatrix X, double[] b, int n, double[] c)
    {
        int N = X.RowCount;
        int blocks = (N + BlockRows - 1) / BlockRows;
        // Blocks of rows are independent here, so they spread over the cores (the kernel itself then runs alone).
        Parallel.For(0, blocks, () => ArrayPool<double>.Shared.Rent(BlockRows * D), (block, _, rows) =>
        {
            int r0 = block * BlockRows, count = Math.Min(BlockRows, N - r0);
            CenteredPixels.CopyRows(X.PixelArray, X.MeanArray, r0, count, rows);
            // The block's rows, row-major, are the columns of Xᵀ: op(A) = Aᵀ with lda = D, the dot kernel's layout.
            var block_ = new Gemm.Operands(rows, D, true, b, 0, 1, D, c, r0, N, count, n, D, 1.0, 0.0);
            Gemm.Rows(block_, 0, count);
            return rows;
        }, rows => ArrayPool<double>.Shared.Return(rows));
    }

    /// <summary><c>C = alpha·Xᵀ·B + beta·C</c>: X (N, D), B (N, n) column-major, C (D, n) column-major.</summary>
    public static void TransposeThisAndMultiply(CenteredPixelMatrix X, double[] b, int n, double[] c, double beta = 0.0)
    {
        int N = X.RowCount;
        var rows = ArrayPool<double>.Shared.Rent(BlockRows * D);
        try
        {
            // Xᵀ·B = Σ over row blocks of (block rows)ᵀ·(the same rows of B): a sum, so blocks run in order.
            for (int r0 = 0; r0 < N; r0 += BlockRows)
            {
                int count = Math.Min(BlockRows, N - r0);
                CenteredPixels.CopyRows(X.PixelArray, X.MeanArray, r0, count, rows);
                // Row-major (count, D) rows are a column-major (D, count) matrix: op(A) = A, the axpy kernel's layout.
                Gemm.Run(new Gemm.Operands(rows, D, false, b, r0, 1, N, c, 0, D, D, n, count, 1.0, r0 == 0 ? beta : 1.0));
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rows);
        }
    }

    /// <summary>
    /// <c>destination = X[rows]</c>, numpy's fancy indexing, into a column-major (rows.Length, D) array.
    /// </summary>
    public static void GatherRows(CenteredPixelMatrix X, ReadOnlySpan<int> rows, double[] destination)
    {
        const int P = CenteredPixelMatrix.PixelCount;
        int n = rows.Length;
        byte[] pixels = X.PixelArray;
        double[] mean = X.MeanArray;
        // Eight rows at a time: a feature's eight values are neighbours in the column-major result (one cache
        // line), so each line is written whole instead of once per row.
        int b0 = 0;
        for (; b0 + 8 <= n; b0 += 8)
        {
            var r0 = pixels.AsSpan(rows[b0] * P, P); var r1 = pixels.AsSpan(rows[b0 + 1] * P, P);
            var r2 = pixels.AsSpan(rows[b0 + 2] * P, P); var r3 = pixels.AsSpan(rows[b0 + 3] * P, P);
            var r4 = pixels.AsSpan(rows[b0 + 4] * P, P); var r5 = pixels.AsSpan(rows[b0 + 5] * P, P);
            var r6 = pixels.AsSpan(rows[b0 + 6] * P, P); var r7 = pixels.AsSpan(rows[b0 + 7] * P, P);
            for (int d = 0; d < P; d++)
            {
                double m = mean[d];
                var o = destination.AsSpan(b0 + d * n, 8);
                o[0] = r0[d] - m; o[1] = r1[d] - m; o[2] = r2[d] - m; o[3] = r3[d] - m;
                o[4] = r4[d] - m; o[5] = r5[d] - m; o[6] = r6[d] - m; o[7] = r7[d] - m;
            }
        }
        for (; b0 < n; b0++)
        {
            var r = pixels.AsSpan(rows[b0] * P, P);
            for (int d = 0; d < P; d++) destination[b0 + d * n] = r[d] - mean[d];
        }
        destination.AsSpan(P * n, n).Fill(1.0);  // the bias column
    }
}
