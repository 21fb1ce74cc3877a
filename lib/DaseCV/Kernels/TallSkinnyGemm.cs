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
/// multiplication", 2008): ten <see cref="Vector{T}"/> accumulators cover 2 rows × 5 classes (X·W) or
/// 2 vectors of features × 5 classes (Xᵀ·dS), so each element of X is loaded once per 5 classes instead of once
/// per class. A class block past C reads the last class again and discards it; an odd last row likewise.
/// Every output element is summed in a fixed order whatever the thread split, so results are reproducible.
/// On hardware without SIMD, <see cref="Vector{T}"/> falls back to scalar code with the same structure.
/// </remarks>
internal static class TallSkinnyGemm
{
    private const int ClassBlock = 5;

    // A (256, C) slice of column-major W (20 KB for C = 10) stays in L1 while the rows of X stream past.
    private const int DepthBlock = 256;

    // 64 rows of X touch 128 cache lines per feature block (rows are not line-aligned): 8 KB, well inside L1.
    private const int RowBlock = 64;

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
    /// <returns>G, shape (D, C), a column-major <c>DenseMatrix</c>.</returns>
    public static DenseMatrix TransposeMultiply(Matrix X, RowMajorMatrix dS)
    {
        var G = new DenseMatrix(X.ColumnCount, dS.ColumnCount);
        TransposeMultiply(MatrixData.RowMajor(X).Data, X.RowCount, X.ColumnCount, dS.Data, dS.ColumnCount, G.Values);
        return G;
    }

