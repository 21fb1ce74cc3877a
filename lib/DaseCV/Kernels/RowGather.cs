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
    /// <returns>The first position b whose row holds NaN or infinity, or −1.</returns>
    public static int Gather(double[] source, int D, int[] rows, double[] destination)
    {
        int B = rows.Length;
        int parts = (long)B * D < ParallelThreshold ? 1 : Math.Min(Environment.ProcessorCount, B);
        if (parts == 1) return GatherRange(source, D, rows, destination, 0, B);
        var firstBad = new int[parts];
        Parallel.For(0, parts, p =>
            firstBad[p] = GatherRange(source, D, rows, destination, (int)((long)B * p / parts), (int)((long)B * (p + 1) / parts)));
        return firstBad.FirstOrDefault(b => b >= 0, -1);
    }

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
