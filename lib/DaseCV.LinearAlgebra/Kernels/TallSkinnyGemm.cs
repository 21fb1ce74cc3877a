using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DaseCV.LinearAlgebra;
using Matrix = MathNet.Numerics.LinearAlgebra.Matrix<double>;
using DenseMatrix = MathNet.Numerics.LinearAlgebra.Double.DenseMatrix;

namespace DaseCV.Kernels;

/// <summary>
/// The two products of a softmax/SVM step for a tall X (N, D) and a skinny W (D, C), C ≈ 10:
/// <c>S = X·W</c> and <c>G = Xᵀ·dS</c>.
/// </summary>
/// <remarks>
/// Layouts: X row-major (row i at <c>X[i·D ..]</c>, as <see cref="LinearAlgebra.RowMajorMatrix"/>); W and G
/// column-major (column c at <c>W[c·D ..]</c>, as MathNet's <c>DenseMatrix.Values</c>); S and dS row-major (N, C).
/// Both are register-blocked GEMM micro-kernels (Goto and van de Geijn, "Anatomy of high-performance matrix
/// multiplication", 2008) over blocks of 4 rows × 5 classes: X·W keeps 20 <see cref="Vector{T}"/> accumulators (one
/// W load serves 4 rows), Xᵀ·dS 20 broadcast dS values (one X load serves 5 classes). X·W streams whole
/// rows (W, 245 KB for CIFAR, stays in L2); Xᵀ·dS streams rows 4 at a time too, adding their 4 × 5 outer-product
/// terms into G (it stays in L2). A block past the last class or row reads the last one again and discards it.
/// Every output element is summed in a fixed order whatever the thread split, so results are reproducible.
/// On hardware without SIMD, <see cref="Vector{T}"/> falls back to scalar code with the same structure.
/// </remarks>
internal static class TallSkinnyGemm
{
    private const int ClassBlock = 5;

    // Rows of X per block: X·W keeps 4 rows × 5 classes = 20 accumulators, Xᵀ·dS 4 rows × 5 classes = 20 broadcast
    // weights, in registers: 20 of the 32 vector registers of AVX-512 or NEON (AVX2's 16 spill, still correct).
    private const int RowsPerBlock = 4;

    // Below this many multiply-adds a thread hand-off costs more than it saves.
    private const long ParallelThreshold = 1 << 20;

    /// <summary><c>S = X·W</c> for matrices: X (N, D) is read in place when row-major, W (D, C) when a <c>DenseMatrix</c>.</summary>
    /// <returns>S, shape (N, C), row-major.</returns>
    public static RowMajorMatrix Multiply(Matrix X, Matrix W)
    {
        var S = new RowMajorMatrix(X.RowCount, W.ColumnCount);
        Multiply(MatrixData.RowMajor(X).Data, X.RowCount, X.ColumnCount, MatrixData.ColumnMajor(W), W.ColumnCount, S.Data);
        return S;
    }

    /// <summary><c>G = Xᵀ·dS</c> for matrices: X (N, D) is read in place when row-major.</summary>
    /// <param name="X">Shape (N, D).</param>
    /// <param name="dS">Shape (N, C).</param>
    /// <param name="G">Shape (D, C), column-major; overwritten.</param>
    public static void TransposeMultiply(Matrix X, RowMajorMatrix dS, DenseMatrix G)
    {
        if (G.RowCount != X.ColumnCount || G.ColumnCount != dS.ColumnCount)
            throw new ArgumentException($"G is ({G.RowCount}, {G.ColumnCount}); Xᵀ·dS is ({X.ColumnCount}, {dS.ColumnCount}).", nameof(G));
        TransposeMultiply(MatrixData.RowMajor(X).Data, X.RowCount, X.ColumnCount, dS.Data, dS.ColumnCount, G.Values);
    }

