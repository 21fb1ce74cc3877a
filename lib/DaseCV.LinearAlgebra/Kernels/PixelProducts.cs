using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DaseCV.LinearAlgebra.Kernels;

/// <summary>
/// Products and row gathers of a <see cref="CenteredPixelMatrix"/> X (N, 3073), which stores bytes. The products never
/// expand X to doubles as a whole (1.2 GB for CIFAR-10, 4.9 MB for a 200-row minibatch): as a dgemm packs its
/// operand, they convert one small panel of X at a time (pixel − mean, the very doubles the dense copy holds) into a
/// buffer that stays in L1, and every column of B then runs over that panel, so each pixel is converted once per
/// product whatever the number of columns.
/// </summary>
/// <remarks>
/// A panel is three vectors of X's rows (<c>X·B</c>) or of its features (<c>Xᵀ·B</c>); the micro-kernel
/// (<see cref="Block{TV, S, R}"/>) keeps a (three vectors) × 4 block of C in 12 registers and broadcasts B's elements
/// straight from its columns, so B is not copied. Each element of C is summed by one thread in a fixed order, so results
/// do not depend on the number of threads.
/// </remarks>
internal static unsafe class PixelProducts
{
    private const int P = CenteredPixelMatrix.PixelCount;
    private const int D = P + 1;

    /// <summary>Features per panel of <c>X·B</c>: 256 features × 3 vectors of rows is 24 KB with AVX2, within L1.</summary>
    private const int FeatureChunk = 256;

    /// <summary>Rows per panel of <c>Xᵀ·B</c>, for the same reason.</summary>
    private const int RowChunk = 256;

    /// <summary>Panels of <c>X·B</c> that share each chunk of B's rows (8 × 12 rows with AVX2, the minibatch's 200 in two groups).</summary>
    private const int PanelGroup = 8;

    /// <summary><c>C = X·B</c>: X (N, D), B (D, n) column-major, C (N, n) column-major.</summary>
    public static void Multiply(CenteredPixelMatrix X, double[] b, int n, double[] c)
    {
        int N = X.RowCount, panel = PanelWidth;
        Gemm.Split((N + panel - 1) / panel, (long)N * D * n, (from, to) =>
        {
            if (SimdWidth.Is512) ScorePanels<Vector512<double>, Simd512>(X, b, n, c, from, to);
            else ScorePanels<Vector256<double>, Simd256>(X, b, n, c, from, to);
        });
    }

    /// <summary><c>C = Xᵀ·B</c>: X (N, D), B (N, n) column-major, C (D, n) column-major.</summary>
    public static void TransposeThisAndMultiply(CenteredPixelMatrix X, double[] b, int n, double[] c)
    {
        int N = X.RowCount;
        Gemm.Split(P / PanelWidth, (long)N * D * n, (from, to) =>
        {
            if (SimdWidth.Is512) GradientPanels<Vector512<double>, Simd512>(X, b, n, c, from, to);
            else GradientPanels<Vector256<double>, Simd256>(X, b, n, c, from, to);
        });
        for (int j = 0; j < n; j++)
            c[P + (long)j * D] = TensorPrimitives.Sum(b.AsSpan(j * N, N));  // the bias row: Σ_i B[i, j]
    }

    /// <summary>Rows or features per panel: three vectors (3072 features are a whole number of panels at either width).</summary>
    private static int PanelWidth => 3 * (SimdWidth.Is512 ? Vector512<double>.Count : Vector256<double>.Count);

