using DaseCV.Classifiers;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Grader.Harness;

/// <summary>
/// The two-layer net's requests. Each but NetTrain sends the parameters W1, b1, W2, b2 first and builds a net that
/// holds them (the constructor is given code), then: NetScores asks the forward pass, NetLoss the loss and every
/// gradient, NetStep the gradients and the parameters after one step of Train, NetPredict the labels. NetTrain builds a
/// net from a seed (given code, as the notebook's toy net), trains it with the student's Train and replies its losses;
/// NetTrainPredict does the same on a data set with the student's chosen hyperparameters and replies labels of its
/// validation rows.
/// </summary>
internal static class TwoLayerNetRequests
{
    /// <summary>Most iterations NetTrain may reply losses for.</summary>
    public const int MaxIterations = 5000;

    /// <summary>Answers <paramref name="request"/> when it is a two-layer net request; false otherwise.</summary>
    public static bool Serve(byte request, BinaryReader input, BinaryWriter output, Action<Action> reply)
    {
        switch (request)
        {
            case Wire.NetScores:
            {
                var parameters = Wire.ReadNetParams(input);
                var X = Wire.ReadMatrix(input)!;
                reply(() =>
                {
                    var scores = Net(parameters).Loss(X);
                    output.Write(Wire.Ok);
                    Wire.WriteMatrix(output, scores);
                });
                return true;
            }
            case Wire.NetLoss:
            {
                var parameters = Wire.ReadNetParams(input);
                var X = Wire.ReadMatrix(input)!;
                var y = Wire.ReadInts(input)!;
                var reg = input.ReadDouble();
                reply(() =>
                {
                    var (loss, grads) = Net(parameters).Loss(X, y, reg);
                    output.Write(Wire.Ok);
                    output.Write(loss);
                    Wire.WriteNetParams(output, grads);
                });
                return true;
            }
            case Wire.NetStep:
            {
                var parameters = Wire.ReadNetParams(input);
                var X = Wire.ReadMatrix(input)!;
                var y = Wire.ReadInts(input)!;
                double reg = input.ReadDouble(), learningRate = input.ReadDouble();
                reply(() =>
                {
                    // The student's own gradients at the starting point, then one step: the update is judged against them.
                    var (_, grads) = Net(parameters).Loss(X, y, reg);
                    var copies = grads.ToDictionary(g => g.Key, g => g.Value?.Clone()!);
                    var net = Net(parameters);
                    net.Train(X, y, X, y, learningRate: learningRate, learningRateDecay: 1, reg: reg, numIters: 1, batchSize: X.RowCount);
                    output.Write(Wire.Ok);
                    Wire.WriteNetParams(output, copies);
                    Wire.WriteNetParams(output, net.Params);
                });
                return true;
            }
            case Wire.NetPredict:
            {
                var parameters = Wire.ReadNetParams(input);
                var X = Wire.ReadMatrix(input)!;
                reply(() =>
                {
                    var labels = Net(parameters).Predict(X);
                    output.Write(Wire.Ok);
                    Wire.WriteInts(output, labels);
                });
                return true;
            }
            case Wire.NetTrain:
            {
                var X = Wire.ReadMatrix(input)!;
                var y = Wire.ReadInts(input)!;
                var XVal = Wire.ReadMatrix(input)!;
                var yVal = Wire.ReadInts(input)!;
                int hidden = input.ReadInt32(), classes = input.ReadInt32(), seed = input.ReadInt32(), numIters = input.ReadInt32(), batchSize = input.ReadInt32();
                double std = input.ReadDouble(), learningRate = input.ReadDouble(), decay = input.ReadDouble(), reg = input.ReadDouble();
                if (numIters is < 1 or > MaxIterations)
                    throw new InvalidDataException($"{numIters} iterations");
                reply(() =>
                {
                    var net = new TwoLayerNet(X.ColumnCount, hidden, classes, std, seed);
                    var history = net.Train(X, y, XVal, yVal, learningRate: learningRate, learningRateDecay: decay, reg: reg, numIters: numIters, batchSize: batchSize);
                    var losses = history?.LossHistory ?? [];
                    output.Write(Wire.Ok);
                    Wire.WriteMatrix(output, Matrix<double>.Build.Dense(1, Math.Min(losses.Count, MaxIterations), (_, j) => losses[j]));
                });
                return true;
            }
            case Wire.NetTrainPredict:
            {
                // The retraining check: a net of the student's chosen size trained by the student's code with the
                // student's chosen hyperparameters; only its labels of XVal go back (the grader holds yVal).
                var X = WireRows.Read(input);
                var y = Wire.ReadInts(input)!;
                var XVal = WireRows.Read(input);
                int hidden = input.ReadInt32(), seed = input.ReadInt32(), numIters = input.ReadInt32(), batchSize = input.ReadInt32();
                double learningRate = input.ReadDouble(), decay = input.ReadDouble(), reg = input.ReadDouble();
                if (numIters is < 1 or > MaxIterations)
                    throw new InvalidDataException($"{numIters} iterations");
                reply(() =>
                {
                    var labels = Retraining.NetPredictions(X, y, XVal, hidden, seed, numIters, batchSize, learningRate, decay, reg);
                    output.Write(Wire.Ok);
                    Wire.WriteInts(output, labels);
                });
                return true;
            }
            default:
                return false;
        }
    }

    /// <summary>A net of the parameters' sizes that holds copies of them (the student's code may change what it holds).</summary>
    private static TwoLayerNet Net(Dictionary<string, Matrix<double>?> parameters)
    {
        var W1 = parameters["W1"]!;
        var net = new TwoLayerNet(W1.RowCount, W1.ColumnCount, parameters["W2"]!.ColumnCount, seed: 0);
        foreach (var (name, value) in parameters)
            net.Params[name] = value!.Clone();
        return net;
    }
}
