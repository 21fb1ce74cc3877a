using DaseCV.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Data;

/// <summary>
/// CIFAR-10 loading and preprocessing; mirrors the assignment's <c>data_utils.py</c> (<c>load_CIFAR10</c>) and the
/// notebook's <c>get_CIFAR10_data</c>.
/// </summary>
/// <remarks>
/// <para>N images, each 32×32 RGB, labels in [0, 10). A row of X holds one image's 3072 pixels in the Python loader's
/// (32, 32, 3) order: feature index = (row·32 + col)·3 + channel, not the files' planar order.</para>
/// <para>Layout: one example's features are contiguous, so a minibatch is gathered with one copy per row. Memory: the
/// training matrix (49000, 3073) would be 1.2 GB of doubles, so it is a <see cref="CenteredPixelMatrix"/> that keeps
/// the 150 MB of pixel bytes (in (32, 32, 3) order) and the mean image, and yields exactly the doubles
/// <c>pixel − mean</c> (and the bias 1) on demand; the batch files are read one at a time into one shared buffer.
/// The small sets (validation, test, dev) are <see cref="RowMajorMatrix"/> doubles.</para>
/// <para>Data folder: <c>root/cifar-10-batches-bin/</c> (official binary version), or <c>root/cifar-10-batches-py/</c>
/// (official Python version, read with a restricted unpickler). See <see cref="EnsureDownloaded(string, string?, string?, IProgress{DownloadProgress}?, CancellationToken)"/>.</para>
/// </remarks>
public static class Cifar10
{
    /// <summary>Makes sure CIFAR-10 is in <paramref name="dataDir"/> (the assignment's <c>get_datasets.sh</c>): see <see cref="Cifar10Download.EnsureDownloaded(string, string?, string?, IProgress{DownloadProgress}?, CancellationToken)"/>.</summary>
    /// <returns>The path of <c>cifar-10-batches-bin</c> (or <c>cifar-10-batches-py</c>).</returns>
    public static string EnsureDownloaded(string dataDir, string? source = null, string? md5 = null,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Cifar10Download.EnsureDownloaded(dataDir, source, md5, progress, cancellationToken);

    /// <summary>True when <paramref name="dataDir"/> already holds the complete data set.</summary>
    public static bool IsDownloaded(string dataDir) => Cifar10Download.IsDownloaded(dataDir);

    /// <summary>Writes a synthetic data set in the official binary layout: see <see cref="Cifar10Synthetic.Write"/>.</summary>
    /// <returns>The path of the written <c>cifar-10-batches-bin</c> folder.</returns>
    public static string WriteSynthetic(string root, int recordsPerTrainBatch, int testRecords, int seed) =>
        Cifar10Synthetic.Write(root, recordsPerTrainBatch, testRecords, seed);

    /// <summary>Pixels per image (32·32·3).</summary>
    public const int ImageSize = Cifar10Batch.ImageBytes;

    /// <summary>The standard CIFAR-10 class names, index = label (as in the official <c>batches.meta.txt</c>).</summary>
    public static IReadOnlyList<string> ClassNames => Cifar10Batch.StandardClassNames;

    /// <summary>
    /// The class names of the data set under <paramref name="root"/>, from <c>batches.meta.txt</c> (or <c>batches.meta</c>);
    /// if that file is missing, <see cref="ClassNames"/> with a warning on stderr.
    /// </summary>
    /// <param name="root">The data folder (holding <c>cifar-10-batches-bin/</c>), or that folder itself.</param>
    public static IReadOnlyList<string> ReadClassNames(string root) => Cifar10Folder.Locate(root).ReadClassNames();

    /// <summary>Loads all of CIFAR-10, raw: <c>load_CIFAR10</c>.</summary>
    /// <param name="root">The data folder (holding <c>cifar-10-batches-bin/</c> or <c>cifar-10-batches-py/</c>), or that folder itself.</param>
    /// <returns>
    /// XTrain (N_train, 3072) and XTest (N_test, 3072) with pixel values 0–255 in (32, 32, 3) order (row-major
    /// matrices), yTrain and yTest with labels in [0, 10). For CIFAR-10 N_train = 50,000 and N_test = 10,000,
    /// which is 1.5 GB of doubles: use <see cref="GetForLinearClassifier"/> for training.
    /// </returns>
    /// <exception cref="DirectoryNotFoundException">No CIFAR-10 folder under root.</exception>
    /// <exception cref="FileNotFoundException">A batch file is missing.</exception>
    /// <exception cref="InvalidDataException">A batch file has a wrong size, a label above 9, or bad pickle content.</exception>
    public static (Matrix<double> XTrain, int[] yTrain, Matrix<double> XTest, int[] yTest) Load(string root)
    {
        var folder = Cifar10Folder.Locate(root);
        var (XTrain, yTrain) = LoadRaw(folder, folder.TrainingFiles);
        var (XTest, yTest) = LoadRaw(folder, [folder.TestFile]);
        return (XTrain, yTrain, XTest, yTest);
    }

    /// <summary>
    /// Loads CIFAR-10 split and preprocessed for a linear classifier: <c>get_CIFAR10_data</c> of the softmax notebook.
    /// </summary>
    /// <param name="root">The data folder (holding <c>cifar-10-batches-bin/</c> or <c>cifar-10-batches-py/</c>), or that folder itself.</param>
    /// <param name="numTraining">Training rows: the first numTraining training records.</param>
    /// <param name="numValidation">Validation rows: the training records right after those.</param>
    /// <param name="numTest">Test rows: the first numTest test records.</param>
    /// <param name="numDev">Development rows, drawn from the training rows without replacement.</param>
    /// <param name="seed">Seed for the development draw and the sample images; null for a random one.</param>
    /// <param name="samplesPerClass">Raw training images per class kept in <see cref="Cifar10Data.Samples"/>.</param>
    /// <returns>
    /// All four sets minus the training mean image, with a bias column of ones appended (D = 3073). XTrain is a read-only
    /// <see cref="CenteredPixelMatrix"/> (150 MB instead of 1.2 GB, same values); the others are <see cref="RowMajorMatrix"/>.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, zero where rows are needed, or more than the data holds.</exception>
    /// <exception cref="DirectoryNotFoundException">No CIFAR-10 folder under root.</exception>
    /// <exception cref="FileNotFoundException">A batch file is missing.</exception>
    /// <exception cref="InvalidDataException">A batch file has a wrong size, a label above 9, or bad pickle content.</exception>
    public static Cifar10Data GetForLinearClassifier(string root, int numTraining = 49000, int numValidation = 1000,
        int numTest = 1000, int numDev = 500, int? seed = null, int samplesPerClass = 7)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numTraining, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(numValidation);
        ArgumentOutOfRangeException.ThrowIfNegative(numTest);
        ArgumentOutOfRangeException.ThrowIfNegative(numDev);
        ArgumentOutOfRangeException.ThrowIfNegative(samplesPerClass);
        if (numDev > numTraining)
            throw new ArgumentOutOfRangeException(nameof(numDev), numDev,
                $"numDev ({numDev}) exceeds numTraining ({numTraining}); the dev rows are drawn from the training rows without replacement.");

        var folder = Cifar10Folder.Locate(root);
        var classNames = folder.ReadClassNames();
        var random = seed is int s ? new Random(s) : new Random();

        // Pass 1 over the training files: labels of every record and the pixel sums of the first numTraining,
        // one batch in memory at a time; nothing large is allocated before the arguments are known to fit.
        var labels = new List<byte>();
        var sums = new long[ImageSize];
        foreach (var file in folder.TrainingFiles)
        {
            var batch = folder.ReadBatch(file);
            for (int i = 0; i < batch.Count && labels.Count + i < numTraining; i++) batch.AddTo(i, sums);
            labels.AddRange(batch.Labels);
        }
        int trainingRecords = labels.Count;
        if ((long)numTraining + numValidation > trainingRecords)
            throw new ArgumentOutOfRangeException(nameof(numTraining), numTraining,
                $"numTraining ({N(numTraining)}) + numValidation ({N(numValidation)}) = {N((long)numTraining + numValidation)} " +
                $"exceeds the {N(trainingRecords)} training records in {folder.Path}.");

        var meanImage = new double[ImageSize];
        for (int f = 0; f < ImageSize; f++) meanImage[f] = (double)sums[f] / numTraining;

        var testBatch = folder.ReadBatch(folder.TestFile);
        int testRecords = testBatch.Count;
        if (numTest > testRecords)
            throw new ArgumentOutOfRangeException(nameof(numTest), numTest,
                $"numTest ({N(numTest)}) exceeds the {N(testRecords)} records in {testBatch.File}.");
        var XTest = new RowMajorMatrix(numTest, ImageSize + 1);
        var yTest = new int[numTest];
        FillCentred(testBatch, 0, numTest, XTest, 0, yTest, meanImage);

        var devRows = DrawWithoutReplacement(numTraining, numDev, random);
        var sampleRows = DrawSamplesPerClass(labels, samplesPerClass, random);
        var samples = new Cifar10Image[sampleRows.Length];

        // Pass 2: each final matrix allocated once and filled straight from the batch bytes: the training pixels
        // reordered to (32, 32, 3), the other sets as (pixel − mean, 1) doubles.
        var trainPixels = new byte[checked((long)numTraining * ImageSize)];
        var yTrain = new int[numTraining];
        var XVal = new RowMajorMatrix(numValidation, ImageSize + 1);
        var yVal = new int[numValidation];
        int lastNeededRow = Math.Max(numTraining + numValidation, sampleRows.Length == 0 ? 0 : sampleRows.Max() + 1);
        int start = 0;
        foreach (var file in folder.TrainingFiles)
        {
            if (start >= lastNeededRow) break;
            var batch = folder.ReadBatch(file);
            int end = start + batch.Count;
            // Rows [start, end) of the training records: the part below numTraining goes to XTrain, the next to XVal.
            int trainEnd = Math.Clamp(numTraining - start, 0, batch.Count);
            FillPixels(batch, trainEnd, trainPixels, start, yTrain);
            int valEnd = Math.Clamp(numTraining + numValidation - start, 0, batch.Count);
            if (valEnd > trainEnd)
                FillCentred(batch, trainEnd, valEnd - trainEnd, XVal, start + trainEnd - numTraining, yVal, meanImage);
            for (int k = 0; k < sampleRows.Length; k++)
            {
                int row = sampleRows[k];
                if (row >= start && row < end)
                    samples[k] = new Cifar10Image(row, labels[row], classNames[labels[row]], batch.ImageHwc(row - start));
            }
            start = end;
        }

        var XTrain = new CenteredPixelMatrix(numTraining, trainPixels, meanImage);
        var XDev = new RowMajorMatrix(numDev, ImageSize + 1);
        var yDev = new int[numDev];
        for (int k = 0; k < numDev; k++)
        {
            Kernels.CenteredPixels.CopyRows(trainPixels, meanImage, devRows[k], 1, XDev.RowSpan(k));
            yDev[k] = yTrain[devRows[k]];
        }

        return new Cifar10Data(XTrain, yTrain, XVal, yVal, XTest, yTest, XDev, yDev, meanImage, classNames, samples,
            trainingRecords, testRecords);
    }

