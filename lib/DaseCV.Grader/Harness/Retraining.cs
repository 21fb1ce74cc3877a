using DaseCV.Classifiers;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Grader.Harness;

/// <summary>
/// The retraining checks' run of a two-layer net, one recipe for both sides: the harness calls it with the student's
/// DaseCV, the grader with the instructor's for the threshold (this file is compiled into both).
/// </summary>
internal static class Retraining
{
    /// <summary>Training rows passed to Train as its own validation set (its per-epoch accuracy; not judged).</summary>
    private const int WatchedRows = 200;

    /// <summary>A net of <paramref name="hidden"/> units from <paramref name="seed"/>, trained on (X, y); its labels of XVal.</summary>
    /// <remarks>Train's validation set is training rows, so the real validation labels never reach the student's code.</remarks>
    public static int[] NetPredictions(Matrix<double> X, int[] y, Matrix<double> XVal, int hidden, int seed, int numIters, int batchSize,
        double learningRate, double learningRateDecay, double reg)
    {
        var watched = Math.Min(X.RowCount, WatchedRows);
        var net = new TwoLayerNet(X.ColumnCount, hidden, y.Max() + 1, seed: seed);
        net.Train(X, y, X.SubMatrix(0, watched, 0, X.ColumnCount), y[..watched], learningRate: learningRate, learningRateDecay: learningRateDecay, reg: reg,
            numIters: numIters, batchSize: batchSize);
        return net.Predict(XVal);
    }
}
