using System.Collections.Concurrent;
using DaseCV.Classifiers;
using DaseCV.Data;
using DaseCV.Grader.Harness;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Grader;

/// <summary>
/// The retraining checks' data and thresholds, for one <c>serve</c>: the subset of CIFAR-10 a request names
/// (<see cref="TuningSubset"/>), loaded once, its image features computed once, and the accuracy of each
/// instructor's choice trained by the instructor's code computed once and shared by every submission.
/// </summary>
internal sealed class TuningSets
{
    private readonly ConcurrentDictionary<string, Lazy<TuningSet>> _sets = new();

    /// <summary>The subset under <paramref name="dataFolder"/>; the first call loads it.</summary>
    /// <exception cref="IOException">The folder does not hold the subset (the runner checked it before grading began: the machine's fault).</exception>
    public TuningSet Get(string dataFolder) => _sets.GetOrAdd(Path.GetFullPath(dataFolder), folder => new Lazy<TuningSet>(() => TuningSet.Load(folder))).Value;
}

/// <summary>The retraining data of one subset: raw pixels for the two-layer net, standardized image features for the features exercise.</summary>
internal sealed class TuningSet
{
    /// <summary>The fixed training run every choice gets: the student's and the instructor's alike.</summary>
    public const int NetIters = 1000, SvmIters = 1500, BatchSize = 200, Seed = 0;

    private readonly string _folder;
    private readonly Lazy<Cifar10Data> _pixels;
    private readonly Lazy<FeatureSet> _features;
    private readonly ConcurrentDictionary<(string Check, Hyperparameters Choice), Lazy<Task<double>>> _references = new();

    private TuningSet(string folder)
    {
        _folder = folder;
        _pixels = new(() => Cifar10.GetForLinearClassifier(folder, TuningSubset.Training, TuningSubset.Validation, numTest: 1, numDev: 0, seed: 0, samplesPerClass: 0));
        _features = new(() => FeatureSet.Extract(Cifar10.GetRaw(folder, TuningSubset.Training, TuningSubset.Validation, numTest: 1)));
    }

    public static TuningSet Load(string folder)
    {
        // The folder is checked now, so that a missing subset is one clear fault instead of a failure inside a check.
        Cifar10.ReadClassNames(folder);
        return new TuningSet(folder);
    }

    /// <summary>The two-layer exercise's data: XTrain (5000, 3073) as pixel bytes, XVal (1000, 3073) dense, both minus the training mean, with the bias column.</summary>
    public Cifar10Data Pixels => _pixels.Value;

    /// <summary>The features exercise's data.</summary>
    public FeatureSet Features => _features.Value;

    /// <summary>
    /// The instructor's validation accuracy for <paramref name="check"/> with <paramref name="choice"/>, trained once per
    /// serve on a thread of its own (seconds of training must not hold a thread-pool thread the sandbox's pumps need).
    /// </summary>
    public Task<double> ReferenceAccuracyAsync(string check, Hyperparameters choice) =>
        _references.GetOrAdd((check, choice), key => new Lazy<Task<double>>(() =>
            Task.Factory.StartNew(() => Train(key.Check, key.Choice), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))).Value;

    /// <summary>The instructor's code on the same run the student's code gets in the harness.</summary>
    private double Train(string check, Hyperparameters choice)
    {
        var (XTrain, yTrain, XVal, yVal) = Data(check);
        int[] predictions;
        if (choice.HiddenSize is not { } hidden)
        {
            var svm = new LinearSvm(Seed);
            svm.Train(XTrain, yTrain, learningRate: choice.LearningRate, reg: choice.Reg, numIters: SvmIters, batchSize: BatchSize);
            predictions = svm.Predict(XVal);
        }
        else
            predictions = Retraining.NetPredictions(XTrain, yTrain, XVal, hidden, Seed, NetIters, BatchSize, choice.LearningRate, choice.LearningRateDecay ?? 1, choice.Reg);

        return Accuracy(yVal, predictions);
    }

    /// <summary>The training and validation sets of a retraining check: pixels for two_layer_net's, features (with the bias column for the SVM) for the features exercise's.</summary>
    public (Matrix<double> XTrain, int[] yTrain, Matrix<double> XVal, int[] yVal) Data(string check) => check switch
    {
        "tuned-accuracy" => (Pixels.XTrain, Pixels.yTrain, Pixels.XVal, Pixels.yVal),
        "svm-tuned" => (Features.XTrainWithBias, Features.yTrain, Features.XValWithBias, Features.yVal),
        "net-tuned" => (Features.XTrain, Features.yTrain, Features.XVal, Features.yVal),
        _ => throw new InvalidOperationException($"no retraining data for the check '{check}' in {_folder}"),
    };

    public static double Accuracy(int[] y, int[] yPred) => y.Zip(yPred).Average(p => p.First == p.Second ? 1.0 : 0.0);
}

/// <summary>
/// The features notebook's data (cell 47e1144df037 and the feature cell 9965352439a2): HOG and a 10-bin hue histogram of
/// every image, minus the training mean, divided by the training standard deviation (a constant feature stays 0); the
/// SVM's sets get a bias column of ones, the net's do not.
/// </summary>
internal sealed record FeatureSet(Matrix<double> XTrain, int[] yTrain, Matrix<double> XVal, int[] yVal)
{
    public Matrix<double> XTrainWithBias { get; } = AddBias(XTrain);

    public Matrix<double> XValWithBias { get; } = AddBias(XVal);

    public static FeatureSet Extract(Cifar10RawData raw)
    {
        List<Func<ReadOnlySpan<byte>, double[]>> featureFns = [img => DaseCV.Features.HogFeature(img), img => DaseCV.Features.ColorHistogramHsv(img, nbin: 10)];
        var train = DaseCV.Features.ExtractFeatures(raw.XTrain, featureFns);
        var val = DaseCV.Features.ExtractFeatures(raw.XVal, featureFns);
        var mean = train.ColumnSums() / train.RowCount;
        var std = (train - Matrix<double>.Build.Dense(train.RowCount, train.ColumnCount, (_, j) => mean[j])).ColumnNorms(2.0) / Math.Sqrt(train.RowCount);
        Matrix<double> Standardize(Matrix<double> feats) => feats.MapIndexed((_, j, v) => std[j] > 0 ? (v - mean[j]) / std[j] : 0.0);
        return new FeatureSet(Standardize(train), raw.yTrain, Standardize(val), raw.yVal);
    }

    private static Matrix<double> AddBias(Matrix<double> feats) => feats.Append(Matrix<double>.Build.Dense(feats.RowCount, 1, 1.0));
}
