namespace DaseCV.Data;

/// <summary>
/// CIFAR-10 images as numpy's <c>load_CIFAR10</c> holds them, but as bytes: one row of 3072 pixels per image in the
/// Python loader's (32, 32, 3) order, and the labels.
/// </summary>
/// <param name="Pixels">Images row by row, length Count·3072.</param>
/// <param name="Labels">Labels, length Count, each in [0, 10).</param>
internal sealed record Cifar10Images(byte[] Pixels, int[] Labels)
{
    /// <summary>Bytes per image.</summary>
    public const int ImageBytes = Cifar10Batch.ImageBytes;

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Reads the images of <paramref name="files"/> (batches of <paramref name="folder"/>), in order.</summary>
    /// <exception cref="InvalidDataException">A batch has a wrong size or a label above 9.</exception>
    public static Cifar10Images Read(Cifar10Folder folder, IReadOnlyList<string> files)
    {
        // Sizes first, so the arrays are allocated once at their final length.
        long total = files.Sum(f => (long)folder.CountRecords(f));
        if (total * ImageBytes > Array.MaxLength)
            throw new InvalidDataException(
                $"{folder.Path} holds {Cifar10Batch.N(total)} images; at most {Cifar10Batch.N(Array.MaxLength / ImageBytes)} fit in memory as one array.");
        var pixels = new byte[total * ImageBytes];
        var labels = new int[total];
        int start = 0;
        foreach (var file in files)
        {
            var batch = folder.ReadBatch(file);
            int offset = start;
            Parallel.For(0, batch.Count, i =>
            {
                batch.CopyImageHwc(i, pixels.AsSpan((offset + i) * ImageBytes, ImageBytes));
                labels[offset + i] = batch.Labels[i];
            });
            start += batch.Count;
        }
        return new Cifar10Images(pixels, labels);
    }

    /// <summary>Images [start, start + count), copied.</summary>
    public Cifar10Images Rows(int start, int count) =>
        new(Pixels.AsSpan(start * ImageBytes, count * ImageBytes).ToArray(), Labels.AsSpan(start, count).ToArray());

    /// <summary>The mean image, <c>np.mean(X, axis=0)</c>: length 3072, summed exactly in integers.</summary>
    public double[] MeanImage()
    {
        var sums = new long[ImageBytes];
        for (int i = 0; i < Count; i++)
        {
            var image = Pixels.AsSpan(i * ImageBytes, ImageBytes);
            for (int f = 0; f < ImageBytes; f++) sums[f] += image[f];
        }
        return sums.Select(s => (double)s / Count).ToArray();
    }
}