    /// <summary><c>S[i, c] = Σ_d X[i, d]·W[d, c]</c> for all N rows, split over cores when large.</summary>
    /// <param name="X">Row-major (N, D).</param>
    /// <param name="N">Rows of X.</param>
    /// <param name="D">Columns of X, rows of W.</param>
    /// <param name="W">Column-major (D, C).</param>
    /// <param name="C">Columns of W.</param>
    /// <param name="S">Row-major (N, C), overwritten.</param>
    /// <param name="split">Number of row ranges to split over; null picks from the idle cores.</param>
    public static void Multiply(double[] X, int N, int D, double[] W, int C, double[] S, int? split = null)
    {
        int parts = split ?? Parts((long)N * D * C, N / RowsPerBlock);
        if (parts == 1)
        {
            MultiplyRows(X.AsSpan(0, N * D), N, D, W, C, S.AsSpan(0, N * C));
            return;
        }
        Parallel.For(0, parts, p =>
        {
            int start = (int)((long)N * p / parts), end = (int)((long)N * (p + 1) / parts);
            MultiplyRows(X.AsSpan(start * D, (end - start) * D), end - start, D, W, C, S.AsSpan(start * C, (end - start) * C));
        });
    }

    /// <summary><c>G[d, c] = Σ_i X[i, d]·dS[i, c]</c>, split over cores when large.</summary>
    /// <param name="X">Row-major (N, D).</param>
    /// <param name="N">Rows of X and dS.</param>
    /// <param name="D">Columns of X, rows of G.</param>
    /// <param name="dS">Row-major (N, C).</param>
    /// <param name="C">Columns of dS and G.</param>
    /// <param name="G">Column-major (D, C), overwritten.</param>
    /// <param name="split">Number of feature ranges to split over; null picks from the idle cores.</param>
    public static void TransposeMultiply(double[] X, int N, int D, double[] dS, int C, double[] G, int? split = null)
    {
        int step = Vector<double>.Count;
        int parts = split ?? Parts((long)N * D * C, D / 256);
        if (parts == 1)
        {
            TransposeMultiplyColumns(X, N, D, dS, C, G, 0, D);
            return;
        }
        Parallel.For(0, parts, p =>
        {
            // Split points on whole vectors, so the scalar tail is always the same last features.
            int start = (int)((long)(D / step) * p / parts) * step;
            int end = p == parts - 1 ? D : (int)((long)(D / step) * (p + 1) / parts) * step;
            TransposeMultiplyColumns(X, N, D, dS, C, G, start, end);
        });
    }

    private static int Parts(long work, int maxParts) => Cores.Parts(work, ParallelThreshold, maxParts);

    /// <summary><c>S[i, c] = Σ_d X[i, d]·W[d, c]</c> on the calling thread.</summary>
    /// <param name="X">Row-major (rows, D).</param>
    /// <param name="rows">Rows of X.</param>
    /// <param name="D">Columns of X, rows of W.</param>
    /// <param name="W">Column-major (D, C).</param>
    /// <param name="C">Columns of W.</param>
    /// <param name="S">Row-major (rows, C), overwritten.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyRows(ReadOnlySpan<double> X, int rows, int D, ReadOnlySpan<double> W, int C, Span<double> S)
    {
        for (int i = 0; i < rows; i += RowsPerBlock)
            for (int c0 = 0; c0 < C; c0 += ClassBlock)
                MultiplyBlock(X, D, i, rows, W, C, c0, S);
    }

