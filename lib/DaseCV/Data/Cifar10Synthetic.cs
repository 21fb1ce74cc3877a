namespace DaseCV.Data;

public static partial class Cifar10
{
    /// <summary>
    /// Writes a deterministic synthetic data set in exactly the official binary layout, for tests and offline runs:
    /// <c>root/cifar-10-batches-bin/</c> with <c>data_batch_1.bin</c> … <c>data_batch_5.bin</c>, <c>test_batch.bin</c>
    /// and <c>batches.meta.txt</c>.
    /// </summary>
    /// <remarks>
    /// Each class has its own mean colour and its own stripe pattern (orientation and frequency); every image adds a
    /// random brightness shift and per-pixel noise. A linear classifier can therefore learn it, well above the 10 %
    /// of chance but not perfectly. The folder is written under a temporary name and renamed into place when
    /// complete, so a failure leaves no half-written data set.
    /// </remarks>
    /// <param name="root">The data folder to create <c>cifar-10-batches-bin/</c> in (created if needed).</param>
    /// <param name="recordsPerTrainBatch">Records in each of the five training batches (10,000 in CIFAR-10).</param>
    /// <param name="testRecords">Records in the test batch (10,000 in CIFAR-10).</param>
    /// <param name="seed">Seed: the same arguments write the same bytes.</param>
    /// <returns>The path of the written <c>cifar-10-batches-bin</c> folder.</returns>
    /// <exception cref="IOException">The folder already exists (it is never overwritten).</exception>
    public static string WriteSynthetic(string root, int recordsPerTrainBatch, int testRecords, int seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(recordsPerTrainBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(testRecords, 1);
        string full = Path.GetFullPath(root);
        var target = Cifar10Folder.At(Path.Combine(full, Cifar10Folder.BinaryFolderName), Cifar10Format.Binary);
        if (Directory.Exists(target.Path) || File.Exists(target.Path))
            throw new IOException(
                $"{target.Path} already exists; WriteSynthetic never overwrites a data set. Delete it or choose another root.");

        Directory.CreateDirectory(full);
        string temp = Path.Combine(full, $".{Cifar10Folder.BinaryFolderName}.tmp-{Guid.NewGuid():N}");
        var staged = Cifar10Folder.At(temp, Cifar10Format.Binary);
        try
        {
            Directory.CreateDirectory(temp);
            var random = new Random(seed);
            var templates = SyntheticClassTemplates();
            foreach (var file in staged.TrainingFiles)
                WriteSyntheticBatch(file, recordsPerTrainBatch, templates, random);
            WriteSyntheticBatch(staged.TestFile, testRecords, templates, random);
            // The official file: one name a line, then an empty line.
            File.WriteAllText(staged.MetaFile, string.Join("\n", ClassNames) + "\n\n");
            Directory.Move(temp, target.Path);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
        return target.Path;
    }

    /// <summary>Per class, the noise-free image as 3072 planar values (R, G, B planes): mean colour plus stripes.</summary>
    private static double[][] SyntheticClassTemplates()
    {
        // Colours in [-1, 1] per channel, chosen to differ pairwise.
        double[,] colour =
        {
            { 0.2, 0.4, 0.9 }, { 0.9, -0.6, -0.5 }, { 0.3, 0.6, -0.4 }, { 0.6, 0.0, 0.3 }, { -0.2, 0.8, 0.1 },
            { -0.6, -0.6, 0.5 }, { 0.0, 0.0, -0.9 }, { 0.8, 0.5, 0.0 }, { -0.8, 0.2, 0.8 }, { -0.5, -0.8, -0.6 },
        };
        var templates = new double[Cifar10Batch.ClassCount][];
        for (int c = 0; c < Cifar10Batch.ClassCount; c++)
        {
            double angle = Math.PI * c / Cifar10Batch.ClassCount;
            double frequency = 2 + c % 3;
            var t = new double[ImageSize];
            for (int ch = 0; ch < 3; ch++)
                for (int r = 0; r < 32; r++)
                    for (int col = 0; col < 32; col++)
                    {
                        double stripes = Math.Sin(2 * Math.PI * frequency * (col * Math.Cos(angle) + r * Math.Sin(angle)) / 32);
                        t[ch * Cifar10Batch.PlaneSize + r * 32 + col] = 128 + 45 * colour[c, ch] + 35 * stripes;
                    }
            templates[c] = t;
        }
        return templates;
    }

    private static void WriteSyntheticBatch(string file, int records, double[][] templates, Random random)
    {
        var bytes = new byte[(long)records * Cifar10Batch.RecordBytes];
        for (int i = 0; i < records; i++)
        {
            int label = random.Next(Cifar10Batch.ClassCount);
            var record = bytes.AsSpan(i * Cifar10Batch.RecordBytes, Cifar10Batch.RecordBytes);
            record[0] = (byte)label;
            double brightness = 40 * (random.NextDouble() - 0.5);
            var template = templates[label];
            for (int p = 0; p < ImageSize; p++)
            {
                // Triangular noise on ±60: cheap, bounded, and enough to blur the classes into each other.
                double noise = 60 * (random.NextDouble() + random.NextDouble() - 1);
                record[1 + p] = (byte)Math.Clamp(Math.Round(template[p] + brightness + noise), 0, 255);
            }
        }
        File.WriteAllBytes(file, bytes);
    }
}
