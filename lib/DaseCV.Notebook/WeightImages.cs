using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Notebook;

/// <summary>The learned weights of a linear classifier shown as one 32×32 image per class (the notebook's last figure).</summary>
/// <remarks>
/// Mirrors the original's <c>w = W[:-1,:].reshape(32, 32, 3, 10)</c> and
/// <c>255.0 * (w[:, :, :, i] - w_min) / (w_max - w_min)</c> followed by <c>astype('uint8')</c>: one global
/// minimum and maximum over all classes, so the images are comparable with each other.
/// </remarks>
public static class WeightImages
{
    /// <summary>The short class titles of the original figure, in label order.</summary>
    public static IReadOnlyList<string> ClassTitles { get; } =
        ["plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>One 32×32 image per class, rescaled to 0–255 with the global min/max of W without its bias row.</summary>
    /// <param name="W">Weights, shape (3073, C) with the bias row last, or (3072, C) without it.</param>
    /// <returns>C images; image i is column i of W reshaped to (32, 32, 3).</returns>
    public static RgbImage[] FromWeights(Matrix<double> W)
    {
        ArgumentNullException.ThrowIfNull(W);
        if (W.RowCount != CifarImage.Pixels && W.RowCount != CifarImage.Pixels + 1)
            throw new ArgumentException(
                $"W is ({W.RowCount}, {W.ColumnCount}); expected (3073, C) with a bias row or (3072, C) for 32×32×3 images.",
                nameof(W));

        // Strip the bias: only the first 3072 rows are pixels.
        var (min, max) = PixelRange(W, nameof(W), Enumerable.Range(0, W.ColumnCount));
        double range = max - min;

        var images = new RgbImage[W.ColumnCount];
        for (int c = 0; c < W.ColumnCount; c++)
        {
            int cls = c;
            // astype('uint8') truncates; a constant W (range 0) draws black instead of dividing by zero.
            images[c] = CifarImage.FromFeatures(f => range > 0 ? (byte)Math.Min(255.0, 255.0 * (W.At(f, cls) - min) / range) : (byte)0);
        }
        return images;
    }

    /// <summary>The original's figure: the class images in a 2 × 5 grid, titled, enlarged with nearest-neighbour sampling.</summary>
    /// <param name="W">Weights, shape (3073, 10) or (3072, 10).</param>
    /// <param name="titles">Titles in label order; default <see cref="ClassTitles"/>.</param>
    /// <param name="scale">Enlargement factor of each 32×32 image.</param>
    public static TitledImage Grid(Matrix<double> W, IReadOnlyList<string>? titles = null, int scale = 4)
    {
        var images = FromWeights(W);
        titles ??= ClassTitles;
        if (titles.Count != images.Length)
            throw new ArgumentException($"{titles.Count} titles for {images.Length} classes.", nameof(titles));
        return ImageGrid.Compose(images, titles, columns: (images.Length + 1) / 2, scale);
    }
    /// <summary>
    /// The first-layer weights of a net, one 32×32 image per hidden unit in a square grid: <c>show_net_weights</c>
    /// (<c>W1.reshape(32, 32, 3, -1).transpose(3, 0, 1, 2)</c> drawn by <c>visualize_grid</c>).
    /// </summary>
    /// <remarks>
    /// As <c>visualize_grid</c> does, each image is rescaled to 0–255 with its own minimum and maximum (not the global
    /// ones of <see cref="FromWeights"/>), so every unit's pattern is visible; the grid is ⌈√H⌉ images wide.
    /// </remarks>
    /// <param name="W1">First-layer weights, shape (3072, H), or (3073, H) with the bias feature's row last (left out).</param>
    /// <param name="scale">Enlargement factor of each 32×32 image.</param>
    public static RgbImage NetGrid(Matrix<double> W1, int scale = 2)
    {
        ArgumentNullException.ThrowIfNull(W1);
        if (W1.RowCount != CifarImage.Pixels && W1.RowCount != CifarImage.Pixels + 1)
            throw new ArgumentException(
                $"W1 is ({W1.RowCount}, {W1.ColumnCount}); expected (3072, H), or (3073, H) with a bias row, for 32×32×3 images.",
                nameof(W1));
        var images = new RgbImage[W1.ColumnCount];
        for (int h = 0; h < W1.ColumnCount; h++)
        {
            int unit = h;
            var (low, high) = PixelRange(W1, nameof(W1), [unit]);
            double range = high - low;
            images[h] = CifarImage.FromFeatures(f => range > 0 ? (byte)Math.Min(255.0, 255.0 * (W1.At(f, unit) - low) / range) : (byte)0);
        }
        return ImageGrid.Compose(images, titles: null, columns: (int)Math.Ceiling(Math.Sqrt(images.Length)), scale).Image;
    }

    /// <summary>The smallest and largest weight of the pixel rows (the first 3072) in <paramref name="columns"/>.</summary>
    /// <exception cref="ArgumentException">A weight is not finite (it cannot be drawn).</exception>
    private static (double Min, double Max) PixelRange(Matrix<double> W, string name, IEnumerable<int> columns)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (int c in columns)
            for (int f = 0; f < CifarImage.Pixels; f++)
            {
                double w = W.At(f, c);
                if (!double.IsFinite(w))
                    throw new ArgumentException($"{name}[{f}, {c}] is {w}; weights must be finite to be drawn.", name);
                min = Math.Min(min, w);
                max = Math.Max(max, w);
            }
        return (min, max);
    }
}