    /// <summary>Writes <c>S[i, c] = Σ_d X[i, d]·W[d, c]</c> for rows i0..i0+3 and classes c0..c0+4 (those that exist).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyBlock(ReadOnlySpan<double> X, int D, int i0, int rows, ReadOnlySpan<double> W, int C, int c0, Span<double> S)
    {
        ref double xBase = ref MemoryMarshal.GetReference(X);
        ref double wBase = ref MemoryMarshal.GetReference(W);
        ref double x0 = ref Unsafe.Add(ref xBase, i0 * D);
        ref double x1 = ref Unsafe.Add(ref xBase, Math.Min(i0 + 1, rows - 1) * D);
        ref double x2 = ref Unsafe.Add(ref xBase, Math.Min(i0 + 2, rows - 1) * D);
        ref double x3 = ref Unsafe.Add(ref xBase, Math.Min(i0 + 3, rows - 1) * D);
        ref double w0 = ref Unsafe.Add(ref wBase, Math.Min(c0, C - 1) * D);
        ref double w1 = ref Unsafe.Add(ref wBase, Math.Min(c0 + 1, C - 1) * D);
        ref double w2 = ref Unsafe.Add(ref wBase, Math.Min(c0 + 2, C - 1) * D);
        ref double w3 = ref Unsafe.Add(ref wBase, Math.Min(c0 + 3, C - 1) * D);
        ref double w4 = ref Unsafe.Add(ref wBase, Math.Min(c0 + 4, C - 1) * D);

        // a{r}{j}: lanes of Σ_d X[i0 + r, d]·W[d, c0 + j]
        Vector<double> a00 = default, a01 = default, a02 = default, a03 = default, a04 = default;
        Vector<double> a10 = default, a11 = default, a12 = default, a13 = default, a14 = default;
        Vector<double> a20 = default, a21 = default, a22 = default, a23 = default, a24 = default;
        Vector<double> a30 = default, a31 = default, a32 = default, a33 = default, a34 = default;
        int n = Vector<double>.Count, k = 0;
        for (; k <= D - n; k += n)
        {
            nuint o = (nuint)k;
            var xa = Vector.LoadUnsafe(ref x0, o);
            var xb = Vector.LoadUnsafe(ref x1, o);
            var xc = Vector.LoadUnsafe(ref x2, o);
            var xd = Vector.LoadUnsafe(ref x3, o);
            var w = Vector.LoadUnsafe(ref w0, o);
            a00 = Vector.MultiplyAddEstimate(xa, w, a00); a10 = Vector.MultiplyAddEstimate(xb, w, a10);
            a20 = Vector.MultiplyAddEstimate(xc, w, a20); a30 = Vector.MultiplyAddEstimate(xd, w, a30);
            w = Vector.LoadUnsafe(ref w1, o);
            a01 = Vector.MultiplyAddEstimate(xa, w, a01); a11 = Vector.MultiplyAddEstimate(xb, w, a11);
            a21 = Vector.MultiplyAddEstimate(xc, w, a21); a31 = Vector.MultiplyAddEstimate(xd, w, a31);
            w = Vector.LoadUnsafe(ref w2, o);
            a02 = Vector.MultiplyAddEstimate(xa, w, a02); a12 = Vector.MultiplyAddEstimate(xb, w, a12);
            a22 = Vector.MultiplyAddEstimate(xc, w, a22); a32 = Vector.MultiplyAddEstimate(xd, w, a32);
            w = Vector.LoadUnsafe(ref w3, o);
            a03 = Vector.MultiplyAddEstimate(xa, w, a03); a13 = Vector.MultiplyAddEstimate(xb, w, a13);
            a23 = Vector.MultiplyAddEstimate(xc, w, a23); a33 = Vector.MultiplyAddEstimate(xd, w, a33);
            w = Vector.LoadUnsafe(ref w4, o);
            a04 = Vector.MultiplyAddEstimate(xa, w, a04); a14 = Vector.MultiplyAddEstimate(xb, w, a14);
            a24 = Vector.MultiplyAddEstimate(xc, w, a24); a34 = Vector.MultiplyAddEstimate(xd, w, a34);
        }

        Span<double> sums = stackalloc double[RowsPerBlock * ClassBlock];
        sums[0] = Vector.Sum(a00); sums[1] = Vector.Sum(a01); sums[2] = Vector.Sum(a02); sums[3] = Vector.Sum(a03); sums[4] = Vector.Sum(a04);
        sums[5] = Vector.Sum(a10); sums[6] = Vector.Sum(a11); sums[7] = Vector.Sum(a12); sums[8] = Vector.Sum(a13); sums[9] = Vector.Sum(a14);
        sums[10] = Vector.Sum(a20); sums[11] = Vector.Sum(a21); sums[12] = Vector.Sum(a22); sums[13] = Vector.Sum(a23); sums[14] = Vector.Sum(a24);
        sums[15] = Vector.Sum(a30); sums[16] = Vector.Sum(a31); sums[17] = Vector.Sum(a32); sums[18] = Vector.Sum(a33); sums[19] = Vector.Sum(a34);
        int validRows = Math.Min(RowsPerBlock, rows - i0), validClasses = Math.Min(ClassBlock, C - c0);
        for (int r = 0; r < validRows; r++)
        {
            ReadOnlySpan<double> x = X.Slice((i0 + r) * D, D);
            for (int j = 0; j < validClasses; j++)
            {
                double sum = sums[r * ClassBlock + j];
                ReadOnlySpan<double> w = W.Slice((c0 + j) * D, D);
                for (int d = k; d < D; d++) sum += x[d] * w[d];  // the last D mod Count features
                S[(i0 + r) * C + c0 + j] = sum;
            }
        }
    }

