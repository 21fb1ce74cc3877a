using DaseCV.Classifiers;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Grader.Harness;

/// <summary>
/// The linear classifier's own requests (the SVM exercise's LinearClassifier.Train and Predict): LinearTrainSteps runs
/// the student's Train on a probe classifier whose loss is known, and replies every minibatch and W it saw;
/// LinearPredict asks Predict for the labels of X under a given W. The SVM's losses and training go through the
/// shared Loss, LossBatch and SvmTrain requests.
/// </summary>
internal static class SvmRequests
{
    /// <summary>Answers <paramref name="request"/> when it is one of these; false otherwise.</summary>
    public static bool Serve(byte request, BinaryReader input, BinaryWriter output, Action<Action> reply)
    {
        switch (request)
        {
            case Wire.LinearTrainSteps:
            {
                var X = Wire.ReadMatrix(input)!;
                var y = Wire.ReadInts(input)!;
                var W = Wire.ReadMatrix(input)!;
                double learningRate = input.ReadDouble();
                int numIters = input.ReadInt32(), batchSize = input.ReadInt32(), seed = input.ReadInt32();
                if (numIters is < 1 or > Wire.MaxProbeSteps)
                    throw new InvalidDataException($"{numIters} probe steps");
                reply(() =>
                {
                    var probe = new Probe(seed) { W = W };
                    probe.Train(X, y, learningRate: learningRate, reg: 0, numIters: numIters, batchSize: batchSize);
                    output.Write(Wire.Ok);
                    output.Write(probe.Steps.Count);
                    foreach (var (XBatch, yBatch, WBefore) in probe.Steps)
                    {
                        Wire.WriteMatrix(output, XBatch);
                        Wire.WriteInts(output, yBatch);
                        Wire.WriteMatrix(output, WBefore);
                    }

                    Wire.WriteMatrix(output, probe.W);
                });
                return true;
            }
            case Wire.LinearPredict:
            {
                var W = Wire.ReadMatrix(input)!;
                var X = Wire.ReadMatrix(input)!;
                reply(() =>
                {
                    var labels = new LinearSvm(0) { W = W }.Predict(X);
                    output.Write(Wire.Ok);
                    Wire.WriteInts(output, labels);
                });
                return true;
            }
            default:
                return false;
        }
    }

    /// <summary>
    /// A linear classifier whose loss only records what Train gave it: the grader recomputes the gradient from the
    /// recorded minibatch (<see cref="Wire.ProbeGradient"/>), so Train's sampling and update are judged apart from any loss.
    /// </summary>
    private sealed class Probe(int seed) : LinearClassifier(seed)
    {
        public List<(Matrix<double> XBatch, int[] yBatch, Matrix<double> W)> Steps { get; } = [];

        public override (double Loss, Matrix<double> Grad) Loss(Matrix<double> XBatch, int[] yBatch, double reg)
        {
            // Copies: Train may overwrite its minibatch buffer and W in place at the next step.
            if (Steps.Count < Wire.MaxProbeSteps)
                Steps.Add((XBatch.Clone(), (int[])yBatch.Clone(), RequireW().Clone()));
            return (1.0, Wire.ProbeGradient(XBatch, yBatch, RequireW().ColumnCount));
        }
    }
}
