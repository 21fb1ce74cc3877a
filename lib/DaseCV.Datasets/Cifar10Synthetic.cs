namespace DaseCV.Data;

/// <summary>A learnable synthetic stand-in for CIFAR-10, written in the official binary layout.</summary>
public static class Cifar10Synthetic
{
    /// <summary>Prefix of the temporary folder a set is written in before it is renamed into place.</summary>
    internal const string StagingPrefix = "." + Cifar10Folder.BinaryFolderName + ".tmp-";

    /// <summary>
    /// Writes a deterministic synthetic data set in exactly the official binary layout, for tests and offline runs:
    /// <c>root/cifar-10-batches-bin/</c> with <c>data_batch_1.bin</c> … <c>data_batch_5.bin</c>, <c>test_batch.bin</c>
    /// and <c>batches.meta.txt</c>.
    /// </summary>
    /// <remarks>
    /// Each class has its own mean colour and its own stripe pattern (orientation and frequency); every image adds a
    /// random colour cast, a random stripe phase and per-pixel noise. A linear classifier can therefore learn it, well above the 10 %
    /// of chance but not perfectly. The folder is written under a temporary name and renamed into place when
    /// complete, so a failure leaves no half-written data set.
    /// </remarks>
    /// <param name="root">The data folder to create <c>cifar-10-batches-bin/</c> in (created if needed).</param>
    /// <param name="recordsPerTrainBatch">Records in each of the five training batches (10,000 in CIFAR-10).</param>
    /// <param name="testRecords">Records in the test batch (10,000 in CIFAR-10).</param>
    /// <param name="seed">Seed: the same arguments write the same bytes.</param>
    /// <returns>The path of the written <c>cifar-10-batches-bin</c> folder.</returns>
    /// <exception cref="IOException">The folder already exists (it is never overwritten).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A record count is below 1, or above what one batch file can hold.</exception>
    public static string Write(string root, int recordsPerTrainBatch, int testRecords, int seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(recordsPerTrainBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(testRecords, 1);
        // A batch is written (and later read) as one array: larger ones would fail with an overflow, not a message.
        long maxRecords = Cifar10Batch.MaxBatchBytes / Cifar10Batch.RecordBytes;
        foreach (var (value, name) in new[] { (recordsPerTrainBatch, nameof(recordsPerTrainBatch)), (testRecords, nameof(testRecords)) })
            if (value > maxRecords)
                throw new ArgumentOutOfRangeException(name, value,
                    $"{name} is {Cifar10Batch.N(value)}; a batch file holds at most {Cifar10Batch.N(maxRecords)} records " +
                    $"(it is read whole, and arrays end below 2 GB). CIFAR-10 has 10,000 per batch.");
        string full = Path.GetFullPath(root);
        var target = Cifar10Folder.At(Path.Combine(full, Cifar10Folder.BinaryFolderName), Cifar10Format.Binary);
        if (Directory.Exists(target.Path) || File.Exists(target.Path))
            throw new IOException(
                $"{target.Path} already exists; WriteSynthetic never overwrites a data set. Delete it or choose another root.");

        Directory.CreateDirectory(full);
        StagingFolder.RemoveStale(full, StagingPrefix);
        string temp = StagingFolder.Create(full, StagingPrefix);
        var staged = Cifar10Folder.At(temp, Cifar10Format.Binary);
        try
        {
            var random = new Random(seed);
            foreach (var file in staged.TrainingFiles)
                WriteSyntheticBatch(file, recordsPerTrainBatch, random);
            WriteSyntheticBatch(staged.TestFile, testRecords, random);
            // The official file: one name a line, then an empty line.
            File.WriteAllText(staged.MetaFile, string.Join("\n", Cifar10Batch.StandardClassNames) + "\n\n");
            Directory.Move(temp, target.Path);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
        return target.Path;
    }

    /// <summary>Per class, its mean colour (R, G, B in [-1, 1]) and stripe orientation and frequency.</summary>
    private static readonly (double R, double G, double B, double Angle, double Frequency)[] SyntheticClasses =
        Enumerable.Range(0, Cifar10Batch.ClassCount).Select(c =>
        {
            // Hues spread round the colour wheel, so class colours differ pairwise.
            double hue = 2 * Math.PI * c / Cifar10Batch.ClassCount;
            return (Math.Cos(hue), Math.Cos(hue - 2 * Math.PI / 3), Math.Cos(hue + 2 * Math.PI / 3),
                    Math.PI * c / Cifar10Batch.ClassCount, 2.0 + c % 3);
        }).ToArray();

    private static void WriteSyntheticBatch(string file, int records, Random random)
    {
        var bytes = new byte[(long)records * Cifar10Batch.RecordBytes];
        Span<double> shift = stackalloc double[3];
        for (int i = 0; i < records; i++)
        {
            int label = random.Next(Cifar10Batch.ClassCount);
            var (red, green, blue, angle, frequency) = SyntheticClasses[label];
            var record = bytes.AsSpan(i * Cifar10Batch.RecordBytes, Cifar10Batch.RecordBytes);
            record[0] = (byte)label;
            // Per image: a colour cast and a stripe phase, so classes overlap as real photos do.
            for (int ch = 0; ch < 3; ch++) shift[ch] = Amplitude.Cast * (2 * random.NextDouble() - 1);
            double phase = Math.PI * (random.NextDouble() - 0.5);
            for (int ch = 0; ch < 3; ch++)
            {
                double colour = 128 + Amplitude.Colour * (ch == 0 ? red : ch == 1 ? green : blue) + shift[ch];
                for (int r = 0; r < 32; r++)
                    for (int col = 0; col < 32; col++)
                    {
                        double stripes = Math.Sin(2 * Math.PI * frequency * (col * Math.Cos(angle) + r * Math.Sin(angle)) / 32 + phase);
                        // Triangular pixel noise: cheap and bounded.
                        double noise = Amplitude.Noise * (random.NextDouble() + random.NextDouble() - 1);
                        double value = colour + Amplitude.Stripes * stripes + noise;
                        record[1 + ch * Cifar10Batch.PlaneSize + r * 32 + col] = (byte)Math.Clamp(Math.Round(value), 0, 255);
                    }
            }
        }
        File.WriteAllBytes(file, bytes);
    }

    /// <summary>Strengths of the synthetic images' parts, in pixel levels.</summary>
    private static class Amplitude
    {
        public const double Colour = 40, Cast = 50, Stripes = 30, Noise = 60;
    }
}
