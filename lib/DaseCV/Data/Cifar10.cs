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
/// <para>Memory: the training matrix (49000, 3073) would be 1.2 GB of doubles, so it is a <see cref="CenteredPixelMatrix"/>
/// that keeps the 150 MB of pixel bytes (in (32, 32, 3) order) and the mean image, and yields exactly the doubles
/// <c>pixel − mean</c> (and the bias 1) on demand; so are the validation, test and dev sets.</para>
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
    /// XTrain (N_train, 3072) and XTest (N_test, 3072) with pixel values 0–255 in (32, 32, 3) order, yTrain and yTest
    /// with labels in [0, 10). For CIFAR-10 N_train = 50,000 and N_test = 10,000: 1.5 GB as doubles (numpy's float64),
    /// so both are read-only <see cref="PixelMatrix"/>es holding the 184 MB of bytes; <c>SubMatrix</c> gives dense
    /// doubles of the rows taken, as the kNN notebook's subsample does.
    /// </returns>
    /// <exception cref="DirectoryNotFoundException">No CIFAR-10 folder under root.</exception>
    /// <exception cref="FileNotFoundException">A batch file is missing.</exception>
    /// <exception cref="InvalidDataException">A batch file has a wrong size, a label above 9, or bad pickle content.</exception>
    public static (Matrix<double> XTrain, int[] yTrain, Matrix<double> XTest, int[] yTest) Load(string root)
    {
        var folder = Cifar10Folder.Locate(root);
        var train = Cifar10Images.Read(folder, folder.TrainingFiles);
        var test = Cifar10Images.Read(folder, [folder.TestFile]);
        return (new PixelMatrix(train.Count, train.Pixels), train.Labels, new PixelMatrix(test.Count, test.Pixels), test.Labels);
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
    /// All four sets minus the training mean image, with a bias column of ones appended (D = 3073), each a read-only
    /// <see cref="CenteredPixelMatrix"/> (XTrain 150 MB instead of 1.2 GB, the same values); <c>ToDense()</c> gives a
    /// mutable copy.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, zero where rows are needed, or more than the data holds.</exception>
    /// <exception cref="DirectoryNotFoundException">No CIFAR-10 folder under root.</exception>
    /// <exception cref="FileNotFoundException">A batch file is missing.</exception>
    /// <exception cref="InvalidDataException">A batch file has a wrong size, a label above 9, or bad pickle content.</exception>
    public static Cifar10Data GetForLinearClassifier(string root, int numTraining = 49000, int numValidation = 1000,
        int numTest = 1000, int numDev = 500, int? seed = null, int samplesPerClass = 7)
    {
        CheckCounts(numTraining, numValidation, numTest, numDev, samplesPerClass);
        var folder = Cifar10Folder.Locate(root);
        var classNames = folder.ReadClassNames();
        var trainRecords = Cifar10Images.Read(folder, folder.TrainingFiles);
        var testRecords = Cifar10Images.Read(folder, [folder.TestFile]);
        CheckCounts(folder, numTraining, numValidation, numTest, trainRecords.Count, testRecords.Count);
        var random = seed is int s ? new Random(s) : new Random();

        // 1. Split: training rows first, the validation rows right after them, the first test rows, and dev rows
        //    drawn from the training rows.
        var train = trainRecords.Rows(0, numTraining);
        var val = trainRecords.Rows(numTraining, numValidation);
        var test = testRecords.Rows(0, numTest);
        var devRows = DrawWithoutReplacement(numTraining, numDev, random);
        var samples = DrawSamplesPerClass(trainRecords.Labels, samplesPerClass, random)
            .Select(row => new Cifar10Image(row, trainRecords.Labels[row], classNames[trainRecords.Labels[row]],
                trainRecords.Pixels.AsSpan(row * ImageSize, ImageSize).ToArray()))
            .ToArray();

        // 2. Flatten: each image is already one row of 3072 bytes in (32, 32, 3) order.
        // 3. Subtract the mean image of the training rows, and 4. append a bias column of ones: a CenteredPixelMatrix
        //    does both on the fly from the bytes (150 MB for XTrain instead of 1.2 GB of doubles, the same values).
        var meanImage = train.MeanImage();
        var XTrain = new CenteredPixelMatrix(numTraining, train.Pixels, meanImage);
        //    The other sets too: the dev set's products read 1.5 MB of bytes instead of 12 MB of doubles, which made
        //    the notebooks' timed dev-set losses memory-bound.
        var XVal = new CenteredPixelMatrix(numValidation, val.Pixels, meanImage);
        var XTest = new CenteredPixelMatrix(numTest, test.Pixels, meanImage);
        var XDev = XTrain.SelectRows(devRows);
        var yDev = devRows.Select(row => train.Labels[row]).ToArray();

        return new Cifar10Data(XTrain, train.Labels, XVal, val.Labels, XTest, test.Labels, XDev, yDev, meanImage,
            classNames, samples, trainRecords.Count, testRecords.Count);
    }

    /// <summary>
    /// Loads CIFAR-10 split but raw, for feature extraction: the features notebook's <c>get_CIFAR10_data</c> (no mean
    /// subtraction, no bias column).
    /// </summary>
    /// <param name="root">The data folder (holding <c>cifar-10-batches-bin/</c> or <c>cifar-10-batches-py/</c>), or that folder itself.</param>
    /// <param name="numTraining">Training images: the first numTraining training records.</param>
    /// <param name="numValidation">Validation images: the training records right after those.</param>
    /// <param name="numTest">Test images: the first numTest test records.</param>
    /// <returns>The three sets as pixel bytes (184 MB for all of CIFAR-10, where numpy holds 1.5 GB of doubles) and their labels.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, zero where rows are needed, or more than the data holds.</exception>
    /// <exception cref="DirectoryNotFoundException">No CIFAR-10 folder under root.</exception>
    /// <exception cref="FileNotFoundException">A batch file is missing.</exception>
    /// <exception cref="InvalidDataException">A batch file has a wrong size, a label above 9, or bad pickle content.</exception>
    public static Cifar10RawData GetRaw(string root, int numTraining = 49000, int numValidation = 1000, int numTest = 1000)
    {
        CheckCounts(numTraining, numValidation, numTest, numDev: 0, samplesPerClass: 0);
        var folder = Cifar10Folder.Locate(root);
        var trainRecords = Cifar10Images.Read(folder, folder.TrainingFiles);
        var testRecords = Cifar10Images.Read(folder, [folder.TestFile]);
        CheckCounts(folder, numTraining, numValidation, numTest, trainRecords.Count, testRecords.Count);
        var train = trainRecords.Rows(0, numTraining);
        var val = trainRecords.Rows(numTraining, numValidation);
        var test = testRecords.Rows(0, numTest);
        return new Cifar10RawData(new RawImages(train.Pixels), train.Labels, new RawImages(val.Pixels), val.Labels,
            new RawImages(test.Pixels), test.Labels, folder.ReadClassNames());
    }

    private static void CheckCounts(int numTraining, int numValidation, int numTest, int numDev, int samplesPerClass)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numTraining, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(numValidation);
        ArgumentOutOfRangeException.ThrowIfNegative(numTest);
        ArgumentOutOfRangeException.ThrowIfNegative(numDev);
        ArgumentOutOfRangeException.ThrowIfNegative(samplesPerClass);
        if (numDev > numTraining)
            throw new ArgumentOutOfRangeException(nameof(numDev), numDev,
                $"numDev ({numDev}) exceeds numTraining ({numTraining}); the dev rows are drawn from the training rows without replacement.");
    }

    private static void CheckCounts(Cifar10Folder folder, int numTraining, int numValidation, int numTest, int trainingRecords, int testRecords)
    {
        if ((long)numTraining + numValidation > trainingRecords)
            throw new ArgumentOutOfRangeException(nameof(numTraining), numTraining,
                $"numTraining ({N(numTraining)}) + numValidation ({N(numValidation)}) = {N((long)numTraining + numValidation)} " +
                $"exceeds the {N(trainingRecords)} training records in {folder.Path}.");
        if (numTest > testRecords)
            throw new ArgumentOutOfRangeException(nameof(numTest), numTest,
                $"numTest ({N(numTest)}) exceeds the {N(testRecords)} records in {folder.TestFile}.");
    }

    private static string N(long value) => Cifar10Batch.N(value);

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
    private static int[] DrawSamplesPerClass(int[] labels, int perClass, Random random)
    {
        var rows = new List<int>();
        for (int c = 0; c < Cifar10Batch.ClassCount; c++)
        {
            var ofClass = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
            foreach (int pick in DrawWithoutReplacement(ofClass.Length, Math.Min(perClass, ofClass.Length), random))
                rows.Add(ofClass[pick]);
        }
        return rows.ToArray();
    }
}
