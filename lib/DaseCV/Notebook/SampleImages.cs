using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Notebook;

/// <summary>A few training images per class, so the student sees the data before working with its rows.</summary>
/// <remarks>
/// Works on the preprocessed matrices the notebook already holds: adding the mean image back to a row gives its
/// raw pixels, so no second 1.2 GB copy of the raw training set is loaded. The layout follows the CS231n
/// <c>svm.ipynb</c> figure: one column per class, <c>samplesPerClass</c> random examples below each title.
/// </remarks>
public static class SampleImages
{
    /// <summary>Draws <paramref name="samplesPerClass"/> random examples of every class into one image.</summary>
    /// <param name="X">Examples, shape (N, D) with D = 3072 or 3073 (bias last), mean-subtracted.</param>
    /// <param name="y">Labels, length N, each in [0, C) with C = <paramref name="classNames"/>.Count.</param>
    /// <param name="meanImage">The mean image that was subtracted, length 3072 (zeros for raw rows).</param>
    /// <param name="classNames">Column titles, one per class.</param>
    /// <param name="samplesPerClass">Examples per class (rows of the grid); fewer if a class has fewer.</param>
    /// <param name="seed">Seed of the random choice of examples.</param>
    /// <param name="scale">Enlargement factor of each 32×32 image.</param>
    public static RgbImage Grid(Matrix<double> X, int[] y, IReadOnlyList<double> meanImage, IReadOnlyList<string> classNames,
        int samplesPerClass = 7, int seed = 0, int scale = 2)
    {
        ArgumentNullException.ThrowIfNull(X);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(meanImage);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerClass, 1);
        if (X.ColumnCount != CifarImage.Pixels && X.ColumnCount != CifarImage.Pixels + 1)
            throw new ArgumentException($"X is ({X.RowCount}, {X.ColumnCount}); expected 3072 or 3073 columns.", nameof(X));
        if (y.Length != X.RowCount)
            throw new ArgumentException($"y has {y.Length} labels but X has {X.RowCount} rows.", nameof(y));
        if (meanImage.Count != CifarImage.Pixels)
            throw new ArgumentException($"meanImage has {meanImage.Count} values; expected 3072.", nameof(meanImage));

        int classes = classNames.Count;
        var random = new Random(seed);
        var chosen = new List<int>[classes];
        for (int c = 0; c < classes; c++)
        {
            var members = Enumerable.Range(0, y.Length).Where(i => y[i] == c).ToArray();
            random.Shuffle(members);
            chosen[c] = members.Take(samplesPerClass).ToList();
        }

        int rows = chosen.Max(list => list.Count);
        if (rows == 0) throw new ArgumentException("No example has a label in [0, classNames.Count).", nameof(y));
        var blank = new RgbImage(CifarImage.Side, CifarImage.Side);
        var tiles = new List<RgbImage>();
        var titles = new List<string>();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < classes; c++)
            {
                titles.Add(r == 0 ? classNames[c] : "");
                if (r >= chosen[c].Count) { tiles.Add(blank); continue; }
                int i = chosen[c][r];
                tiles.Add(CifarImage.FromFeatures(f => (byte)Math.Clamp(Math.Round(X.At(i, f) + meanImage[f]), 0, 255)));
            }
        return ImageGrid.Compose(tiles, titles, columns: classes, scale);
    }
}