    /// <summary>Panels [from, to) of C's rows: <c>C[i, j] = Σ_p (x[i, p] − mean[p])·B[p, j] + B[3072, j]</c>.</summary>
    /// <remarks>
    /// Up to <see cref="PanelGroup"/> panels at a time, each converted <see cref="FeatureChunk"/> features at a time,
    /// transposed (feature-major, so a vector holds consecutive rows of a column of C): a chunk of B's rows is read
    /// from L2 by every panel of the group instead of being fetched again per panel. Each panel's block of C waits in
    /// its tile between chunks.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScorePanels<TV, S>(CenteredPixelMatrix X, double[] b, int n, double[] c, int from, int to)
        where TV : struct where S : ISimd<TV>
    {
        int N = X.RowCount, width = 3 * S.Count, tileSize = width * n;
        var panelArray = ArrayPool<double>.Shared.Rent(FeatureChunk * width + PanelGroup * tileSize);
        try
        {
            fixed (byte* pixels = X.PixelArray)
            fixed (double* mean = X.MeanArray, pb = b, panel = panelArray)
            {
                double* tiles = panel + FeatureChunk * width;  // per panel of the group: (width, n), column-major
                for (int q0 = from; q0 < to; q0 += PanelGroup)
                {
                    int q1 = Math.Min(to, q0 + PanelGroup);
                    for (int p0 = 0; p0 < P; p0 += FeatureChunk)
                    {
                        for (int q = q0; q < q1; q++)
                        {
                            int i0 = q * width;
                            TransposePixels(pixels + (long)i0 * P + p0, Math.Min(width, N - i0), width, mean + p0, panel);
                            Columns<TV, S>(pb + p0, D, n, panel, FeatureChunk, tiles + (q - q0) * tileSize, width, accumulate: p0 > 0);
                        }
                    }
                    for (int q = q0; q < q1; q++)
                    {
                        int i0 = q * width, rows = Math.Min(width, N - i0);
                        double* tile = tiles + (q - q0) * tileSize;
                        for (int j = 0; j < n; j++)
                        {
                            double bias = pb[(long)j * D + P];  // X[i, 3072] = 1
                            for (int r = 0; r < rows; r++) c[i0 + r + (long)j * N] = tile[j * width + r] + bias;
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(panelArray);
        }
    }

    /// <summary>Panels [from, to) of C's rows (X's features): <c>C[d, j] = Σ_i (x[i, d] − mean[d])·B[i, j]</c>, without the bias row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradientPanels<TV, S>(CenteredPixelMatrix X, double[] b, int n, double[] c, int from, int to)
        where TV : struct where S : ISimd<TV>
    {
        int N = X.RowCount, W = S.Count, width = 3 * W;
        var panelArray = ArrayPool<double>.Shared.Rent(RowChunk * width);
        try
        {
            fixed (byte* pixels = X.PixelArray)
            fixed (double* mean = X.MeanArray, pb = b, pc = c, panel = panelArray)
            {
                for (int q = from; q < to; q++)
                {
                    int d0 = q * width;
                    TV m0 = S.Load(ref mean[d0], 0), m1 = S.Load(ref mean[d0], W), m2 = S.Load(ref mean[d0], 2 * W);
                    for (int i0 = 0; i0 < N; i0 += RowChunk)
                    {
                        int rows = Math.Min(RowChunk, N - i0);
                        byte* x = pixels + (long)i0 * P + d0;
                        ref double target = ref panel[0];
                        for (int i = 0; i < rows; i++, x += P)
                        {
                            S.Store(S.Subtract(S.LoadPixels(x), m0), ref target, i * width);
                            S.Store(S.Subtract(S.LoadPixels(x + W), m1), ref target, i * width + W);
                            S.Store(S.Subtract(S.LoadPixels(x + 2 * W), m2), ref target, i * width + 2 * W);
                        }
                        Columns<TV, S>(pb + i0, N, n, panel, rows, pc + d0, D, accumulate: i0 > 0);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(panelArray);
        }
    }

    /// <summary>
    /// <c>panel[p·width + r] = x_r[p] − mean[p]</c> for <see cref="FeatureChunk"/> features of <paramref name="rows"/>
    /// rows 3072 bytes apart; the rows after them up to <paramref name="width"/> (a multiple of 4) repeat row 0, finite
    /// values whose results are never stored.
    /// </summary>
    /// <remarks>
    /// Four rows × four features at a time: four vectors of one row's features, transposed in registers (two unpacks,
    /// two lane swaps) into four vectors of one feature's rows. The values are the scalar loop's (exact conversion, one
    /// subtraction).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposePixels(byte* x, int rows, int width, double* mean, double* panel)
    {
        if (!Avx2.IsSupported)
        {
            for (int r = 0; r < width; r++)
            {
                byte* row = x + (long)(r < rows ? r : 0) * P;
                for (int p = 0; p < FeatureChunk; p++) panel[p * width + r] = row[p] - mean[p];
            }
            return;
        }
        for (int g = 0; g < width; g += 4)
        {
            byte* x0 = x + (long)(g < rows ? g : 0) * P, x1 = x + (long)(g + 1 < rows ? g + 1 : 0) * P;
            byte* x2 = x + (long)(g + 2 < rows ? g + 2 : 0) * P, x3 = x + (long)(g + 3 < rows ? g + 3 : 0) * P;
            double* to = panel + g;
            for (int p = 0; p < FeatureChunk; p += 4, to += 4 * width)
            {
                var m = Avx.LoadVector256(mean + p);
                var r0 = Avx.Subtract(Avx.ConvertToVector256Double(Sse41.ConvertToVector128Int32(x0 + p)), m);
                var r1 = Avx.Subtract(Avx.ConvertToVector256Double(Sse41.ConvertToVector128Int32(x1 + p)), m);
                var r2 = Avx.Subtract(Avx.ConvertToVector256Double(Sse41.ConvertToVector128Int32(x2 + p)), m);
                var r3 = Avx.Subtract(Avx.ConvertToVector256Double(Sse41.ConvertToVector128Int32(x3 + p)), m);
                var t0 = Avx.UnpackLow(r0, r1);   // r0[0] r1[0] r0[2] r1[2]
                var t1 = Avx.UnpackHigh(r0, r1);  // r0[1] r1[1] r0[3] r1[3]
                var t2 = Avx.UnpackLow(r2, r3);
                var t3 = Avx.UnpackHigh(r2, r3);
                Avx.Store(to, Avx.Permute2x128(t0, t2, 0x20));
                Avx.Store(to + width, Avx.Permute2x128(t1, t3, 0x20));
                Avx.Store(to + 2 * width, Avx.Permute2x128(t0, t2, 0x31));
                Avx.Store(to + 3 * width, Avx.Permute2x128(t1, t3, 0x31));
            }
        }
    }

    /// <summary>
    /// <c>acc[:, j] (+)= panel·B[:, j]</c> for every column j &lt; n, four columns at a time: acc (3 vectors, n) with
    /// leading dimension ldAcc, panel (k, 3 vectors) row-major, B's columns <paramref name="ldb"/> apart from
    /// <paramref name="b"/>, k of each used.
    /// </summary>
    private static void Columns<TV, S>(double* b, nint ldb, int n, double* panel, int k, double* acc, nint ldAcc, bool accumulate)
        where TV : struct where S : ISimd<TV>
    {
        int j = 0;
        for (; j + 4 <= n; j += 4) Block<TV, S, Four>(b + j * ldb, ldb, panel, k, acc + j * ldAcc, ldAcc, accumulate);
        if (j + 2 <= n)
        {
            Block<TV, S, Two>(b + j * ldb, ldb, panel, k, acc + j * ldAcc, ldAcc, accumulate);
            j += 2;
        }
        if (j < n) Block<TV, S, One>(b + j * ldb, ldb, panel, k, acc + j * ldAcc, ldAcc, accumulate);
    }

    /// <summary>
    /// <c>acc[0 … 3W, r] (+)= Σ_p panel[p, 0 … 3W]·s_r[p]</c> for R ≤ 4 columns r, where s_r = s + r·ldS: a block of
    /// C of three vectors × R columns in registers (12 accumulators, three vectors of the panel and a broadcast: AVX2's
    /// 16 registers), the panel read once for the R columns.
    /// </summary>
    /// <remarks>dgemm's register-blocked micro-kernel on a packed panel, with B broadcast from its own columns.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<TV, S, R>(double* s, nint ldS, double* panel, int k, double* acc, nint ldAcc, bool accumulate)
        where TV : struct where S : ISimd<TV> where R : struct, IColumnCount
    {
        nint W = S.Count, width = 3 * W;
        ref double a = ref Unsafe.AsRef<double>(acc);
        ref double v = ref Unsafe.AsRef<double>(panel);
        TV c00 = S.Zero, c01 = S.Zero, c02 = S.Zero, c10 = S.Zero, c11 = S.Zero, c12 = S.Zero;
        TV c20 = S.Zero, c21 = S.Zero, c22 = S.Zero, c30 = S.Zero, c31 = S.Zero, c32 = S.Zero;
        if (accumulate)
        {
            c00 = S.Load(ref a, 0); c01 = S.Load(ref a, W); c02 = S.Load(ref a, 2 * W);
            if (R.Value >= 2) { c10 = S.Load(ref a, ldAcc); c11 = S.Load(ref a, ldAcc + W); c12 = S.Load(ref a, ldAcc + 2 * W); }
            if (R.Value >= 4)
            {
                c20 = S.Load(ref a, 2 * ldAcc); c21 = S.Load(ref a, 2 * ldAcc + W); c22 = S.Load(ref a, 2 * ldAcc + 2 * W);
                c30 = S.Load(ref a, 3 * ldAcc); c31 = S.Load(ref a, 3 * ldAcc + W); c32 = S.Load(ref a, 3 * ldAcc + 2 * W);
            }
        }
        double* s0 = s, s1 = s + ldS, s2 = s + 2 * ldS, s3 = s + 3 * ldS;
        for (nint p = 0, row = 0; p < k; p++, row += width)
        {
            TV v0 = S.Load(ref v, row), v1 = S.Load(ref v, row + W), v2 = S.Load(ref v, row + 2 * W);
            TV x = S.Broadcast(s0[p]); c00 = S.MultiplyAdd(v0, x, c00); c01 = S.MultiplyAdd(v1, x, c01); c02 = S.MultiplyAdd(v2, x, c02);
            if (R.Value >= 2) { x = S.Broadcast(s1[p]); c10 = S.MultiplyAdd(v0, x, c10); c11 = S.MultiplyAdd(v1, x, c11); c12 = S.MultiplyAdd(v2, x, c12); }
            if (R.Value >= 4)
            {
                x = S.Broadcast(s2[p]); c20 = S.MultiplyAdd(v0, x, c20); c21 = S.MultiplyAdd(v1, x, c21); c22 = S.MultiplyAdd(v2, x, c22);
                x = S.Broadcast(s3[p]); c30 = S.MultiplyAdd(v0, x, c30); c31 = S.MultiplyAdd(v1, x, c31); c32 = S.MultiplyAdd(v2, x, c32);
            }
        }
        S.Store(c00, ref a, 0); S.Store(c01, ref a, W); S.Store(c02, ref a, 2 * W);
        if (R.Value >= 2) { S.Store(c10, ref a, ldAcc); S.Store(c11, ref a, ldAcc + W); S.Store(c12, ref a, ldAcc + 2 * W); }
        if (R.Value >= 4)
        {
            S.Store(c20, ref a, 2 * ldAcc); S.Store(c21, ref a, 2 * ldAcc + W); S.Store(c22, ref a, 2 * ldAcc + 2 * W);
            S.Store(c30, ref a, 3 * ldAcc); S.Store(c31, ref a, 3 * ldAcc + W); S.Store(c32, ref a, 3 * ldAcc + 2 * W);
        }
    }

    /// <summary>How many columns of C a <see cref="Block{TV, S, R}"/> computes: a constant the JIT folds into each copy.</summary>
    private interface IColumnCount
    {
        static abstract int Value { get; }
    }

    private readonly struct One : IColumnCount
    {
        public static int Value => 1;
    }

    private readonly struct Two : IColumnCount
    {
        public static int Value => 2;
    }

    private readonly struct Four : IColumnCount
    {
        public static int Value => 4;
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
