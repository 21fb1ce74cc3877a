namespace DaseCV.Data;

/// <summary>
/// A seeded subset of CIFAR-10's training images, written in the official binary layout: what the grader retrains a
/// student's chosen hyperparameters on (a few thousand images instead of 50,000, so it fits Gradescope's limits).
/// </summary>
public static class Cifar10Subset
{
    /// <summary>Test records kept in the subset's <c>test_batch.bin</c>: the layout needs the file; the grader reads none.</summary>
    private const int TestRecords = 10;

    /// <summary>
    /// Draws <paramref name="numTraining"/> + <paramref name="numValidation"/> training images of the data set under
    /// <paramref name="source"/> without replacement (a seeded shuffle) and writes them, training images first, as the
    /// five training batches of <c>target/cifar-10-batches-bin/</c>, so that
    /// <c>Cifar10.GetForLinearClassifier(target, numTraining, numValidation, …)</c> reads exactly that split.
    /// </summary>
    /// <param name="source">A CIFAR-10 data folder (binary or Python version), or the batches folder itself.</param>
    /// <param name="target">The data folder to write <c>cifar-10-batches-bin/</c> in (created if needed; never overwritten).</param>
    /// <param name="numTraining">Training images.</param>
    /// <param name="numValidation">Validation images, written after the training images.</param>
    /// <param name="seed">Seed of the draw: the same source and arguments write the same bytes.</param>
    /// <returns>The path of the written <c>cifar-10-batches-bin</c> folder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1, or together they exceed the source's training images.</exception>
    /// <exception cref="DirectoryNotFoundException">No CIFAR-10 folder under <paramref name="source"/>.</exception>
    /// <exception cref="FileNotFoundException">A batch file of the source is missing.</exception>
    /// <exception cref="IOException">The target folder already exists.</exception>
    public static string Write(string source, string target, int numTraining, int numValidation, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numTraining, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numValidation, 1);
        var folder = Cifar10Folder.Locate(source);
        var images = Cifar10Images.Read(folder, folder.TrainingFiles);
        int count = numTraining + numValidation;
        if (count > images.Count)
            throw new ArgumentOutOfRangeException(nameof(numTraining), numTraining,
                $"numTraining ({Cifar10Batch.N(numTraining)}) + numValidation ({Cifar10Batch.N(numValidation)}) exceeds the {Cifar10Batch.N(images.Count)} training images in {folder.Path}.");
        var test = Cifar10Images.Read(folder, [folder.TestFile]);

        string full = Path.GetFullPath(target);
        var written = Cifar10Folder.At(Path.Combine(full, Cifar10Folder.BinaryFolderName), Cifar10Format.Binary);
        if (Directory.Exists(written.Path) || File.Exists(written.Path))
            throw new IOException($"{written.Path} already exists; a subset is never written over a data set. Delete it or choose another folder.");
        Directory.CreateDirectory(full);
        StagingFolder.RemoveStale(full, Cifar10Synthetic.StagingPrefix);
        string temp = StagingFolder.Create(full, Cifar10Synthetic.StagingPrefix);
        var staged = Cifar10Folder.At(temp, Cifar10Format.Binary);
        try
        {
            // A partial Fisher–Yates shuffle: the first `count` positions are the draw, in draw order.
            var random = new Random(seed);
            var rows = Enumerable.Range(0, images.Count).ToArray();
            for (int i = 0; i < count; i++)
            {
                int j = random.Next(i, rows.Length);
                (rows[i], rows[j]) = (rows[j], rows[i]);
            }

            // Five batches as the layout asks, the first ones one record longer when the count does not divide.
            int start = 0;
            for (int b = 0; b < staged.TrainingFiles.Count; b++)
            {
                int size = count / staged.TrainingFiles.Count + (b < count % staged.TrainingFiles.Count ? 1 : 0);
                WriteBatch(staged.TrainingFiles[b], images, rows.AsSpan(start, size));
                start += size;
            }

            WriteBatch(staged.TestFile, test, Enumerable.Range(0, Math.Min(TestRecords, test.Count)).ToArray());
            File.WriteAllText(staged.MetaFile, string.Join("\n", folder.ReadClassNames()) + "\n\n");
            Directory.Move(temp, written.Path);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }

        return written.Path;
    }

    /// <summary>The number of training images under <paramref name="root"/> (50,000 for CIFAR-10; a subset's own count for one this class wrote).</summary>
    /// <exception cref="DirectoryNotFoundException">No CIFAR-10 folder under <paramref name="root"/>.</exception>
    /// <exception cref="FileNotFoundException">A batch file is missing.</exception>
    /// <exception cref="InvalidDataException">A batch file has a wrong size.</exception>
    public static int CountTrainingImages(string root)
    {
        var folder = Cifar10Folder.Locate(root);
        return folder.TrainingFiles.Sum(folder.CountRecords);
    }

    /// <summary>The chosen images as binary records: the label byte, then the red, green and blue planes.</summary>
    private static void WriteBatch(string file, Cifar10Images images, ReadOnlySpan<int> rows)
    {
        var bytes = new byte[(long)rows.Length * Cifar10Batch.RecordBytes];
        for (int k = 0; k < rows.Length; k++)
        {
            var record = bytes.AsSpan(k * Cifar10Batch.RecordBytes, Cifar10Batch.RecordBytes);
            var image = images.Pixels.AsSpan(rows[k] * Cifar10Images.ImageBytes, Cifar10Images.ImageBytes);
            record[0] = (byte)images.Labels[rows[k]];
            // (32, 32, 3) order back to the file's planes: the inverse of Cifar10Batch.CopyImageHwc.
            for (int p = 0; p < Cifar10Batch.PlaneSize; p++)
                for (int ch = 0; ch < 3; ch++)
                    record[1 + ch * Cifar10Batch.PlaneSize + p] = image[3 * p + ch];
        }

        File.WriteAllBytes(file, bytes);
    }
}
