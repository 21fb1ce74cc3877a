using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DaseCV.LinearAlgebra.Kernels;

/// <summary>
/// <c>C = A·Bᵀ</c> on column-major arrays whose elements are all integers in [−255, 255], such as kNN's raw pixels
/// (<c>X.TransposeAndMultiply(XTrain)</c>, the no-loop distances): int16 products summed in int32, 16 multiply-adds
/// per AVX2 instruction (<c>vpmaddwd</c>) instead of 4, from arrays a quarter the size.
/// </summary>
/// <remarks>
/// <para>Exact, and so bit for bit what the double kernels give: each product is at most 255² = 65025 and k ≤ 33025
/// keeps every partial sum below 2³¹, so the int32 sum is the exact value; the double kernels' sums of the same
/// products are exact too (every partial sum is an integer below 2⁵³), whatever their order.</para>
/// <para>The check costs one pass over A and B, which also converts them (row-major int16, k padded to 16); it stops at
/// the first element that is not such an integer, which for mean-centred data is the first one. Used only for products
/// large enough that this pass is small beside them.</para>
/// <para>The kernel is the dot micro-kernel of <see cref="Gemm"/> (2 rows × 4 columns of C, each a dot product along
/// k), over blocks of 96 columns of C so that their rows of B stay in L2 while every row of A passes.</para>
/// </remarks>
internal static class PixelIntegerProducts
{
    /// <summary>The largest |element| taken: 255, a byte.</summary>
    private const int MaxMagnitude = 255;

    /// <summary>The largest k whose sums cannot overflow int32: ⌊(2³¹ − 1) / 255²⌋.</summary>
    private const int MaxK = int.MaxValue / (MaxMagnitude * MaxMagnitude);

    /// <summary>Columns of C per block: 96 rows of B (6 KB each for CIFAR-10, 576 KB) stay in L2 while every row of A passes.</summary>
    private const int BlockColumns = 96;

    /// <summary>Whether <see cref="TryMultiplyTransposed"/> can run here at all.</summary>
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>
    /// <c>C = A·Bᵀ</c>, A (m, k) and B (n, k) column-major, C (m, n) column-major; false (C untouched) when the shapes are
    /// small or an element is not an integer in [−255, 255].
    /// </summary>
    public static bool TryMultiplyTransposed(double[] a, int m, double[] b, int n, int k, double[] c)
    {
        if (!IsSupported || m < 16 || n < 16 || k < 64 || k > MaxK) return false;
        int kPadded = (k + 15) & ~15;
        var aRows = new short[(long)m * kPadded];
        if (!TryConvert(a, m, k, aRows, kPadded)) return false;
        var bRows = new short[(long)n * kPadded];
        if (!TryConvert(b, n, k, bRows, kPadded)) return false;
        int blocks = (n + BlockColumns - 1) / BlockColumns;
        // Block by block: a thread's share of blocks at once would stream all of its rows of B (megabytes) past every
        // pair of rows of A.
        Gemm.Split(blocks, (long)m * n * k, (from, to) =>
        {
            for (int block = from; block < to; block++)
                Columns(aRows, m, bRows, n, kPadded, c, block * BlockColumns, Math.Min(n, (block + 1) * BlockColumns));
        });
        return true;
    }

    /// <summary>
    /// Copies column-major (rows, k) into row-major int16 rows of length kPadded, over the cores; false when an element
    /// does not fit (the copy is then abandoned).
    /// </summary>
    private static bool TryConvert(double[] source, int rows, int k, short[] destination, int kPadded)
    {
        // Blocks of 64 rows: each step of p reads 512 contiguous bytes of a column and writes one int16 into each of 64
        // rows, whose cache lines (64 rows × kPadded int16) stay in L2 for the whole block.
        const int blockRows = 64;
        int blocks = (rows + blockRows - 1) / blockRows, failed = 0;
        Gemm.Split(blocks, (long)rows * k * 16, (from, to) =>  // weighed like a product: over the cores from 64K elements
        {
            if (!ConvertBlocks(source, rows, k, destination, kPadded, blockRows, from, to, ref failed)) Volatile.Write(ref failed, 1);
        });
        return failed == 0;
    }

