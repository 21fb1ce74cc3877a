using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DaseCV.LinearAlgebra.Kernels;

/// <summary>
/// Matrix product on column-major arrays: <c>C = alpha·op(A)·op(B) + beta·C</c>, BLAS's dgemm.
/// </summary>
/// <remarks>
/// op(A) is (m, k), op(B) is (k, n), C is (m, n). Two register-blocked micro-kernels cover every transpose combination
/// without packing, which suits CS231n's tall-skinny shapes (n = C = 10 classes, k or m = D = 3073):
/// <list type="bullet">
/// <item><b>axpy</b> (A not transposed): vectors run down A's contiguous columns; each step adds a column of A times
/// a broadcast element of op(B) to a 2-vector × 10-column block of C with AVX-512 (32 registers), 2 × 5 with AVX2
/// (16), e.g. <c>X·W</c> on a column-major X.</item>
/// <item><b>dot</b> (A transposed, B not): op(A)'s rows and B's columns are both contiguous, so each element of a
/// 4 × 5 (AVX-512) or 2 × 5 (AVX2) block of C is a vector dot product, e.g. <c>Xᵀ·dS</c>.</item>
/// </list>
/// Aᵀ·Bᵀ copies B transposed first and takes the dot kernel. Large products split C's rows over the cores when no
/// other product is running (the tuning grid already trains on every core). Each element of C is computed by one
/// thread in a fixed order, so results do not depend on the number of threads.
/// </remarks>
internal static class Gemm
{
    /// <summary>Products below this many multiply-adds run on the calling thread.</summary>
    private const long ParallelThreshold = 1_000_000;

    /// <summary>Most threads one product uses (the benchmarks set 1 to time a single core).</summary>
    internal static int MaxThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>Products running now, process-wide: a product splits over the cores only when it is alone.</summary>
    private static int s_running;

    /// <summary>The operands of one product, as BLAS describes them.</summary>
    /// <remarks>
    /// op(A)[i, p] is <c>A[i + p·Lda]</c>, or <c>A[p + i·Lda]</c> when TransA; op(B)[p, j] is
    /// <c>B[BOffset + p·RowStrideB + j·ColumnStrideB]</c>; C[i, j] is <c>C[CRow0 + i + j·Ldc]</c>.
    /// </remarks>
    internal readonly record struct Operands(
        double[] A, int Lda, bool TransA, double[] B, long BOffset, int RowStrideB, int ColumnStrideB,
        double[] C, int CRow0, int Ldc, int M, int N, int K, double Alpha, double Beta)
    {
        /// <summary>Where op(A)[0, 0] is in A: the axpy kernel works through k in chunks.</summary>
        public long AOffset { get; init; }
    }

    /// <summary>
    /// The axpy kernel's chunk of k: its columns of A (for the rows one thread computes) stay in L2 across the blocks
    /// of C's columns, and touch few enough 4 KB pages for the TLB (a column-major (500, 3073) X puts each column on
    /// its own page: without chunks every step of k was a TLB miss, 10× slower).
    /// </summary>
    private const int AxpyChunkK = 256;

