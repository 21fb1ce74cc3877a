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
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int f = 0; f < CifarImage.Pixels; f++)
            for (int c = 0; c < W.ColumnCount; c++)
            {
                double w = W.At(f, c);
                if (!double.IsFinite(w))
                    throw new ArgumentException($"W[{f}, {c}] is {w}; weights must be finite to be drawn.", nameof(W));
                min = Math.Min(min, w);
                max = Math.Max(max, w);
            }
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
    public static RgbImage Grid(Matrix<double> W, IReadOnlyList<string>? titles = null, int scale = 4)
    {
        var images = FromWeights(W);
        titles ??= ClassTitles;
        if (titles.Count != images.Length)
            throw new ArgumentException($"{titles.Count} titles for {images.Length} classes.", nameof(titles));
        return ImageGrid.Compose(images, titles, columns: (images.Length + 1) / 2, scale);
    }
}
