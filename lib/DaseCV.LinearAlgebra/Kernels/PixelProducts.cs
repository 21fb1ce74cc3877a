using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

    /// <summary><c>C = Xᵀ·B + beta·C</c>: X (N, D), B (N, n) column-major, C (D, n) column-major.</summary>
    /// <remarks>
    /// A sum over X's rows. Its two halves are summed separately (on two cores when no other product runs) and then
    /// added, always in two halves, so the result does not depend on the number of cores.
    /// </remarks>
    public static void TransposeThisAndMultiply(CenteredPixelMatrix X, double[] b, int n, double[] c, double beta = 0.0)
    {
        int N = X.RowCount, D = CenteredPixelMatrix.PixelCount + 1;
        int half = N / 2 / BlockRows * BlockRows;
        if (half == 0)
        {
            SumOfRows(X, 0, N, b, n, c, beta);
            return;
        }
        var second = new double[(long)D * n];
        Gemm.RunBoth(() => SumOfRows(X, 0, half, b, n, c, beta), () => SumOfRows(X, half, N, b, n, second, 0.0));
        TensorPrimitives.Add(c.AsSpan(0, D * n), second, c.AsSpan(0, D * n));
    }

    /// <summary><c>C = X[from:to]ᵀ·B[from:to] + beta·C</c>, a block of rows at a time, in order.</summary>
    private static void SumOfRows(CenteredPixelMatrix X, int from, int to, double[] b, int n, double[] c, double beta)
    {
        int N = X.RowCount;
        var rows = ArrayPool<double>.Shared.Rent(BlockRows * D);
        try
        {
            for (int r0 = from; r0 < to; r0 += BlockRows)
            {
                int count = Math.Min(BlockRows, to - r0);
                CenteredPixels.CopyRows(X.PixelArray, X.MeanArray, r0, count, rows);
                // Row-major (count, D) rows are a column-major (D, count) matrix: op(A) = A, the axpy kernel's layout.
                Gemm.Rows(new Gemm.Operands(rows, D, false, b, r0, 1, N, c, 0, D, D, n, count, 1.0, r0 == from ? beta : 1.0), 0, D);
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
        if (Avx512Vbmi.IsSupported)
            for (; b0 + 8 <= n; b0 += 8) GatherEightRowsVbmi(pixels, mean, rows.Slice(b0, 8), destination, b0, n);
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

    // Byte k of a 64-byte block holding eight rows' 8-byte runs (row t, feature f at t·8 + f) goes to f·8 + t.
    private static readonly Vector512<byte> TransposeBytes8x8 =
        Vector512.Create(Enumerable.Range(0, 64).Select(k => (byte)(k % 8 * 8 + k / 8)).ToArray());

    /// <summary>Two features' eight rows each: 16 bytes → 16 ints → 2 × 8 doubles minus the features' means.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreTwoFeatures(Vector128<byte> bytes, double* mean, double* column, int n)
    {
        var ints = Avx512F.ConvertToVector512Int32(bytes);
        (Avx512F.ConvertToVector512Double(ints.GetLower()) - Vector512.Create(mean[0])).Store(column);
        (Avx512F.ConvertToVector512Double(ints.GetUpper()) - Vector512.Create(mean[1])).Store(column + n);
    }

    /// <summary>
    /// Eight rows into a column-major destination with AVX-512 VBMI: eight features of the eight rows are one 64-byte
    /// register, transposed by one byte permute so each feature's eight rows are adjacent, then widened to doubles and
    /// stored as one 64-byte line per feature. The values are the scalar loop's (exact conversion, one subtraction).
    /// </summary>
    private static unsafe void GatherEightRowsVbmi(byte[] pixels, double[] mean, ReadOnlySpan<int> rows, double[] destination, int b0, int n)
    {
        const int P = CenteredPixelMatrix.PixelCount;
        fixed (byte* px = pixels)
        fixed (double* m = mean, dst = destination)
        {
            byte* r0 = px + (long)rows[0] * P, r1 = px + (long)rows[1] * P, r2 = px + (long)rows[2] * P, r3 = px + (long)rows[3] * P;
            byte* r4 = px + (long)rows[4] * P, r5 = px + (long)rows[5] * P, r6 = px + (long)rows[6] * P, r7 = px + (long)rows[7] * P;
            var control = TransposeBytes8x8;
            for (int d0 = 0; d0 < P; d0 += 8)
            {
                var block = Vector512.Create(
                    *(ulong*)(r0 + d0), *(ulong*)(r1 + d0), *(ulong*)(r2 + d0), *(ulong*)(r3 + d0),
                    *(ulong*)(r4 + d0), *(ulong*)(r5 + d0), *(ulong*)(r6 + d0), *(ulong*)(r7 + d0)).AsByte();
                var byFeature = Avx512Vbmi.PermuteVar64x8(block, control);
                double* column = dst + b0 + (long)d0 * n;
                StoreTwoFeatures(byFeature.GetLower().GetLower(), m + d0, column, n);
                StoreTwoFeatures(byFeature.GetLower().GetUpper(), m + d0 + 2, column + 2L * n, n);
                StoreTwoFeatures(byFeature.GetUpper().GetLower(), m + d0 + 4, column + 4L * n, n);
                StoreTwoFeatures(byFeature.GetUpper().GetUpper(), m + d0 + 6, column + 6L * n, n);
            }
        }
    }
}
