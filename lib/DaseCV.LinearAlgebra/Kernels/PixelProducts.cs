using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DaseCV.LinearAlgebra.Kernels;

/// <summary>
/// Products and row gathers of a <see cref="CenteredPixelMatrix"/> X (N, 3073), which stores bytes. The products read
/// the bytes themselves: each vector of pixels is widened to doubles and centred in registers, right where the
/// multiply-adds use it, so X is never expanded to doubles (1.2 GB for CIFAR-10, 4.9 MB for a 200-row minibatch).
/// </summary>
/// <remarks>
/// Both products keep a block of C in registers: 2 rows × 10 columns of C (CS231n's 10 classes) with 512-bit vectors,
/// 2 × 5 with 256-bit ones (16 registers). Other column counts run on copies of B padded with zero columns. Each
/// element of C is summed by one thread in a fixed order, so results do not depend on the number of threads.
/// </remarks>
internal static unsafe class PixelProducts
{
    private const int P = CenteredPixelMatrix.PixelCount;
    private const int D = P + 1;

    /// <summary>Rows of X per pass of <see cref="TransposeThisAndMultiply"/>: each block of features reads a few bytes of every row, and 256 rows (768 KB) stay in L2 between blocks.</summary>
    private const int RowBlock = 256;

    /// <summary>Features per chunk of B in <see cref="ScoreRows"/>: 256 × 10 columns of doubles is 20 KB, half of L1.</summary>
    private const int ScoreChunk = 256;

    /// <summary>Rows of X per block in <see cref="ScoreRows"/>: their bytes (192 KB) stay in L2 across B's chunks.</summary>
    private const int ScoreBlockRows = 64;

    /// <summary>Columns of C per register block.</summary>
    private static int Group => SimdWidth.Is512 ? 10 : 5;

    /// <summary><c>C = X·B</c>: X (N, D), B (D, n) column-major, C (N, n) column-major.</summary>
    public static void Multiply(CenteredPixelMatrix X, double[] b, int n, double[] c)
    {
        int N = X.RowCount, group = Group, padded = (n + group - 1) / group * group;
        var bPadded = PadColumns(b, D, n, padded);
        Gemm.Split((N + 1) / 2, (long)N * D * n, (from, to) => ScoreRows(X, bPadded, n, c, 2 * from, Math.Min(N, 2 * to)));
    }