    /// <summary><c>C = alpha·op(A)·op(B) + beta·C</c> on column-major arrays, A (rowsA, colsA), B (rowsB, colsB).</summary>
    /// <exception cref="ArgumentException">The inner dimensions differ or an array is shorter than its shape.</exception>
    public static void Multiply(bool transA, bool transB, double alpha, double[] a, int rowsA, int columnsA,
        double[] b, int rowsB, int columnsB, double beta, double[] c)
    {
        int m = transA ? columnsA : rowsA, k = transA ? rowsA : columnsA;
        int kB = transB ? columnsB : rowsB, n = transB ? rowsB : columnsB;
        if (k != kB)
            throw new ArgumentException(
                $"op(A) is ({m}, {k}) but op(B) is ({kB}, {n}); the inner dimensions must agree.");
        if ((long)a.Length < (long)rowsA * columnsA || (long)b.Length < (long)rowsB * columnsB || (long)c.Length < (long)m * n)
            throw new ArgumentException(
                $"An array is shorter than its shape: A {a.Length} for ({rowsA}, {columnsA}), B {b.Length} for ({rowsB}, {columnsB}), C {c.Length} for ({m}, {n}).");
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0)
        {
            ScaleC(c.AsSpan(0, m * n), beta);
            return;
        }
        // kNN's X·XTrainᵀ on raw pixels: exact in int16 × int16 → int32, four times the double kernels' rate.
        if (!transA && transB && alpha == 1 && beta == 0 && PixelIntegerProducts.TryMultiplyTransposed(a, m, b, n, k, c))
            return;
        if (transA && transB)
        {
            // op(B)'s columns are strided here; a transposed copy of B (k × n, usually small) makes them contiguous.
            var bT = new double[(long)k * n];
            for (int p = 0; p < k; p++)
                for (int j = 0; j < n; j++)
                    bT[p + (long)j * k] = b[j + (long)p * rowsB];
            b = bT;
            transB = false;
            rowsB = k;
        }
        var operands = transB
            ? new Operands(a, rowsA, transA, b, 0, rowsB, 1, c, 0, m, m, n, k, alpha, beta)
            : new Operands(a, rowsA, transA, b, 0, 1, rowsB, c, 0, m, m, n, k, alpha, beta);
        Run(operands);
    }

    /// <summary>Runs a product on validated operands, split over the cores when it is large and alone.</summary>
    internal static void Run(in Operands o)
    {
        // Pieces are whole blocks of rows, so the split never changes which kernel computes an element.
        int blockRows = o.TransA ? (SimdWidth.Is512 ? 4 : 2) : 2 * (SimdWidth.Is512 ? 8 : 4);
        var operands = o;
        Split((o.M + blockRows - 1) / blockRows, (long)o.M * o.N * o.K,
            (from, to) => Rows(operands, from * blockRows, Math.Min(operands.M, to * blockRows)));
    }

    /// <summary>
    /// Runs <paramref name="body"/> on [0, units): shared between the cores in chunks (a quarter of a core's share each)
    /// when the product is large and no other product runs, else on the calling thread. Each unit is computed whole by
    /// one thread.
    /// </summary>
    /// <param name="units">Independent pieces of the result (blocks of its rows).</param>
    /// <param name="multiplyAdds">The product's size, to leave small ones on one thread.</param>
    /// <param name="body">Computes units [from, to).</param>
    internal static void Split(int units, long multiplyAdds, Action<int, int> body)
    {
        int ways = Math.Min(MaxThreads, units);
        // Small products neither split nor count as running: they end in microseconds.
        if (ways < 2 || multiplyAdds < ParallelThreshold)
        {
            body(0, units);
            return;
        }
        int running = Interlocked.Increment(ref s_running);
        try
        {
            if (running > 1)
                body(0, units);
            else
                ProductThreads.Share(units, chunk: Math.Max(1, units / (4 * ways)), ways, body);
        }
        finally
        {
            Interlocked.Decrement(ref s_running);
        }
    }

    /// <summary>Rows [from, to) of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Rows(in Operands o, int from, int to)
    {
        if (o.TransA)
        {
            if (Vector512.IsHardwareAccelerated) DotRows<Vector512<double>, Simd512>(o, from, to);
            else DotRows<Vector256<double>, Simd256>(o, from, to);
            return;
        }
        // C = alpha·A·op(B) + beta·C, one chunk of k at a time: the first chunk applies beta, the others add.
        for (int p0 = 0; p0 < o.K; p0 += AxpyChunkK)
        {
            var chunk = o with
            {
                AOffset = o.AOffset + (long)p0 * o.Lda,
                BOffset = o.BOffset + (long)p0 * o.RowStrideB,
                K = Math.Min(AxpyChunkK, o.K - p0),
                Beta = p0 == 0 ? o.Beta : 1.0,
            };
            if (Vector512.IsHardwareAccelerated) AxpyRows<Vector512<double>, Simd512>(chunk, from, to);
            else AxpyRows<Vector256<double>, Simd256>(chunk, from, to);
        }
    }

    private static void ScaleC(Span<double> c, double beta)
    {
        if (beta == 0) c.Clear();  // BLAS: with beta = 0, C is not read (NaN in it does not propagate)
        else if (beta != 1) TensorPrimitives.Multiply(c, beta, c);
    }

    /// <summary>C[i, j] = alpha·acc + beta·C[i, j] for one vector of rows starting at <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreVector<TV, S>(TV acc, ref double c, nint offset, double alpha, double beta)
        where TV : struct where S : ISimd<TV>
    {
        var value = S.Multiply(acc, S.Broadcast(alpha));
        if (beta != 0) value = S.MultiplyAdd(S.Load(ref c, offset), S.Broadcast(beta), value);
        S.Store(value, ref c, offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreScalar(double acc, double[] c, long index, double alpha, double beta) =>
        c[index] = beta == 0 ? alpha * acc : alpha * acc + beta * c[index];

    // ---- axpy kernel: A column-major and not transposed; vectors run down C's (and A's) columns --------------------

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AxpyRows<TV, S>(in Operands o, int from, int to) where TV : struct where S : ISimd<TV>
    {
        int W = S.Count, n = o.N;
        int i = from;
        for (; i + 2 * W <= to; i += 2 * W)
        {
            int j = 0;
            // 32 registers (AVX-512) hold a 2 × 10 block: A's vectors are loaded once for CS231n's ten classes.
            if (W == 8)
                for (; j + 10 <= n; j += 10) Axpy2x10<TV, S>(o, i, j);
            for (; j + 5 <= n; j += 5) Axpy2x5<TV, S>(o, i, j);
            for (; j < n; j++) Axpy2x1<TV, S>(o, i, j);
        }
        for (; i + W <= to; i += W)
            for (int j = 0; j < n; j++) Axpy1x1<TV, S>(o, i, j);
        if (i < to) AxpyTail<TV, S>(o, i, to - i);
    }

    /// <summary>
    /// The last <paramref name="rows"/> &lt; W rows: copied once into a zero-padded (k, W) panel so that they too run
    /// as vectors (row by row, each k-step would touch a new cache line of A for a single element).
    /// </summary>
    private static void AxpyTail<TV, S>(in Operands o, int i, int rows) where TV : struct where S : ISimd<TV>
    {
        int W = S.Count;
        var panel = new double[(long)o.K * W];
        for (int p = 0; p < o.K; p++)
            for (int r = 0; r < rows; r++) panel[p * W + r] = o.A[o.AOffset + i + r + (long)p * o.Lda];
        Span<double> sums = stackalloc double[W];
        for (int j = 0; j < o.N; j++)
        {
            TV acc = S.Zero;
            long bIndex = o.BOffset + (long)j * o.ColumnStrideB;
            for (int p = 0; p < o.K; p++, bIndex += o.RowStrideB)
                acc = S.MultiplyAdd(S.Load(ref panel[0], (nint)p * W), S.Broadcast(o.B[bIndex]), acc);
            S.Store(acc, ref sums[0], 0);
            for (int r = 0; r < rows; r++) StoreScalar(sums[r], o.C, o.CRow0 + i + r + (long)j * o.Ldc, o.Alpha, o.Beta);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy2x5<TV, S>(in Operands o, int i, int j) where TV : struct where S : ISimd<TV>
    {
        int W = S.Count;
        nint lda = o.Lda, rs = o.RowStrideB, cs = o.ColumnStrideB;
        ref double a = ref o.A[o.AOffset + i];
        ref double b = ref o.B[o.BOffset + j * cs];
        TV c00 = S.Zero, c01 = S.Zero, c02 = S.Zero, c03 = S.Zero, c04 = S.Zero;
        TV c10 = S.Zero, c11 = S.Zero, c12 = S.Zero, c13 = S.Zero, c14 = S.Zero;
        nint aOffset = 0, bOffset = 0;
        for (int p = 0; p < o.K; p++, aOffset += lda, bOffset += rs)
        {
            TV a0 = S.Load(ref a, aOffset), a1 = S.Load(ref a, aOffset + W);
            ref double bp = ref Unsafe.Add(ref b, bOffset);
            TV x = S.Broadcast(bp);
            c00 = S.MultiplyAdd(a0, x, c00); c10 = S.MultiplyAdd(a1, x, c10);
            x = S.Broadcast(Unsafe.Add(ref bp, cs));
            c01 = S.MultiplyAdd(a0, x, c01); c11 = S.MultiplyAdd(a1, x, c11);
            x = S.Broadcast(Unsafe.Add(ref bp, 2 * cs));
            c02 = S.MultiplyAdd(a0, x, c02); c12 = S.MultiplyAdd(a1, x, c12);
            x = S.Broadcast(Unsafe.Add(ref bp, 3 * cs));
            c03 = S.MultiplyAdd(a0, x, c03); c13 = S.MultiplyAdd(a1, x, c13);
            x = S.Broadcast(Unsafe.Add(ref bp, 4 * cs));
            c04 = S.MultiplyAdd(a0, x, c04); c14 = S.MultiplyAdd(a1, x, c14);
        }
        ref double c = ref o.C[o.CRow0 + i];
        nint m = o.Ldc, col = (nint)j * m;
        double alpha = o.Alpha, beta = o.Beta;
        StoreVector<TV, S>(c00, ref c, col, alpha, beta); StoreVector<TV, S>(c10, ref c, col + W, alpha, beta); col += m;
        StoreVector<TV, S>(c01, ref c, col, alpha, beta); StoreVector<TV, S>(c11, ref c, col + W, alpha, beta); col += m;
        StoreVector<TV, S>(c02, ref c, col, alpha, beta); StoreVector<TV, S>(c12, ref c, col + W, alpha, beta); col += m;
        StoreVector<TV, S>(c03, ref c, col, alpha, beta); StoreVector<TV, S>(c13, ref c, col + W, alpha, beta); col += m;
        StoreVector<TV, S>(c04, ref c, col, alpha, beta); StoreVector<TV, S>(c14, ref c, col + W, alpha, beta);
    }

    /// <summary>
    /// <c>C[i:i+2W, j:j+10] = alpha·A[i:i+2W, :]·op(B)[:, j:j+10] + beta·C</c>: 20 accumulators, two vectors of A and one
    /// broadcast of B live, 23 of AVX-512's 32 registers.
    /// </summary>
    /// <remarks>The axpy micro-kernel (dgemm's "NN" inner kernel without packing) for 512-bit vectors.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy2x10<TV, S>(in Operands o, int i, int j) where TV : struct where S : ISimd<TV>
    {
        int W = S.Count;
        nint lda = o.Lda, rs = o.RowStrideB, cs = o.ColumnStrideB;
        ref double a = ref o.A[o.AOffset + i];
        ref double b = ref o.B[o.BOffset + j * cs];
        TV c00 = S.Zero, c01 = S.Zero, c02 = S.Zero, c03 = S.Zero, c04 = S.Zero, c05 = S.Zero, c06 = S.Zero, c07 = S.Zero, c08 = S.Zero, c09 = S.Zero;
        TV c10 = S.Zero, c11 = S.Zero, c12 = S.Zero, c13 = S.Zero, c14 = S.Zero, c15 = S.Zero, c16 = S.Zero, c17 = S.Zero, c18 = S.Zero, c19 = S.Zero;
        nint aOffset = 0, bOffset = 0;
        for (int p = 0; p < o.K; p++, aOffset += lda, bOffset += rs)
        {
            TV a0 = S.Load(ref a, aOffset), a1 = S.Load(ref a, aOffset + W);
            ref double bp = ref Unsafe.Add(ref b, bOffset);
            TV x = S.Broadcast(bp);
            c00 = S.MultiplyAdd(a0, x, c00); c10 = S.MultiplyAdd(a1, x, c10);
            x = S.Broadcast(Unsafe.Add(ref bp, cs));
            c01 = S.MultiplyAdd(a0, x, c01); c11 = S.MultiplyAdd(a1, x, c11);
            x = S.Broadcast(Unsafe.Add(ref bp, 2 * cs));
            c02 = S.MultiplyAdd(a0, x, c02); c12 = S.MultiplyAdd(a1, x, c12);
            x = S.Broadcast(Unsafe.Add(ref bp, 3 * cs));
            c03 = S.MultiplyAdd(a0, x, c03); c13 = S.MultiplyAdd(a1, x, c13);
            x = S.Broadcast(Unsafe.Add(ref bp, 4 * cs));
            c04 = S.MultiplyAdd(a0, x, c04); c14 = S.MultiplyAdd(a1, x, c14);
            x = S.Broadcast(Unsafe.Add(ref bp, 5 * cs));
            c05 = S.MultiplyAdd(a0, x, c05); c15 = S.MultiplyAdd(a1, x, c15);
            x = S.Broadcast(Unsafe.Add(ref bp, 6 * cs));
            c06 = S.MultiplyAdd(a0, x, c06); c16 = S.MultiplyAdd(a1, x, c16);
            x = S.Broadcast(Unsafe.Add(ref bp, 7 * cs));
            c07 = S.MultiplyAdd(a0, x, c07); c17 = S.MultiplyAdd(a1, x, c17);
            x = S.Broadcast(Unsafe.Add(ref bp, 8 * cs));
            c08 = S.MultiplyAdd(a0, x, c08); c18 = S.MultiplyAdd(a1, x, c18);
            x = S.Broadcast(Unsafe.Add(ref bp, 9 * cs));
            c09 = S.MultiplyAdd(a0, x, c09); c19 = S.MultiplyAdd(a1, x, c19);
        }
        ref double c = ref o.C[o.CRow0 + i];
        nint m = o.Ldc, col = (nint)j * m;
        double alpha = o.Alpha, beta = o.Beta;
        StoreVector<TV, S>(c00, ref c, col, alpha, beta); StoreVector<TV, S>(c10, ref c, col + W, alpha, beta); col += m;
        StoreVector<TV, S>(c01, ref c, col, alpha, beta); StoreVector<TV, S>(c11, ref c, col + W, alpha, beta); col += m;
        StoreVector<TV, S>(c02, ref c, col, alpha, beta); StoreVector<TV, S>(c12, ref c, col + W, alpha, beta); col += m;
        StoreVector<TV, S>(c03, ref c, col, alpha, beta); StoreVector<TV, S>(c13, ref c, col + W, alpha, beta); col += m;
        StoreVector<TV, S>(c04, ref c, col, alpha, beta); StoreVector<TV, S>(c14, ref c, col + W, alpha, beta); col += m;
        StoreVector<TV, S>(c05, ref c, col, alpha, beta); StoreVector<TV, S>(c15, ref c, col + W, alpha, beta); col += m;
        StoreVector<TV, S>(c06, ref c, col, alpha, beta); StoreVector<TV, S>(c16, ref c, col + W, alpha, beta); col += m;
        StoreVector<TV, S>(c07, ref c, col, alpha, beta); StoreVector<TV, S>(c17, ref c, col + W, alpha, beta); col += m;
        StoreVector<TV, S>(c08, ref c, col, alpha, beta); StoreVector<TV, S>(c18, ref c, col + W, alpha, beta); col += m;
        StoreVector<TV, S>(c09, ref c, col, alpha, beta); StoreVector<TV, S>(c19, ref c, col + W, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy2x1<TV, S>(in Operands o, int i, int j) where TV : struct where S : ISimd<TV>
    {
        int W = S.Count;
        nint lda = o.Lda, rs = o.RowStrideB;
        ref double a = ref o.A[o.AOffset + i];
        ref double b = ref o.B[o.BOffset + (long)j * o.ColumnStrideB];
        TV c0 = S.Zero, c1 = S.Zero;
        nint aOffset = 0, bOffset = 0;
        for (int p = 0; p < o.K; p++, aOffset += lda, bOffset += rs)
        {
            TV x = S.Broadcast(Unsafe.Add(ref b, bOffset));
            c0 = S.MultiplyAdd(S.Load(ref a, aOffset), x, c0);
            c1 = S.MultiplyAdd(S.Load(ref a, aOffset + W), x, c1);
        }
        nint col = (nint)j * o.Ldc;
        StoreVector<TV, S>(c0, ref o.C[o.CRow0 + i], col, o.Alpha, o.Beta);
        StoreVector<TV, S>(c1, ref o.C[o.CRow0 + i], col + W, o.Alpha, o.Beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy1x1<TV, S>(in Operands o, int i, int j) where TV : struct where S : ISimd<TV>
    {
        nint lda = o.Lda, rs = o.RowStrideB;
        ref double a = ref o.A[o.AOffset + i];
        ref double b = ref o.B[o.BOffset + (long)j * o.ColumnStrideB];
        TV c0 = S.Zero;
        nint aOffset = 0, bOffset = 0;
        for (int p = 0; p < o.K; p++, aOffset += lda, bOffset += rs)
            c0 = S.MultiplyAdd(S.Load(ref a, aOffset), S.Broadcast(Unsafe.Add(ref b, bOffset)), c0);
        StoreVector<TV, S>(c0, ref o.C[o.CRow0 + i], (nint)j * o.Ldc, o.Alpha, o.Beta);
    }

    // ---- dot kernel: op(A) = Aᵀ (its rows contiguous) and B's columns contiguous ------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotRows<TV, S>(in Operands o, int from, int to) where TV : struct where S : ISimd<TV>
    {
        int n = o.N;
        int i = from;
        // 32 registers (AVX-512) hold a 4 × 5 block: 9 loads per 20 multiply-adds instead of 7 per 10. Each element
        // is summed in the same order by either kernel, so which one computes it never changes a result.
        if (S.Count == 8)
            for (; i + 4 <= to; i += 4)
            {
                int j = 0;
                for (; j + 5 <= n; j += 5) Dot4x5<TV, S>(o, i, j);
                for (; j < n; j++)
                    for (int r = 0; r < 4; r++) DotScalar(o, i + r, j);
            }
        for (; i + 2 <= to; i += 2)
        {
            int j = 0;
            for (; j + 5 <= n; j += 5) Dot2x5<TV, S>(o, i, j);
            for (; j < n; j++)
            {
                DotScalar(o, i, j);
                DotScalar(o, i + 1, j);
            }
        }
        for (; i < to; i++)
            for (int j = 0; j < n; j++) DotScalar(o, i, j);
    }

    /// <summary>
    /// <c>C[i:i+4, j:j+5] = alpha·Aᵀ[i:i+4, :]·B[:, j:j+5] + beta·C</c>, each element a vector dot product: 20
    /// accumulators, four vectors of Aᵀ's rows and one of B's column live, 25 of AVX-512's 32 registers.
    /// </summary>
    /// <remarks>The dot micro-kernel (dgemm's "TN" case without packing) for 512-bit vectors.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x5<TV, S>(in Operands o, int i, int j) where TV : struct where S : ISimd<TV>
    {
        int W = S.Count, k = o.K;
        nint ldb = o.ColumnStrideB;
        ref double a0 = ref o.A[(long)i * o.Lda];
        ref double a1 = ref o.A[(long)(i + 1) * o.Lda];
        ref double a2 = ref o.A[(long)(i + 2) * o.Lda];
        ref double a3 = ref o.A[(long)(i + 3) * o.Lda];
        ref double b0 = ref o.B[o.BOffset + (long)j * ldb];
        ref double b1 = ref Unsafe.Add(ref b0, ldb);
        ref double b2 = ref Unsafe.Add(ref b1, ldb);
        ref double b3 = ref Unsafe.Add(ref b2, ldb);
        ref double b4 = ref Unsafe.Add(ref b3, ldb);
        TV c00 = S.Zero, c01 = S.Zero, c02 = S.Zero, c03 = S.Zero, c04 = S.Zero;
        TV c10 = S.Zero, c11 = S.Zero, c12 = S.Zero, c13 = S.Zero, c14 = S.Zero;
        TV c20 = S.Zero, c21 = S.Zero, c22 = S.Zero, c23 = S.Zero, c24 = S.Zero;
        TV c30 = S.Zero, c31 = S.Zero, c32 = S.Zero, c33 = S.Zero, c34 = S.Zero;
        nint p = 0;
        for (; p + W <= k; p += W)
        {
            TV x0 = S.Load(ref a0, p), x1 = S.Load(ref a1, p), x2 = S.Load(ref a2, p), x3 = S.Load(ref a3, p);
            TV y = S.Load(ref b0, p);
            c00 = S.MultiplyAdd(x0, y, c00); c10 = S.MultiplyAdd(x1, y, c10); c20 = S.MultiplyAdd(x2, y, c20); c30 = S.MultiplyAdd(x3, y, c30);
            y = S.Load(ref b1, p);
            c01 = S.MultiplyAdd(x0, y, c01); c11 = S.MultiplyAdd(x1, y, c11); c21 = S.MultiplyAdd(x2, y, c21); c31 = S.MultiplyAdd(x3, y, c31);
            y = S.Load(ref b2, p);
            c02 = S.MultiplyAdd(x0, y, c02); c12 = S.MultiplyAdd(x1, y, c12); c22 = S.MultiplyAdd(x2, y, c22); c32 = S.MultiplyAdd(x3, y, c32);
            y = S.Load(ref b3, p);
            c03 = S.MultiplyAdd(x0, y, c03); c13 = S.MultiplyAdd(x1, y, c13); c23 = S.MultiplyAdd(x2, y, c23); c33 = S.MultiplyAdd(x3, y, c33);
            y = S.Load(ref b4, p);
            c04 = S.MultiplyAdd(x0, y, c04); c14 = S.MultiplyAdd(x1, y, c14); c24 = S.MultiplyAdd(x2, y, c24); c34 = S.MultiplyAdd(x3, y, c34);
        }
        Span<double> sums =
        [
            S.Sum(c00), S.Sum(c01), S.Sum(c02), S.Sum(c03), S.Sum(c04),
            S.Sum(c10), S.Sum(c11), S.Sum(c12), S.Sum(c13), S.Sum(c14),
            S.Sum(c20), S.Sum(c21), S.Sum(c22), S.Sum(c23), S.Sum(c24),
            S.Sum(c30), S.Sum(c31), S.Sum(c32), S.Sum(c33), S.Sum(c34),
        ];
        // The tail p < k element by element, as Dot2x5 does it: the same order of additions for every element.
        for (; p < k; p++)
        {
            double x0 = Unsafe.Add(ref a0, p), x1 = Unsafe.Add(ref a1, p), x2 = Unsafe.Add(ref a2, p), x3 = Unsafe.Add(ref a3, p);
            for (int jj = 0; jj < 5; jj++)
            {
                double y = Unsafe.Add(ref b0, jj * ldb + p);
                sums[jj] = Math.FusedMultiplyAdd(x0, y, sums[jj]);
                sums[5 + jj] = Math.FusedMultiplyAdd(x1, y, sums[5 + jj]);
                sums[10 + jj] = Math.FusedMultiplyAdd(x2, y, sums[10 + jj]);
                sums[15 + jj] = Math.FusedMultiplyAdd(x3, y, sums[15 + jj]);
            }
        }
        long ldc = o.Ldc, c0 = o.CRow0 + i;
        for (int r = 0; r < 4; r++)
            for (int jj = 0; jj < 5; jj++)
                StoreScalar(sums[5 * r + jj], o.C, c0 + r + (j + jj) * ldc, o.Alpha, o.Beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot2x5<TV, S>(in Operands o, int i, int j) where TV : struct where S : ISimd<TV>
    {
        int W = S.Count, k = o.K;
        nint ldb = o.ColumnStrideB;
        ref double a0 = ref o.A[(long)i * o.Lda];
        ref double a1 = ref o.A[(long)(i + 1) * o.Lda];
        ref double b0 = ref o.B[o.BOffset + (long)j * ldb];
        ref double b1 = ref Unsafe.Add(ref b0, ldb);
        ref double b2 = ref Unsafe.Add(ref b1, ldb);
        ref double b3 = ref Unsafe.Add(ref b2, ldb);
        ref double b4 = ref Unsafe.Add(ref b3, ldb);
        TV c00 = S.Zero, c01 = S.Zero, c02 = S.Zero, c03 = S.Zero, c04 = S.Zero;
        TV c10 = S.Zero, c11 = S.Zero, c12 = S.Zero, c13 = S.Zero, c14 = S.Zero;
        nint p = 0;
        for (; p + W <= k; p += W)
        {
            TV x0 = S.Load(ref a0, p), x1 = S.Load(ref a1, p);
            TV y = S.Load(ref b0, p);
            c00 = S.MultiplyAdd(x0, y, c00); c10 = S.MultiplyAdd(x1, y, c10);
            y = S.Load(ref b1, p);
            c01 = S.MultiplyAdd(x0, y, c01); c11 = S.MultiplyAdd(x1, y, c11);
            y = S.Load(ref b2, p);
            c02 = S.MultiplyAdd(x0, y, c02); c12 = S.MultiplyAdd(x1, y, c12);
            y = S.Load(ref b3, p);
            c03 = S.MultiplyAdd(x0, y, c03); c13 = S.MultiplyAdd(x1, y, c13);
            y = S.Load(ref b4, p);
            c04 = S.MultiplyAdd(x0, y, c04); c14 = S.MultiplyAdd(x1, y, c14);
        }
        Span<double> sums =
        [
            S.Sum(c00), S.Sum(c01), S.Sum(c02), S.Sum(c03), S.Sum(c04),
            S.Sum(c10), S.Sum(c11), S.Sum(c12), S.Sum(c13), S.Sum(c14),
        ];
        for (; p < k; p++)
        {
            double x0 = Unsafe.Add(ref a0, p), x1 = Unsafe.Add(ref a1, p);
            for (int jj = 0; jj < 5; jj++)
            {
                double y = Unsafe.Add(ref b0, jj * ldb + p);
                sums[jj] = Math.FusedMultiplyAdd(x0, y, sums[jj]);
                sums[5 + jj] = Math.FusedMultiplyAdd(x1, y, sums[5 + jj]);
            }
        }
        long ldc = o.Ldc, c0 = o.CRow0 + i;
        for (int jj = 0; jj < 5; jj++)
        {
            StoreScalar(sums[jj], o.C, c0 + (j + jj) * ldc, o.Alpha, o.Beta);
            StoreScalar(sums[5 + jj], o.C, c0 + 1 + (j + jj) * ldc, o.Alpha, o.Beta);
        }
    }

    private static void DotScalar(in Operands o, int i, int j)
    {
        var row = o.A.AsSpan((int)((long)i * o.Lda), o.K);
        var column = o.B.AsSpan((int)(o.BOffset + (long)j * o.ColumnStrideB), o.K);
        StoreScalar(TensorPrimitives.Dot(row, column), o.C, o.CRow0 + i + (long)j * o.Ldc, o.Alpha, o.Beta);
    }
}