    /// <summary>Blocks [from, to) of <see cref="TryConvert"/>; false at an element that does not fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool ConvertBlocks(double[] source, int rows, int k, short[] destination, int kPadded, int blockRows,
        int from, int to, ref int failed)
    {
        for (int block = from; block < to && Volatile.Read(ref failed) == 0; block++)
        {
            int i0 = block * blockRows, count = Math.Min(blockRows, rows - i0);
            for (int p = 0; p < k; p++)
            {
                var column = source.AsSpan(p * rows + i0, count);
                for (int r = 0; r < column.Length; r++)
                {
                    double v = column[r];
                    int integer = (int)v;
                    // NaN, infinities and anything outside [−255, 255] or with a fraction fail here.
                    if (!(v >= -MaxMagnitude && v <= MaxMagnitude) || integer != v) return false;
                    destination[(long)(i0 + r) * kPadded + p] = (short)integer;
                }
            }
        }
        return true;
    }

    /// <summary>Columns [from, to) of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Columns(short[] a, int m, short[] b, int n, int kPadded, double[] c, int from, int to)
    {
        int i = 0;
        for (; i + 2 <= m; i += 2)
        {
            int j = from;
            for (; j + 4 <= to; j += 4) Dot2x4(a, b, kPadded, c, m, i, j);
            for (; j < to; j++)
            {
                c[i + (long)j * m] = Dot(a, i, b, j, kPadded);
                c[i + 1 + (long)j * m] = Dot(a, i + 1, b, j, kPadded);
            }
        }
        for (; i < m; i++)
            for (int j = from; j < to; j++) c[i + (long)j * m] = Dot(a, i, b, j, kPadded);
    }

    /// <summary>C[i:i+2, j:j+4]: 8 int32 accumulators, two rows of A and one of B live, 11 of AVX2's 16 registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot2x4(short[] a, short[] b, int kPadded, double[] c, int m, int i, int j)
    {
        ref short a0 = ref a[(long)i * kPadded];
        ref short a1 = ref Unsafe.Add(ref a0, kPadded);
        ref short b0 = ref b[(long)j * kPadded];
        ref short b1 = ref Unsafe.Add(ref b0, kPadded);
        ref short b2 = ref Unsafe.Add(ref b1, kPadded);
        ref short b3 = ref Unsafe.Add(ref b2, kPadded);
        Vector256<int> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector256<int> c10 = default, c11 = default, c12 = default, c13 = default;
        for (nuint p = 0; p < (nuint)kPadded; p += 16)
        {
            var x0 = Vector256.LoadUnsafe(ref a0, p);
            var x1 = Vector256.LoadUnsafe(ref a1, p);
            var y = Vector256.LoadUnsafe(ref b0, p);
            c00 = Avx2.Add(c00, Avx2.MultiplyAddAdjacent(x0, y));
            c10 = Avx2.Add(c10, Avx2.MultiplyAddAdjacent(x1, y));
            y = Vector256.LoadUnsafe(ref b1, p);
            c01 = Avx2.Add(c01, Avx2.MultiplyAddAdjacent(x0, y));
            c11 = Avx2.Add(c11, Avx2.MultiplyAddAdjacent(x1, y));
            y = Vector256.LoadUnsafe(ref b2, p);
            c02 = Avx2.Add(c02, Avx2.MultiplyAddAdjacent(x0, y));
            c12 = Avx2.Add(c12, Avx2.MultiplyAddAdjacent(x1, y));
            y = Vector256.LoadUnsafe(ref b3, p);
            c03 = Avx2.Add(c03, Avx2.MultiplyAddAdjacent(x0, y));
            c13 = Avx2.Add(c13, Avx2.MultiplyAddAdjacent(x1, y));
        }
        long column = (long)j * m + i;
        c[column] = Vector256.Sum(c00);
        c[column + 1] = Vector256.Sum(c10);
        c[column + m] = Vector256.Sum(c01);
        c[column + m + 1] = Vector256.Sum(c11);
        c[column + 2L * m] = Vector256.Sum(c02);
        c[column + 2L * m + 1] = Vector256.Sum(c12);
        c[column + 3L * m] = Vector256.Sum(c03);
        c[column + 3L * m + 1] = Vector256.Sum(c13);
    }

    private static double Dot(short[] a, int i, short[] b, int j, int kPadded)
    {
        ref short x = ref a[(long)i * kPadded];
        ref short y = ref b[(long)j * kPadded];
        Vector256<int> sum = default;
        for (nuint p = 0; p < (nuint)kPadded; p += 16)
            sum = Avx2.Add(sum, Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref x, p), Vector256.LoadUnsafe(ref y, p)));
        return Vector256.Sum(sum);
    }
}