    /// <summary>Rows [from, to) of <c>C = X·B</c>, two at a time.</summary>
    /// <remarks>
    /// B's rows are taken <see cref="ScoreChunk"/> at a time so that its chunk stays in L1 while a block of rows of X
    /// passes over it (from L2, B's loads capped the kernel at two thirds of its speed); the register block's sums
    /// wait in <c>acc</c> between chunks.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScoreRows(CenteredPixelMatrix X, double[] b, int n, double[] c, int from, int to)
    {
        int N = X.RowCount, group = Group, padded = b.Length / D, width = SimdWidth.Is512 ? 8 : 4;
        int pairStride = 2 * group * width;  // one row pair's register block in acc
        var accArray = ArrayPool<double>.Shared.Rent(ScoreBlockRows / 2 * pairStride);
        try
        {
            fixed (byte* pixels = X.PixelArray)
            fixed (double* mean = X.MeanArray, pb = b, acc = accArray)
            {
                for (int r0 = from; r0 < to; r0 += ScoreBlockRows)
                {
                    int r1 = Math.Min(to, r0 + ScoreBlockRows);
                    for (int j0 = 0; j0 < padded; j0 += group)
                    {
                        double* bj = pb + (long)j0 * D;
                        new Span<double>(acc, (r1 - r0 + 1) / 2 * pairStride).Clear();
                        for (int d0 = 0; d0 < P; d0 += ScoreChunk)
                        {
                            for (int i = r0; i < r1; i += 2)
                            {
                                int i1 = Math.Min(i + 1, r1 - 1);  // an odd last row is computed twice and stored once
                                byte* x0 = pixels + (long)i * P + d0, x1 = pixels + (long)i1 * P + d0;
                                double* block = acc + (i - r0) / 2 * pairStride;
                                if (SimdWidth.Is512) Scores2x10<Vector512<double>, Simd512>(x0, x1, mean + d0, bj + d0, block);
                                else Scores2x5<Vector256<double>, Simd256>(x0, x1, mean + d0, bj + d0, block);
                            }
                        }
                        for (int i = r0; i < r1; i++)
                        {
                            double* block = acc + (i - r0) / 2 * pairStride + (i - r0) % 2 * width;
                            for (int jj = 0; jj < group && j0 + jj < n; jj++)
                            {
                                double bias = bj[(long)jj * D + P];  // X[i, 3072] = 1
                                c[i + (long)(j0 + jj) * N] = TensorPrimitives.Sum(new ReadOnlySpan<double>(block + jj * 2 * width, width)) + bias;
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(accArray);
        }
    }

    /// <summary><c>C = Xᵀ·B</c>: X (N, D), B (N, n) column-major, C (D, n) column-major.</summary>
    public static void TransposeThisAndMultiply(CenteredPixelMatrix X, double[] b, int n, double[] c)
    {
        int N = X.RowCount, group = Group, padded = (n + group - 1) / group * group;
        var bPadded = PadColumns(b, N, n, padded);
        int features = 2 * (SimdWidth.Is512 ? 8 : 4);  // rows of C per register block
        Gemm.Split(P / features, (long)N * D * n,
            (from, to) => GradientRows(X, bPadded, n, c, from * features, to * features));
        for (int j = 0; j < n; j++)
            c[P + (long)j * D] = TensorPrimitives.Sum(b.AsSpan(j * N, N));  // the bias row: Σ_i B[i, j]
    }

    /// <summary>Rows [from, to) of <c>C = Xᵀ·B</c> (features of X), without the bias row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradientRows(CenteredPixelMatrix X, double[] b, int n, double[] c, int from, int to)
    {
        int N = X.RowCount, group = Group, padded = b.Length / N;
        int width = SimdWidth.Is512 ? 8 : 4;
        // The register block's sums between blocks of rows: (2·width features) × group columns.
        double* acc = stackalloc double[2 * width * group];
        fixed (byte* pixels = X.PixelArray)
        fixed (double* mean = X.MeanArray, pb = b)
        {
            for (int r0 = 0; r0 < N; r0 += RowBlock)
            {
                int rows = Math.Min(RowBlock, N - r0);
                for (int d = from; d < to; d += 2 * width)
                {
                    for (int j0 = 0; j0 < padded; j0 += group)
                    {
                        for (int jj = 0; jj < group; jj++)
                        {
                            var column = new Span<double>(acc + jj * 2 * width, 2 * width);
                            if (r0 == 0 || j0 + jj >= n) column.Clear();
                            else c.AsSpan(d + (j0 + jj) * D, 2 * width).CopyTo(column);
                        }
                        byte* x = pixels + (long)r0 * P + d;
                        double* bj = pb + r0 + (long)j0 * N;
                        if (SimdWidth.Is512) Gradient2x10<Vector512<double>, Simd512>(x, rows, mean + d, bj, N, acc);
                        else Gradient2x5<Vector256<double>, Simd256>(x, rows, mean + d, bj, N, acc);
                        for (int jj = 0; jj < group && j0 + jj < n; jj++)
                            new Span<double>(acc + jj * 2 * width, 2 * width).CopyTo(c.AsSpan(d + (j0 + jj) * D, 2 * width));
                    }
                }
            }
        }
    }

    /// <summary>B (rows, n) column-major with zero columns appended up to <paramref name="padded"/>; B itself when none are needed.</summary>
    private static double[] PadColumns(double[] b, int rows, int n, int padded)
    {
        if (n == padded && b.Length == (long)rows * n) return b;
        var copy = new double[(long)rows * padded];
        b.AsSpan(0, rows * n).CopyTo(copy);
        return copy;
    }

    /// <summary>
    /// acc[(2jj + r)·W …] += x_r[d]·B[d, jj] summed over <see cref="ScoreChunk"/> features, lane by lane, for the two
    /// rows r and jj &lt; 10, where x = pixel − mean; B column-major with leading dimension D.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scores2x10<TV, S>(byte* x0, byte* x1, double* mean, double* b, double* acc)
        where TV : struct where S : ISimd<TV>
    {
        int W = S.Count;
        ref double m = ref Unsafe.AsRef<double>(mean);
        ref double b0 = ref Unsafe.AsRef<double>(b);
        ref double a = ref Unsafe.AsRef<double>(acc);
        TV c00 = S.Load(ref a, 0), c10 = S.Load(ref a, W), c01 = S.Load(ref a, 2 * W), c11 = S.Load(ref a, 3 * W);
        TV c02 = S.Load(ref a, 4 * W), c12 = S.Load(ref a, 5 * W), c03 = S.Load(ref a, 6 * W), c13 = S.Load(ref a, 7 * W);
        TV c04 = S.Load(ref a, 8 * W), c14 = S.Load(ref a, 9 * W), c05 = S.Load(ref a, 10 * W), c15 = S.Load(ref a, 11 * W);
        TV c06 = S.Load(ref a, 12 * W), c16 = S.Load(ref a, 13 * W), c07 = S.Load(ref a, 14 * W), c17 = S.Load(ref a, 15 * W);
        TV c08 = S.Load(ref a, 16 * W), c18 = S.Load(ref a, 17 * W), c09 = S.Load(ref a, 18 * W), c19 = S.Load(ref a, 19 * W);
        for (nint d = 0; d < ScoreChunk; d += W)
        {
            TV mean_ = S.Load(ref m, d);
            TV v0 = S.Subtract(S.LoadPixels(x0 + d), mean_), v1 = S.Subtract(S.LoadPixels(x1 + d), mean_);
            ref double bd = ref Unsafe.Add(ref b0, d);
            TV y = S.Load(ref bd, 0); c00 = S.MultiplyAdd(v0, y, c00); c10 = S.MultiplyAdd(v1, y, c10);
            y = S.Load(ref bd, D); c01 = S.MultiplyAdd(v0, y, c01); c11 = S.MultiplyAdd(v1, y, c11);
            y = S.Load(ref bd, 2 * D); c02 = S.MultiplyAdd(v0, y, c02); c12 = S.MultiplyAdd(v1, y, c12);
            y = S.Load(ref bd, 3 * D); c03 = S.MultiplyAdd(v0, y, c03); c13 = S.MultiplyAdd(v1, y, c13);
            y = S.Load(ref bd, 4 * D); c04 = S.MultiplyAdd(v0, y, c04); c14 = S.MultiplyAdd(v1, y, c14);
            y = S.Load(ref bd, 5 * D); c05 = S.MultiplyAdd(v0, y, c05); c15 = S.MultiplyAdd(v1, y, c15);
            y = S.Load(ref bd, 6 * D); c06 = S.MultiplyAdd(v0, y, c06); c16 = S.MultiplyAdd(v1, y, c16);
            y = S.Load(ref bd, 7 * D); c07 = S.MultiplyAdd(v0, y, c07); c17 = S.MultiplyAdd(v1, y, c17);
            y = S.Load(ref bd, 8 * D); c08 = S.MultiplyAdd(v0, y, c08); c18 = S.MultiplyAdd(v1, y, c18);
            y = S.Load(ref bd, 9 * D); c09 = S.MultiplyAdd(v0, y, c09); c19 = S.MultiplyAdd(v1, y, c19);
        }
        S.Store(c00, ref a, 0); S.Store(c10, ref a, W); S.Store(c01, ref a, 2 * W); S.Store(c11, ref a, 3 * W);
        S.Store(c02, ref a, 4 * W); S.Store(c12, ref a, 5 * W); S.Store(c03, ref a, 6 * W); S.Store(c13, ref a, 7 * W);
        S.Store(c04, ref a, 8 * W); S.Store(c14, ref a, 9 * W); S.Store(c05, ref a, 10 * W); S.Store(c15, ref a, 11 * W);
        S.Store(c06, ref a, 12 * W); S.Store(c16, ref a, 13 * W); S.Store(c07, ref a, 14 * W); S.Store(c17, ref a, 15 * W);
        S.Store(c08, ref a, 16 * W); S.Store(c18, ref a, 17 * W); S.Store(c09, ref a, 18 * W); S.Store(c19, ref a, 19 * W);
    }

    /// <summary><see cref="Scores2x10{TV, S}"/> for 5 columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scores2x5<TV, S>(byte* x0, byte* x1, double* mean, double* b, double* acc)
        where TV : struct where S : ISimd<TV>
    {
        int W = S.Count;
        ref double m = ref Unsafe.AsRef<double>(mean);
        ref double b0 = ref Unsafe.AsRef<double>(b);
        ref double a = ref Unsafe.AsRef<double>(acc);
        TV c00 = S.Load(ref a, 0), c10 = S.Load(ref a, W), c01 = S.Load(ref a, 2 * W), c11 = S.Load(ref a, 3 * W);
        TV c02 = S.Load(ref a, 4 * W), c12 = S.Load(ref a, 5 * W), c03 = S.Load(ref a, 6 * W), c13 = S.Load(ref a, 7 * W);
        TV c04 = S.Load(ref a, 8 * W), c14 = S.Load(ref a, 9 * W);
        for (nint d = 0; d < ScoreChunk; d += W)
        {
            TV mean_ = S.Load(ref m, d);
            TV v0 = S.Subtract(S.LoadPixels(x0 + d), mean_), v1 = S.Subtract(S.LoadPixels(x1 + d), mean_);
            ref double bd = ref Unsafe.Add(ref b0, d);
            TV y = S.Load(ref bd, 0); c00 = S.MultiplyAdd(v0, y, c00); c10 = S.MultiplyAdd(v1, y, c10);
            y = S.Load(ref bd, D); c01 = S.MultiplyAdd(v0, y, c01); c11 = S.MultiplyAdd(v1, y, c11);
            y = S.Load(ref bd, 2 * D); c02 = S.MultiplyAdd(v0, y, c02); c12 = S.MultiplyAdd(v1, y, c12);
            y = S.Load(ref bd, 3 * D); c03 = S.MultiplyAdd(v0, y, c03); c13 = S.MultiplyAdd(v1, y, c13);
            y = S.Load(ref bd, 4 * D); c04 = S.MultiplyAdd(v0, y, c04); c14 = S.MultiplyAdd(v1, y, c14);
        }
        S.Store(c00, ref a, 0); S.Store(c10, ref a, W); S.Store(c01, ref a, 2 * W); S.Store(c11, ref a, 3 * W);
        S.Store(c02, ref a, 4 * W); S.Store(c12, ref a, 5 * W); S.Store(c03, ref a, 6 * W); S.Store(c13, ref a, 7 * W);
        S.Store(c04, ref a, 8 * W); S.Store(c14, ref a, 9 * W);
    }

    /// <summary>
    /// acc[jj·2W … jj·2W + 2W) += Σ_i x_i[0 … 2W)·B[i, jj] over <paramref name="rows"/> rows, jj &lt; 10, where
    /// x_i = pixel − mean for 2W features starting at <paramref name="x"/>; B column-major with leading dimension ldb.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gradient2x10<TV, S>(byte* x, int rows, double* mean, double* b, nint ldb, double* acc)
        where TV : struct where S : ISimd<TV>
    {
        int W = S.Count;
        ref double a = ref Unsafe.AsRef<double>(acc);
        TV m0 = S.Load(ref Unsafe.AsRef<double>(mean), 0), m1 = S.Load(ref Unsafe.AsRef<double>(mean), W);
        TV c00 = S.Load(ref a, 0), c10 = S.Load(ref a, W), c01 = S.Load(ref a, 2 * W), c11 = S.Load(ref a, 3 * W);
        TV c02 = S.Load(ref a, 4 * W), c12 = S.Load(ref a, 5 * W), c03 = S.Load(ref a, 6 * W), c13 = S.Load(ref a, 7 * W);
        TV c04 = S.Load(ref a, 8 * W), c14 = S.Load(ref a, 9 * W), c05 = S.Load(ref a, 10 * W), c15 = S.Load(ref a, 11 * W);
        TV c06 = S.Load(ref a, 12 * W), c16 = S.Load(ref a, 13 * W), c07 = S.Load(ref a, 14 * W), c17 = S.Load(ref a, 15 * W);
        TV c08 = S.Load(ref a, 16 * W), c18 = S.Load(ref a, 17 * W), c09 = S.Load(ref a, 18 * W), c19 = S.Load(ref a, 19 * W);
        for (int i = 0; i < rows; i++, x += P, b++)
        {
            TV v0 = S.Subtract(S.LoadPixels(x), m0), v1 = S.Subtract(S.LoadPixels(x + W), m1);
            TV y = S.Broadcast(b[0]); c00 = S.MultiplyAdd(v0, y, c00); c10 = S.MultiplyAdd(v1, y, c10);
            y = S.Broadcast(b[ldb]); c01 = S.MultiplyAdd(v0, y, c01); c11 = S.MultiplyAdd(v1, y, c11);
            y = S.Broadcast(b[2 * ldb]); c02 = S.MultiplyAdd(v0, y, c02); c12 = S.MultiplyAdd(v1, y, c12);
            y = S.Broadcast(b[3 * ldb]); c03 = S.MultiplyAdd(v0, y, c03); c13 = S.MultiplyAdd(v1, y, c13);
            y = S.Broadcast(b[4 * ldb]); c04 = S.MultiplyAdd(v0, y, c04); c14 = S.MultiplyAdd(v1, y, c14);
            y = S.Broadcast(b[5 * ldb]); c05 = S.MultiplyAdd(v0, y, c05); c15 = S.MultiplyAdd(v1, y, c15);
            y = S.Broadcast(b[6 * ldb]); c06 = S.MultiplyAdd(v0, y, c06); c16 = S.MultiplyAdd(v1, y, c16);
            y = S.Broadcast(b[7 * ldb]); c07 = S.MultiplyAdd(v0, y, c07); c17 = S.MultiplyAdd(v1, y, c17);
            y = S.Broadcast(b[8 * ldb]); c08 = S.MultiplyAdd(v0, y, c08); c18 = S.MultiplyAdd(v1, y, c18);
            y = S.Broadcast(b[9 * ldb]); c09 = S.MultiplyAdd(v0, y, c09); c19 = S.MultiplyAdd(v1, y, c19);
        }
        S.Store(c00, ref a, 0); S.Store(c10, ref a, W); S.Store(c01, ref a, 2 * W); S.Store(c11, ref a, 3 * W);
        S.Store(c02, ref a, 4 * W); S.Store(c12, ref a, 5 * W); S.Store(c03, ref a, 6 * W); S.Store(c13, ref a, 7 * W);
        S.Store(c04, ref a, 8 * W); S.Store(c14, ref a, 9 * W); S.Store(c05, ref a, 10 * W); S.Store(c15, ref a, 11 * W);
        S.Store(c06, ref a, 12 * W); S.Store(c16, ref a, 13 * W); S.Store(c07, ref a, 14 * W); S.Store(c17, ref a, 15 * W);
        S.Store(c08, ref a, 16 * W); S.Store(c18, ref a, 17 * W); S.Store(c09, ref a, 18 * W); S.Store(c19, ref a, 19 * W);
    }

    /// <summary><see cref="Gradient2x10{TV, S}"/> for 5 columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gradient2x5<TV, S>(byte* x, int rows, double* mean, double* b, nint ldb, double* acc)
        where TV : struct where S : ISimd<TV>
    {
        int W = S.Count;
        ref double a = ref Unsafe.AsRef<double>(acc);
        TV m0 = S.Load(ref Unsafe.AsRef<double>(mean), 0), m1 = S.Load(ref Unsafe.AsRef<double>(mean), W);
        TV c00 = S.Load(ref a, 0), c10 = S.Load(ref a, W), c01 = S.Load(ref a, 2 * W), c11 = S.Load(ref a, 3 * W);
        TV c02 = S.Load(ref a, 4 * W), c12 = S.Load(ref a, 5 * W), c03 = S.Load(ref a, 6 * W), c13 = S.Load(ref a, 7 * W);
        TV c04 = S.Load(ref a, 8 * W), c14 = S.Load(ref a, 9 * W);
        for (int i = 0; i < rows; i++, x += P, b++)
        {
            TV v0 = S.Subtract(S.LoadPixels(x), m0), v1 = S.Subtract(S.LoadPixels(x + W), m1);
            TV y = S.Broadcast(b[0]); c00 = S.MultiplyAdd(v0, y, c00); c10 = S.MultiplyAdd(v1, y, c10);
            y = S.Broadcast(b[ldb]); c01 = S.MultiplyAdd(v0, y, c01); c11 = S.MultiplyAdd(v1, y, c11);
            y = S.Broadcast(b[2 * ldb]); c02 = S.MultiplyAdd(v0, y, c02); c12 = S.MultiplyAdd(v1, y, c12);
            y = S.Broadcast(b[3 * ldb]); c03 = S.MultiplyAdd(v0, y, c03); c13 = S.MultiplyAdd(v1, y, c13);
            y = S.Broadcast(b[4 * ldb]); c04 = S.MultiplyAdd(v0, y, c04); c14 = S.MultiplyAdd(v1, y, c14);
        }
        S.Store(c00, ref a, 0); S.Store(c10, ref a, W); S.Store(c01, ref a, 2 * W); S.Store(c11, ref a, 3 * W);
        S.Store(c02, ref a, 4 * W); S.Store(c12, ref a, 5 * W); S.Store(c03, ref a, 6 * W); S.Store(c13, ref a, 7 * W);
        S.Store(c04, ref a, 8 * W); S.Store(c14, ref a, 9 * W);
    }

    /// <summary><c>destination[b] = pixels[rows[b]]</c>, whole images of 3072 bytes: a minibatch that stays bytes.</summary>
    /// <remarks>
    /// Eight images at a time, a cache line of each in turn: the rows are scattered over 150 MB, and eight streams
    /// keep more reads from memory in flight than one image after another (55 against 75 µs for 200 rows).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CopyRows(byte[] pixels, ReadOnlySpan<int> rows, byte[] destination)
    {
        int n = rows.Length, b = 0;
        fixed (byte* source = pixels, target = destination)
        {
            for (; b + 8 <= n; b += 8)
            {
                byte* s0 = source + (long)rows[b] * P, s1 = source + (long)rows[b + 1] * P;
                byte* s2 = source + (long)rows[b + 2] * P, s3 = source + (long)rows[b + 3] * P;
                byte* s4 = source + (long)rows[b + 4] * P, s5 = source + (long)rows[b + 5] * P;
                byte* s6 = source + (long)rows[b + 6] * P, s7 = source + (long)rows[b + 7] * P;
                byte* t = target + (long)b * P;
                for (int k = 0; k < P; k += 64)
                {
                    Unsafe.CopyBlockUnaligned(t + k, s0 + k, 64); Unsafe.CopyBlockUnaligned(t + P + k, s1 + k, 64);
                    Unsafe.CopyBlockUnaligned(t + 2 * P + k, s2 + k, 64); Unsafe.CopyBlockUnaligned(t + 3 * P + k, s3 + k, 64);
                    Unsafe.CopyBlockUnaligned(t + 4 * P + k, s4 + k, 64); Unsafe.CopyBlockUnaligned(t + 5 * P + k, s5 + k, 64);
                    Unsafe.CopyBlockUnaligned(t + 6 * P + k, s6 + k, 64); Unsafe.CopyBlockUnaligned(t + 7 * P + k, s7 + k, 64);
                }
            }
        }
        for (; b < n; b++) pixels.AsSpan(rows[b] * P, P).CopyTo(destination.AsSpan(b * P, P));
    }

    /// <summary>
    /// <c>destination = X[rows]</c>, numpy's fancy indexing, into a column-major (rows.Length, D) array.
    /// </summary>
    public static void GatherRows(CenteredPixelMatrix X, ReadOnlySpan<int> rows, double[] destination)
    {
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