    /// <summary><c>S[i, c] = Σ_d X[i, d]·W[d, c]</c> for all N rows, split over cores when large.</summary>
    /// <param name="X">Row-major (N, D).</param>
    /// <param name="N">Rows of X.</param>
    /// <param name="D">Columns of X, rows of W.</param>
    /// <param name="W">Column-major (D, C).</param>
    /// <param name="C">Columns of W.</param>
    /// <param name="S">Row-major (N, C), overwritten.</param>
    public static void Multiply(double[] X, int N, int D, double[] W, int C, double[] S)
    {
        int parts = Parts((long)N * D * C, N / 2);
        if (parts == 1)
        {
            MultiplyRows(X.AsSpan(0, N * D), N, D, W, C, S.AsSpan(0, N * C));
            return;
        }
        Parallel.For(0, parts, p =>
        {
            // Even split points keep the row pairs, hence the summation order, independent of the split.
            int start = (int)((long)N * p / parts) & ~1, end = p == parts - 1 ? N : (int)((long)N * (p + 1) / parts) & ~1;
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
    public static void TransposeMultiply(double[] X, int N, int D, double[] dS, int C, double[] G)
    {
        int step = 2 * Vector<double>.Count;
        int parts = Parts((long)N * D * C, D / step);
        if (parts == 1)
        {
            TransposeMultiplyColumns(X, N, D, dS, C, G, 0, D);
            return;
        }
        Parallel.For(0, parts, p =>
        {
            // Split points on whole feature blocks, so the scalar tail is always the same last columns.
            int start = (int)((long)(D / step) * p / parts) * step;
            int end = p == parts - 1 ? D : (int)((long)(D / step) * (p + 1) / parts) * step;
            TransposeMultiplyColumns(X, N, D, dS, C, G, start, end);
        });
    }

    private static int Parts(long work, int maxParts) =>
        work < ParallelThreshold ? 1 : Math.Max(1, Math.Min(Environment.ProcessorCount, maxParts));

    /// <summary><c>S[i, c] = Σ_d X[i, d]·W[d, c]</c> on the calling thread.</summary>
    /// <param name="X">Row-major (rows, D).</param>
    /// <param name="rows">Rows of X.</param>
    /// <param name="D">Columns of X, rows of W.</param>
    /// <param name="W">Column-major (D, C).</param>
    /// <param name="C">Columns of W.</param>
    /// <param name="S">Row-major (rows, C), overwritten.</param>
    public static void MultiplyRows(ReadOnlySpan<double> X, int rows, int D, ReadOnlySpan<double> W, int C, Span<double> S)
    {
        S.Slice(0, rows * C).Clear();
        for (int d0 = 0; d0 < D; d0 += DepthBlock)
        {
            int len = Math.Min(DepthBlock, D - d0);
            for (int i = 0; i < rows; i += 2)
                for (int c0 = 0; c0 < C; c0 += ClassBlock)
                    MultiplyBlock(X, D, i, Math.Min(i + 1, rows - 1), W, C, c0, d0, len, S);
        }
    }

    /// <summary>Adds <c>Σ_{d0 ≤ d &lt; d0+len} X[i, d]·W[d, c]</c> to S for rows i0, i1 and classes c0..c0+4.</summary>
    private static void MultiplyBlock(ReadOnlySpan<double> X, int D, int i0, int i1, ReadOnlySpan<double> W, int C,
        int c0, int d0, int len, Span<double> S)
    {
        ref double xBase = ref MemoryMarshal.GetReference(X);
        ref double wBase = ref MemoryMarshal.GetReference(W);
        ref double x0 = ref Unsafe.Add(ref xBase, i0 * D + d0);
        ref double x1 = ref Unsafe.Add(ref xBase, i1 * D + d0);
        ref double w0 = ref Unsafe.Add(ref wBase, Math.Min(c0, C - 1) * D + d0);
        ref double w1 = ref Unsafe.Add(ref wBase, Math.Min(c0 + 1, C - 1) * D + d0);
        ref double w2 = ref Unsafe.Add(ref wBase, Math.Min(c0 + 2, C - 1) * D + d0);
        ref double w3 = ref Unsafe.Add(ref wBase, Math.Min(c0 + 3, C - 1) * D + d0);
        ref double w4 = ref Unsafe.Add(ref wBase, Math.Min(c0 + 4, C - 1) * D + d0);

        Vector<double> a00 = default, a01 = default, a02 = default, a03 = default, a04 = default;
        Vector<double> a10 = default, a11 = default, a12 = default, a13 = default, a14 = default;
        int n = Vector<double>.Count, k = 0;
        for (; k <= len - n; k += n)
        {
            nuint o = (nuint)k;
            var xa = Vector.LoadUnsafe(ref x0, o);
            var xb = Vector.LoadUnsafe(ref x1, o);
            var w = Vector.LoadUnsafe(ref w0, o);
            a00 = Vector.MultiplyAddEstimate(xa, w, a00);
            a10 = Vector.MultiplyAddEstimate(xb, w, a10);
            w = Vector.LoadUnsafe(ref w1, o);
            a01 = Vector.MultiplyAddEstimate(xa, w, a01);
            a11 = Vector.MultiplyAddEstimate(xb, w, a11);
            w = Vector.LoadUnsafe(ref w2, o);
            a02 = Vector.MultiplyAddEstimate(xa, w, a02);
            a12 = Vector.MultiplyAddEstimate(xb, w, a12);
            w = Vector.LoadUnsafe(ref w3, o);
            a03 = Vector.MultiplyAddEstimate(xa, w, a03);
            a13 = Vector.MultiplyAddEstimate(xb, w, a13);
            w = Vector.LoadUnsafe(ref w4, o);
            a04 = Vector.MultiplyAddEstimate(xa, w, a04);
            a14 = Vector.MultiplyAddEstimate(xb, w, a14);
        }
        double s00 = Vector.Sum(a00), s01 = Vector.Sum(a01), s02 = Vector.Sum(a02), s03 = Vector.Sum(a03), s04 = Vector.Sum(a04);
        double s10 = Vector.Sum(a10), s11 = Vector.Sum(a11), s12 = Vector.Sum(a12), s13 = Vector.Sum(a13), s14 = Vector.Sum(a14);
        for (; k < len; k++)
        {
            double xa = Unsafe.Add(ref x0, k), xb = Unsafe.Add(ref x1, k);
            double v0 = Unsafe.Add(ref w0, k), v1 = Unsafe.Add(ref w1, k), v2 = Unsafe.Add(ref w2, k);
            double v3 = Unsafe.Add(ref w3, k), v4 = Unsafe.Add(ref w4, k);
            s00 += xa * v0; s01 += xa * v1; s02 += xa * v2; s03 += xa * v3; s04 += xa * v4;
            s10 += xb * v0; s11 += xb * v1; s12 += xb * v2; s13 += xb * v3; s14 += xb * v4;
        }

        int valid = Math.Min(ClassBlock, C - c0);
        Span<double> row0 = S.Slice(i0 * C + c0, valid);
        AddBlockRow(row0, s00, s01, s02, s03, s04);
        if (i1 != i0) AddBlockRow(S.Slice(i1 * C + c0, valid), s10, s11, s12, s13, s14);
    }

    private static void AddBlockRow(Span<double> row, double s0, double s1, double s2, double s3, double s4)
    {
        row[0] += s0;
        if (row.Length > 1) row[1] += s1;
        if (row.Length > 2) row[2] += s2;
        if (row.Length > 3) row[3] += s3;
        if (row.Length > 4) row[4] += s4;
    }

    /// <summary><c>G[d, c] = Σ_i X[i, d]·dS[i, c]</c> for features d in [dStart, dEnd), on the calling thread.</summary>
    /// <param name="X">Row-major (N, D).</param>
    /// <param name="N">Rows of X and dS.</param>
    /// <param name="D">Columns of X, rows of G.</param>
    /// <param name="dS">Row-major (N, C).</param>
    /// <param name="C">Columns of dS and G.</param>
    /// <param name="G">Column-major (D, C); rows dStart..dEnd−1 are overwritten.</param>
    /// <param name="dStart">First feature.</param>
    /// <param name="dEnd">One past the last feature.</param>
    public static void TransposeMultiplyColumns(ReadOnlySpan<double> X, int N, int D, ReadOnlySpan<double> dS, int C,
        Span<double> G, int dStart, int dEnd)
    {
        for (int c = 0; c < C; c++) G.Slice(c * D + dStart, dEnd - dStart).Clear();
        int step = 2 * Vector<double>.Count;
        int vectorEnd = dStart + (dEnd - dStart) / step * step;
        // Sweep a block of rows across the features: its lines of X (and its rows of dS) stay in L1 while they are
        // used for both class blocks, and each row is read front to back.
        for (int i0 = 0; i0 < N; i0 += RowBlock)
        {
            int i1 = Math.Min(i0 + RowBlock, N);
            for (int d = dStart; d < vectorEnd; d += step)
                for (int c0 = 0; c0 < C; c0 += ClassBlock)
                    TransposeMultiplyBlock(X, i0, i1, D, d, dS, C, c0, G);
        }
        for (int d = vectorEnd; d < dEnd; d++)
            for (int c = 0; c < C; c++)
            {
                double s = 0;
                for (int i = 0; i < N; i++) s += X[i * D + d] * dS[i * C + c];
                G[c * D + d] = s;
            }
    }

    /// <summary>Adds <c>Σ_{i0 ≤ i &lt; i1} X[i, d]·dS[i, c]</c> to G for 2 vectors of features from d0 and classes c0..c0+4.</summary>
    private static void TransposeMultiplyBlock(ReadOnlySpan<double> X, int i0, int i1, int D, int d0, ReadOnlySpan<double> dS, int C,
        int c0, Span<double> G)
    {
        ref double xCol = ref Unsafe.Add(ref MemoryMarshal.GetReference(X), d0);
        ref double ds = ref MemoryMarshal.GetReference(dS);
        int n = Vector<double>.Count;
        int k0 = Math.Min(c0, C - 1), k1 = Math.Min(c0 + 1, C - 1), k2 = Math.Min(c0 + 2, C - 1);
        int k3 = Math.Min(c0 + 3, C - 1), k4 = Math.Min(c0 + 4, C - 1);

        Vector<double> a00 = default, a01 = default, a02 = default, a03 = default, a04 = default;
        Vector<double> a10 = default, a11 = default, a12 = default, a13 = default, a14 = default;
        for (int i = i0; i < i1; i++)
        {
            ref double x = ref Unsafe.Add(ref xCol, i * D);
            var xa = Vector.LoadUnsafe(ref x);
            var xb = Vector.LoadUnsafe(ref x, (nuint)n);
            ref double r = ref Unsafe.Add(ref ds, i * C);
            var b = new Vector<double>(Unsafe.Add(ref r, k0));
            a00 = Vector.MultiplyAddEstimate(xa, b, a00);
            a10 = Vector.MultiplyAddEstimate(xb, b, a10);
            b = new Vector<double>(Unsafe.Add(ref r, k1));
            a01 = Vector.MultiplyAddEstimate(xa, b, a01);
            a11 = Vector.MultiplyAddEstimate(xb, b, a11);
            b = new Vector<double>(Unsafe.Add(ref r, k2));
            a02 = Vector.MultiplyAddEstimate(xa, b, a02);
            a12 = Vector.MultiplyAddEstimate(xb, b, a12);
            b = new Vector<double>(Unsafe.Add(ref r, k3));
            a03 = Vector.MultiplyAddEstimate(xa, b, a03);
            a13 = Vector.MultiplyAddEstimate(xb, b, a13);
            b = new Vector<double>(Unsafe.Add(ref r, k4));
            a04 = Vector.MultiplyAddEstimate(xa, b, a04);
            a14 = Vector.MultiplyAddEstimate(xb, b, a14);
        }

        int valid = Math.Min(ClassBlock, C - c0);
        AddToColumn(G, (c0 + 0) * D + d0, n, a00, a10);
        if (valid > 1) AddToColumn(G, (c0 + 1) * D + d0, n, a01, a11);
        if (valid > 2) AddToColumn(G, (c0 + 2) * D + d0, n, a02, a12);
        if (valid > 3) AddToColumn(G, (c0 + 3) * D + d0, n, a03, a13);
        if (valid > 4) AddToColumn(G, (c0 + 4) * D + d0, n, a04, a14);
    }

    private static void AddToColumn(Span<double> G, int offset, int n, Vector<double> lo, Vector<double> hi)
    {
        ref double g = ref Unsafe.Add(ref MemoryMarshal.GetReference(G), offset);
        (Vector.LoadUnsafe(ref g) + lo).StoreUnsafe(ref g);
        (Vector.LoadUnsafe(ref g, (nuint)n) + hi).StoreUnsafe(ref g, (nuint)n);
    }
}