    private static string N(long value) => Cifar10Batch.N(value);

    private static (RowMajorMatrix X, int[] y) LoadRaw(Cifar10Folder folder, IReadOnlyList<string> files)
    {
        // Sizes first, so the matrix is allocated once at its final shape.
        long total = files.Sum(f => (long)folder.CountRecords(f));
        var X = new RowMajorMatrix(checked((int)total), ImageSize);
        var y = new int[total];
        int start = 0;
        foreach (var file in files)
        {
            var batch = folder.ReadBatch(file);
            Parallel.For(0, batch.Count, i =>
            {
                batch.CopyImage(i, X.RowSpan(start + i));
                y[start + i] = batch.Labels[i];
            });
            start += batch.Count;
        }
        return (X, y);
    }

    /// <summary>The first <paramref name="count"/> images of the batch as (32, 32, 3) bytes into pixel rows from <paramref name="toRow"/>.</summary>
    private static void FillPixels(Cifar10Batch batch, int count, byte[] pixels, int toRow, int[] y)
    {
        Parallel.For(0, count, i =>
        {
            batch.CopyImageHwc(i, pixels.AsSpan((toRow + i) * ImageSize, ImageSize));
            y[toRow + i] = batch.Labels[i];
        });
    }

    /// <summary>Rows [from, from+count) of the batch, centred and with a bias, into X rows from <paramref name="toRow"/>.</summary>
    private static void FillCentred(Cifar10Batch batch, int from, int count, RowMajorMatrix X, int toRow, int[] y,
        double[] meanImage)
    {
        Parallel.For(0, count, i =>
        {
            batch.CopyCentredRowWithBias(from + i, X.RowSpan(toRow + i), meanImage);
            y[toRow + i] = batch.Labels[from + i];
        });
    }

    /// <summary><c>np.random.choice(n, k, replace=False)</c>: a partial Fisher–Yates shuffle.</summary>
    private static int[] DrawWithoutReplacement(int n, int k, Random random)
    {
        var pool = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < k; i++)
        {
            int j = random.Next(i, n);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..k];
    }

    /// <summary>Up to <paramref name="perClass"/> random rows of each class, class by class (the notebook's sample grid).</summary>
    private static int[] DrawSamplesPerClass(List<byte> labels, int perClass, Random random)
    {
        var rows = new List<int>();
        for (int c = 0; c < Cifar10Batch.ClassCount; c++)
        {
            var ofClass = Enumerable.Range(0, labels.Count).Where(i => labels[i] == c).ToArray();
            foreach (int pick in DrawWithoutReplacement(ofClass.Length, Math.Min(perClass, ofClass.Length), random))
                rows.Add(ofClass[pick]);
        }
        return rows.ToArray();
    }
}
