using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace DaseCV.Kernels;

/// <summary>Minibatch gather: copies chosen rows of a row-major matrix into a dense buffer, one contiguous copy per row.</summary>
internal static class RowGather
{
    // A batch of 200 CIFAR rows is 4.9 MB read from memory at random: two cores keep more reads in flight than one.
    private const long ParallelThreshold = 1 << 18;

    /// <summary>
    /// <c>destination[b, :] = source[rows[b], :]</c> for every b, split over cores when large; each copied row is
    /// checked for NaN and infinity while it is still in cache.
    /// </summary>
    /// <param name="source">Row-major (N, D).</param>
    /// <param name="D">Row length.</param>
    /// <param name="rows">Row indices into source, each in [0, N).</param>
    /// <param name="destination">Row-major (rows.Length, D), overwritten.</param>
    /// <param name="split">Number of row ranges to split over; null picks from the idle cores.</param>
    /// <returns>The first position b whose row holds NaN or infinity, or −1.</returns>
    public static int Gather(double[] source, int D, int[] rows, double[] destination, int? split = null) =>
        Split(rows.Length, D, split, (start, end) => GatherRange(source, D, rows, destination, start, end));

    /// <summary>
    /// <c>destination[b, :] = (pixels[rows[b], :] − mean, 1)</c> for every b: the rows of a
    /// <see cref="LinearAlgebra.CenteredPixelMatrix"/> as doubles, split over cores when large. No NaN check: the
    /// values are bytes minus a finite mean.
    /// </summary>
    /// <param name="pixels">Row-major (N, 3072) bytes.</param>
    /// <param name="mean">Length 3072.</param>
    /// <param name="rows">Row indices, each in [0, N).</param>
    /// <param name="destination">Row-major (rows.Length, 3073), overwritten.</param>
    /// <param name="split">Number of row ranges to split over; null picks from the idle cores.</param>
    public static void GatherCentered(byte[] pixels, double[] mean, int[] rows, double[] destination, int? split = null)
    {
        const int P = LinearAlgebra.CenteredPixelMatrix.PixelCount;
        Split(rows.Length, P + 1, split, (start, end) =>
        {
            for (int b = start; b < end; b++)
                CenteredPixels.CopyRow(pixels.AsSpan(rows[b] * P, P), mean, destination.AsSpan(b * (P + 1), P + 1));
            return -1;
        });
    }

    /// <summary>Runs <paramref name="range"/> over [0, B) in one or more parts; returns the first non-negative result, or −1.</summary>
    private static int Split(int B, int D, int? split, Func<int, int, int> range)
    {
        int parts = split ?? Cores.Parts((long)B * D, ParallelThreshold, B);
        if (parts == 1) return range(0, B);
        var firstBad = new int[parts];
        Parallel.For(0, parts, p => firstBad[p] = range((int)((long)B * p / parts), (int)((long)B * (p + 1) / parts)));
        return firstBad.FirstOrDefault(b => b >= 0, -1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int GatherRange(double[] source, int D, int[] rows, double[] destination, int start, int end)
    {
        int firstBad = -1;
        for (int b = start; b < end; b++)
        {
            var row = destination.AsSpan(b * D, D);
            source.AsSpan(rows[b] * D, D).CopyTo(row);
            if (firstBad < 0 && !TensorPrimitives.IsFiniteAll<double>(row)) firstBad = b;
        }
        return firstBad;
    }
}
