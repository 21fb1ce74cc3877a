using DaseCV.Data;
using MathNet.Numerics.LinearAlgebra;

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
    public static TitledImage Grid(IReadOnlyList<Cifar10Image> samples, IReadOnlyList<string>? titles = null, int scale = 2)
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

    /// <summary>
    /// The kNN notebook's figure, drawn from raw data: for each class, <paramref name="samplesPerClass"/> random rows of
    /// X with that label (<c>np.random.choice(np.flatnonzero(y_train == y), samples_per_class, replace=False)</c>), one
    /// column per class.
    /// </summary>
    /// <param name="X">Raw images, shape (N, 3072), pixel values 0–255 in (32, 32, 3) order (as <c>Cifar10.Load</c> gives them).</param>
    /// <param name="y">Labels, length N, each in [0, C).</param>
    /// <param name="classes">Column titles, one per class (C of them).</param>
    /// <param name="samplesPerClass">Images per class, at least 1; a class with fewer shows all it has.</param>
    /// <param name="seed">Seed of the draw; null for a random one.</param>
    /// <param name="scale">Enlargement factor of each 32×32 image.</param>
    public static TitledImage Grid(Matrix<double> X, int[] y, IReadOnlyList<string> classes, int samplesPerClass = 7, int? seed = null, int scale = 2)
    {
        ArgumentNullException.ThrowIfNull(X);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerClass, 1);
        if (X.ColumnCount != CifarImage.Pixels || X.RowCount != y.Length)
            throw new ArgumentException(
                $"X is ({X.RowCount}, {X.ColumnCount}) with {y.Length} labels; expected raw 32×32×3 images, shape (N, 3072), and one label per row.",
                nameof(X));
        var random = seed is int s ? new Random(s) : new Random();
        var samples = new List<Cifar10Image>();
        for (int label = 0; label < classes.Count; label++)
        {
            int[] rows = [.. Enumerable.Range(0, y.Length).Where(i => y[i] == label)];
            random.Shuffle(rows);
            foreach (int row in rows.Take(samplesPerClass))
            {
                // astype('uint8'): raw pixel values are whole numbers in 0–255.
                var pixels = new byte[CifarImage.Pixels];
                for (int f = 0; f < pixels.Length; f++) pixels[f] = (byte)Math.Clamp(X.At(row, f), 0, 255);
                samples.Add(new Cifar10Image(row, label, classes[label], pixels));
            }
        }
        return Grid(samples, classes, scale);
    }

    /// <summary>
    /// The features notebook's figure of mistakes: for each class, up to <paramref name="examplesPerClass"/> random
    /// images that were predicted as that class but belong to another, one column per class (the first column shows
    /// images labelled "plane" that are not planes).
    /// </summary>
    /// <param name="X">Raw images, N of them.</param>
    /// <param name="y">True labels, length N.</param>
    /// <param name="yPred">Predicted labels, length N, each in [0, C).</param>
    /// <param name="classes">Column titles, one per class (C of them).</param>
    /// <param name="examplesPerClass">Images per class, at least 1; a class with fewer mistakes shows all it has.</param>
    /// <param name="seed">Seed of the draw; null for a random one.</param>
    /// <param name="scale">Enlargement factor of each 32×32 image.</param>
    public static TitledImage Misclassified(RawImages X, int[] y, int[] yPred, IReadOnlyList<string> classes, int examplesPerClass = 8, int? seed = null, int scale = 2)
    {
        ArgumentNullException.ThrowIfNull(X);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(yPred);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentOutOfRangeException.ThrowIfLessThan(examplesPerClass, 1);
        if (y.Length != X.Count || yPred.Length != X.Count)
            throw new ArgumentException($"X has {X.Count} images, y {y.Length} labels and yPred {yPred.Length}; expected one of each per image.", nameof(yPred));
        var random = seed is int s ? new Random(s) : new Random();
        var samples = new List<Cifar10Image>();
        for (int cls = 0; cls < classes.Count; cls++)
        {
            // np.where((y_test != cls) & (y_test_pred == cls)), then np.random.choice(idxs, examples_per_class, replace=False)
            int[] idxs = [.. Enumerable.Range(0, y.Length).Where(i => y[i] != cls && yPred[i] == cls)];
            random.Shuffle(idxs);
            foreach (int idx in idxs.Take(examplesPerClass))
                samples.Add(new Cifar10Image(idx, cls, classes[cls], X[idx].ToArray()));
        }
        if (samples.Count == 0) throw new ArgumentException("No image was misclassified: nothing to show.", nameof(yPred));
        return Grid(samples, classes, scale);
    }

    private static RgbImage FromPixels(byte[] pixels) => CifarImage.FromFeatures(f => pixels[f]);
}