    /// <summary><c>G[d, c] = Σ_i X[i, d]·dS[i, c]</c> for features d in [dStart, dEnd), on the calling thread.</summary>
    /// <param name="X">Row-major (N, D).</param>
    /// <param name="N">Rows of X and dS.</param>
    /// <param name="D">Columns of X, rows of G.</param>
    /// <param name="dS">Row-major (N, C).</param>
    /// <param name="C">Columns of dS and G.</param>
    /// <param name="G">Column-major (D, C); rows dStart..dEnd−1 are overwritten.</param>
    /// <param name="dStart">First feature, a multiple of <see cref="Vector{T}.Count"/>.</param>
    /// <param name="dEnd">One past the last feature.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TransposeMultiplyColumns(ReadOnlySpan<double> X, int N, int D, ReadOnlySpan<double> dS, int C,
        Span<double> G, int dStart, int dEnd)
    {
        for (int c = 0; c < C; c++) G.Slice(c * D + dStart, dEnd - dStart).Clear();
        int n = Vector<double>.Count;
        int vectorEnd = dStart + (dEnd - dStart) / n * n;
        // Rows stream front to back, 4 at a time, like X·W; the (D, C) gradient (245 KB for CIFAR) stays in L2.
        for (int i = 0; i < N; i += RowsPerBlock)
            for (int c0 = 0; c0 < C; c0 += ClassBlock)
            {
                if (C - c0 >= ClassBlock) TransposeMultiplyBlock(X, i, N, D, dStart, vectorEnd, dS, C, c0, G);
                else TransposeMultiplyPartialBlock(X, i, N, D, dStart, vectorEnd, dS, C, c0, G);
            }
        for (int d = vectorEnd; d < dEnd; d++)
            for (int c = 0; c < C; c++)
            {
                double sum = 0;
                for (int i = 0; i < N; i++) sum += X[i * D + d] * dS[i * C + c];
                G[c * D + d] = sum;
            }
    }

    /// <summary>
    /// Adds <c>Σ_{i0 ≤ i &lt; i0+4} X[i, d]·dS[i, c]</c> to G for d in [d0, d1) and the 5 classes c0..c0+4.
    /// Rows past N read row N−1 with weight 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeMultiplyBlock(ReadOnlySpan<double> X, int i0, int N, int D, int d0, int d1,
        ReadOnlySpan<double> dS, int C, int c0, Span<double> G)
    {
        ref double xBase = ref MemoryMarshal.GetReference(X);
        ref double gBase = ref MemoryMarshal.GetReference(G);
        int r1 = Math.Min(i0 + 1, N - 1), r2 = Math.Min(i0 + 2, N - 1), r3 = Math.Min(i0 + 3, N - 1);
        ref double x0 = ref Unsafe.Add(ref xBase, i0 * D);
        ref double x1 = ref Unsafe.Add(ref xBase, r1 * D);
        ref double x2 = ref Unsafe.Add(ref xBase, r2 * D);
        ref double x3 = ref Unsafe.Add(ref xBase, r3 * D);

        // b{r}{j} = dS[i0 + r, c0 + j], broadcast; 0 for rows past N.
        ReadOnlySpan<double> s0 = dS.Slice(i0 * C + c0, ClassBlock), s1 = dS.Slice(r1 * C + c0, ClassBlock);
        ReadOnlySpan<double> s2 = dS.Slice(r2 * C + c0, ClassBlock), s3 = dS.Slice(r3 * C + c0, ClassBlock);
        double m1 = i0 + 1 < N ? 1 : 0, m2 = i0 + 2 < N ? 1 : 0, m3 = i0 + 3 < N ? 1 : 0;
        Vector<double> b00 = new(s0[0]), b01 = new(s0[1]), b02 = new(s0[2]), b03 = new(s0[3]), b04 = new(s0[4]);
        Vector<double> b10 = new(m1 * s1[0]), b11 = new(m1 * s1[1]), b12 = new(m1 * s1[2]), b13 = new(m1 * s1[3]), b14 = new(m1 * s1[4]);
        Vector<double> b20 = new(m2 * s2[0]), b21 = new(m2 * s2[1]), b22 = new(m2 * s2[2]), b23 = new(m2 * s2[3]), b24 = new(m2 * s2[4]);
        Vector<double> b30 = new(m3 * s3[0]), b31 = new(m3 * s3[1]), b32 = new(m3 * s3[2]), b33 = new(m3 * s3[3]), b34 = new(m3 * s3[4]);

        ref double g0 = ref Unsafe.Add(ref gBase, c0 * D);
        ref double g1 = ref Unsafe.Add(ref gBase, (c0 + 1) * D);
        ref double g2 = ref Unsafe.Add(ref gBase, (c0 + 2) * D);
        ref double g3 = ref Unsafe.Add(ref gBase, (c0 + 3) * D);
        ref double g4 = ref Unsafe.Add(ref gBase, (c0 + 4) * D);
        for (int d = d0; d < d1; d += Vector<double>.Count)
        {
            nuint o = (nuint)d;
            var xa = Vector.LoadUnsafe(ref x0, o);
            var xb = Vector.LoadUnsafe(ref x1, o);
            var xc = Vector.LoadUnsafe(ref x2, o);
            var xd = Vector.LoadUnsafe(ref x3, o);
            AddFour(ref g0, o, xa, xb, xc, xd, b00, b10, b20, b30);
            AddFour(ref g1, o, xa, xb, xc, xd, b01, b11, b21, b31);
            AddFour(ref g2, o, xa, xb, xc, xd, b02, b12, b22, b32);
            AddFour(ref g3, o, xa, xb, xc, xd, b03, b13, b23, b33);
            AddFour(ref g4, o, xa, xb, xc, xd, b04, b14, b24, b34);
        }
    }

    /// <summary><c>g[o..] += xa·ba + xb·bb + xc·bc + xd·bd</c>, one vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddFour(ref double g, nuint o, Vector<double> xa, Vector<double> xb, Vector<double> xc, Vector<double> xd,
        Vector<double> ba, Vector<double> bb, Vector<double> bc, Vector<double> bd)
    {
        var acc = Vector.LoadUnsafe(ref g, o);
        acc = Vector.MultiplyAddEstimate(xa, ba, acc);
        acc = Vector.MultiplyAddEstimate(xb, bb, acc);
        acc = Vector.MultiplyAddEstimate(xc, bc, acc);
        acc = Vector.MultiplyAddEstimate(xd, bd, acc);
        acc.StoreUnsafe(ref g, o);
    }

    /// <summary>The fewer than 5 classes left when C is not a multiple of 5 (never for CIFAR-10): plain loops.</summary>
    private static void TransposeMultiplyPartialBlock(ReadOnlySpan<double> X, int i0, int N, int D, int d0, int d1,
        ReadOnlySpan<double> dS, int C, int c0, Span<double> G)
    {
        for (int c = c0; c < C; c++)
            for (int i = i0; i < Math.Min(i0 + RowsPerBlock, N); i++)
            {
                double s = dS[i * C + c];
                ReadOnlySpan<double> x = X.Slice(i * D, D);
                Span<double> g = G.Slice(c * D, D);
                for (int d = d0; d < d1; d++) g[d] += x[d] * s;
            }
    }
}
