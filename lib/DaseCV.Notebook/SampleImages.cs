using DaseCV.Data;

namespace DaseCV.Notebook;

/// <summary>A few raw training images per class, so the student sees the data before working with its rows.</summary>
/// <remarks>
/// Draws the images that <see cref="Cifar10.GetForLinearClassifier"/> keeps in <see cref="Cifar10Data.Samples"/>
/// (chosen at random per class, before preprocessing), laid out as the CS231n <c>svm.ipynb</c> figure: one column
/// per class, the class name above it, the examples below.
/// </remarks>
public static class SampleImages
{
    /// <summary>Draws <paramref name="samples"/> in one column per class.</summary>
    /// <param name="samples">Raw images with labels in [0, C); each class's images go down its column in list order.</param>
    /// <param name="titles">Column titles by label (C of them); default the samples' own class names.</param>
    /// <param name="scale">Enlargement factor of each 32×32 image.</param>
    public static RgbImage Grid(IReadOnlyList<Cifar10Image> samples, IReadOnlyList<string>? titles = null, int scale = 2)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0) throw new ArgumentException("No sample images to show.", nameof(samples));
        foreach (var sample in samples)
            if (sample.Pixels.Length != CifarImage.Pixels)
                throw new ArgumentException(
                    $"Sample {sample.Index} has {sample.Pixels.Length} pixel bytes; a 32×32×3 image has 3072.", nameof(samples));

        int classes = titles?.Count ?? samples.Max(s => s.Label) + 1;
        var columns = new List<Cifar10Image>[classes];
        for (int c = 0; c < classes; c++) columns[c] = [];
        foreach (var sample in samples)
        {
            if ((uint)sample.Label >= (uint)classes)
                throw new ArgumentException($"Sample {sample.Index} has label {sample.Label}, outside [0, {classes}).", nameof(samples));
            columns[sample.Label].Add(sample);
        }
        titles ??= Enumerable.Range(0, classes).Select(c => columns[c].FirstOrDefault()?.ClassName ?? "").ToArray();

        int rows = columns.Max(column => column.Count);
        var blank = new RgbImage(CifarImage.Side, CifarImage.Side);
        var tiles = new List<RgbImage>();
        var cellTitles = new List<string>();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < classes; c++)
            {
                cellTitles.Add(r == 0 ? titles[c] : "");
                tiles.Add(r < columns[c].Count ? FromPixels(columns[c][r].Pixels) : blank);
            }
        return ImageGrid.Compose(tiles, cellTitles, columns: classes, scale);
    }

    private static RgbImage FromPixels(byte[] pixels) => CifarImage.FromFeatures(f => pixels[f]);
}
