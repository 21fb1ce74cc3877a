using System.Collections;

namespace DaseCV.Notebook;

/// <summary>
/// The tuning cell's <c>results</c>: CS231n's dictionary from <c>(learning_rate, reg)</c> to
/// <c>(train_accuracy, val_accuracy)</c>, which also shows how many configurations are done.
/// </summary>
/// <remarks>
/// Progress is counted where every tuning block already reports its results, <c>results[(lr, reg)] = (…, …)</c>,
/// so a student's plain nested loop shows a moving line as well as the solution's parallel one, without a progress
/// call of its own. Safe to fill from several threads at once.
/// </remarks>
public sealed class TuningResults : IReadOnlyDictionary<(double LearningRate, double Reg), (double TrainAccuracy, double ValAccuracy)>
{
    private readonly Dictionary<(double LearningRate, double Reg), (double TrainAccuracy, double ValAccuracy)> _results = [];
    private readonly Lock _gate = new();
    private readonly int _expected;
    private readonly ProgressDisplay? _progress;

    /// <summary>Creates empty results.</summary>
    /// <param name="expected">How many configurations the grid has (learning rates × regularization strengths), at least 1.</param>
    /// <param name="progress">Shows "done/expected" after every new configuration; null shows nothing.</param>
    public TuningResults(int expected, ProgressDisplay? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(expected, 1);
        _expected = expected;
        _progress = progress;
        _progress?.Report(0, expected);
    }

    /// <summary>Empty results with a progress line "tuning done/expected" in the running notebook cell.</summary>
    /// <param name="expected">How many configurations the grid has, at least 1.</param>
    public static TuningResults InNotebook(int expected) => new(expected, ProgressDisplay.InNotebook("tuning"));

    /// <summary>The accuracies of one configuration; setting it records them and updates the progress line.</summary>
    /// <exception cref="KeyNotFoundException">Getting a configuration that has no results (yet).</exception>
    public (double TrainAccuracy, double ValAccuracy) this[(double LearningRate, double Reg) key]
    {
        get
        {
            lock (_gate)
                return _results.TryGetValue(key, out var value) ? value
                    : throw new KeyNotFoundException($"results 中没有 (lr {Py.E(key.LearningRate)}, reg {Py.E(key.Reg)}) 的结果 (no results for that configuration).");
        }
        set
        {
            int done;
            lock (_gate)
            {
                _results[key] = value;
                done = _results.Count;
            }

            // A grid larger than announced (the student added values) still ends at done/done, never past 100 %.
            _progress?.Report(done, Math.Max(done, _expected),
                $"lr {Py.E(key.LearningRate)} reg {Py.E(key.Reg)} val accuracy: {Py.F(value.ValAccuracy)}");
        }
    }

    /// <summary>Records a configuration's accuracies, as the indexer does.</summary>
    public void Add((double LearningRate, double Reg) key, (double TrainAccuracy, double ValAccuracy) value) => this[key] = value;

    /// <inheritdoc/>
    public IEnumerable<(double LearningRate, double Reg)> Keys
    {
        get
        {
            lock (_gate)
                return _results.Keys.ToArray();
        }
    }

    /// <inheritdoc/>
    public IEnumerable<(double TrainAccuracy, double ValAccuracy)> Values
    {
        get
        {
            lock (_gate)
                return _results.Values.ToArray();
        }
    }

    /// <inheritdoc/>
    public int Count
    {
        get
        {
            lock (_gate)
                return _results.Count;
        }
    }

    /// <inheritdoc/>
    public bool ContainsKey((double LearningRate, double Reg) key)
    {
        lock (_gate)
            return _results.ContainsKey(key);
    }

    /// <inheritdoc/>
    public bool TryGetValue((double LearningRate, double Reg) key, out (double TrainAccuracy, double ValAccuracy) value)
    {
        lock (_gate)
            return _results.TryGetValue(key, out value);
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<(double LearningRate, double Reg), (double TrainAccuracy, double ValAccuracy)>> GetEnumerator()
    {
        lock (_gate)
            return _results.ToList().GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
