using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Notebook;

/// <summary>A matrix drawn as a grayscale picture: matplotlib's <c>plt.imshow(M)</c> with the gray colormap.</summary>
/// <remarks>
/// As imshow does by default, the smallest element is black and the largest white, linearly in between; row i is
/// the image's row i. A matrix wider than <c>maxWidth</c> is shrunk by averaging square blocks (the kNN notebook's
/// (500, 5000) distance matrix would otherwise be a 5000 px wide PNG of several MB in the HTML).
/// </remarks>
public static class MatrixImage
{
    /// <summary>Draws <paramref name="M"/>, black at its minimum and white at its maximum.</summary>
    /// <param name="M">Any finite matrix, shape (rows, columns).</param>
    /// <param name="maxWidth">Widest image, at least 1: blocks of ⌈columns / maxWidth⌉² elements become one pixel.</param>
    /// <returns>An image ⌈columns / b⌉ wide and ⌈rows / b⌉ high, b the block side.</returns>
    /// <exception cref="ArgumentException">M holds NaN or infinity.</exception>
    public static RgbImage Gray(Matrix<double> M, int maxWidth = 1000)
    {
        ArgumentNullException.ThrowIfNull(M);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWidth, 1);
        int block = (M.ColumnCount + maxWidth - 1) / maxWidth;
        int width = (M.ColumnCount + block - 1) / block, height = (M.RowCount + block - 1) / block;
        // Block means first, then the min/max of those: what is shown spans black to white.
        var means = new double[height, width];
        var counts = new int[height, width];
        foreach (var (i, j, value) in M.EnumerateIndexed())
        {
            if (!double.IsFinite(value))
                throw new ArgumentException($"M[{i}, {j}] is {value}; every element must be finite to be drawn.", nameof(M));
            means[i / block, j / block] += value;
            counts[i / block, j / block]++;
        }
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                means[y, x] /= counts[y, x];
                min = Math.Min(min, means[y, x]);
                max = Math.Max(max, means[y, x]);
            }

        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                // A constant matrix (max = min) is drawn black, as imshow does.
                byte level = max > min ? (byte)Math.Round(255 * (means[y, x] - min) / (max - min)) : (byte)0;
                image.SetPixel(x, y, level, level, level);
            }
        return image;
    }
}
