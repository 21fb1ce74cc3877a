using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DaseCV.LinearAlgebra;

namespace DaseCV.LinearAlgebra.Kernels;

/// <summary>Rows of a <see cref="CenteredPixelMatrix"/> as doubles: <c>x[j] = pixel[j] − mean[j]</c> (j &lt; 3072), <c>x[3072] = 1</c>.</summary>
/// <remarks>
/// With AVX-512 bytes are widened and converted to doubles exactly (vcvtuqq2pd). The portable path widens bytes to 64-bit
/// integers and turns each into the double <c>2⁵² + p</c> by setting the exponent bits, then subtracts 2⁵²: exact
/// for any byte, with no integer-to-double instruction needed. The mean is
/// then subtracted with one rounding, as the scalar <c>(double)pixel − mean</c> does, so both paths give the same bits.
/// </remarks>
internal static class CenteredPixels
{
    private const int P = CenteredPixelMatrix.PixelCount;

    // 2⁵² as a double and its bit pattern: OR-ing a small integer into the mantissa gives 2⁵² + that integer.
    private const double TwoPow52 = 4503599627370496.0;
    private const ulong TwoPow52Bits = 0x4330000000000000;

    /// <summary>Writes one row: <c>destination[j] = pixels[j] − mean[j]</c> for j &lt; 3072 and <c>destination[3072] = 1</c>.</summary>
    /// <param name="pixels">One image, 3072 bytes.</param>
    /// <param name="mean">The mean image, 3072 doubles.</param>
    /// <param name="destination">3073 doubles, overwritten.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CopyRow(ReadOnlySpan<byte> pixels, ReadOnlySpan<double> mean, Span<double> destination)
    {
        pixels = pixels[..P];
        mean = mean[..P];
        destination = destination[..(P + 1)];
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // 64 bytes at a time: widened to 4 × 16 uints, each to 2 × 8 ulongs, each to 8 exact doubles.
            ref byte p = ref MemoryMarshal.GetReference(pixels);
            ref double m = ref MemoryMarshal.GetReference(mean);
            ref double d = ref MemoryMarshal.GetReference(destination);
            for (; k <= P - 64; k += 64)
            {
                var (lo, hi) = Vector512.Widen(Vector512.LoadUnsafe(ref p, (nuint)k));
                var (u0, u1) = Vector512.Widen(lo);
                var (u2, u3) = Vector512.Widen(hi);
                Store512(u0, ref m, ref d, k);
                Store512(u1, ref m, ref d, k + 16);
                Store512(u2, ref m, ref d, k + 32);
                Store512(u3, ref m, ref d, k + 48);
            }
        }
        else if (Vector.IsHardwareAccelerated)
        {
            ref byte p = ref MemoryMarshal.GetReference(pixels);
            ref double m = ref MemoryMarshal.GetReference(mean);
            ref double d = ref MemoryMarshal.GetReference(destination);
            int step = Vector<byte>.Count, quarter = Vector<uint>.Count;
            for (; k <= P - step; k += step)
            {
                Vector.Widen(Vector.LoadUnsafe(ref p, (nuint)k), out Vector<ushort> lo, out Vector<ushort> hi);
                Vector.Widen(lo, out Vector<uint> u0, out Vector<uint> u1);
                Vector.Widen(hi, out Vector<uint> u2, out Vector<uint> u3);
                StoreQuarter(u0, ref m, ref d, k);
                StoreQuarter(u1, ref m, ref d, k + quarter);
                StoreQuarter(u2, ref m, ref d, k + 2 * quarter);
                StoreQuarter(u3, ref m, ref d, k + 3 * quarter);
            }
        }
        for (; k < P; k++) destination[k] = pixels[k] - mean[k];
        destination[P] = 1.0;
    }

    /// <summary>Writes the rows <paramref name="start"/> … start+count−1 of the pixel matrix into a row-major (count, 3073) buffer.</summary>
    public static void CopyRows(byte[] pixels, double[] mean, int start, int count, Span<double> destination)
    {
        for (int r = 0; r < count; r++)
            CopyRow(pixels.AsSpan((start + r) * P, P), mean, destination.Slice(r * (P + 1), P + 1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(Vector512<uint> u, ref double m, ref double d, int k)
    {
        var (a, b) = Vector512.Widen(u);
        var da = Vector512.ConvertToDouble(a);  // exact: integers below 2⁵³
        var db = Vector512.ConvertToDouble(b);
        (da - Vector512.LoadUnsafe(ref m, (nuint)k)).StoreUnsafe(ref d, (nuint)k);
        (db - Vector512.LoadUnsafe(ref m, (nuint)(k + 8))).StoreUnsafe(ref d, (nuint)(k + 8));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreQuarter(Vector<uint> u, ref double m, ref double d, int k)
    {
        int half = Vector<ulong>.Count;
        Vector.Widen(u, out Vector<ulong> a, out Vector<ulong> b);
        var bits = new Vector<ulong>(TwoPow52Bits);
        var offset = new Vector<double>(TwoPow52);
        var da = Vector.AsVectorDouble(a | bits) - offset;
        var db = Vector.AsVectorDouble(b | bits) - offset;
        (da - Vector.LoadUnsafe(ref m, (nuint)k)).StoreUnsafe(ref d, (nuint)k);
        (db - Vector.LoadUnsafe(ref m, (nuint)(k + half))).StoreUnsafe(ref d, (nuint)(k + half));
    }
}
