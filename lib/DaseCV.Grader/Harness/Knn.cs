using DaseCV.Classifiers;

namespace DaseCV.Grader.Harness;

/// <summary>
/// The kNN requests: KnnTrain memorises a training set (Train is given code), KnnDistances asks one of the three
/// distance functions for a test set, KnnPredictLabels lets the memorised labels vote on the grader's distances.
/// </summary>
internal static class KnnRequests
{
    /// <summary>The classifier of the last KnnTrain; the distance and label requests use it.</summary>
    private static KNearestNeighbor? s_classifier;

    /// <summary>Answers <paramref name="request"/> when it is a kNN request; false otherwise.</summary>
    public static bool Serve(byte request, BinaryReader input, BinaryWriter output, Action<Action> reply)
    {
        switch (request)
        {
            case Wire.KnnTrain:
            {
                var X = Wire.ReadMatrix(input)!;
                var y = Wire.ReadInts(input)!;
                reply(() =>
                {
                    var classifier = new KNearestNeighbor();
                    classifier.Train(X, y);
                    s_classifier = classifier;
                    output.Write(Wire.Ok);
                });
                return true;
            }
            case Wire.KnnDistances:
            {
                var loops = input.ReadByte();
                var X = Wire.ReadMatrix(input)!;
                reply(() =>
                {
                    var classifier = s_classifier!;
                    var dists = loops switch
                    {
                        0 => classifier.ComputeDistancesNoLoops(X),
                        1 => classifier.ComputeDistancesOneLoop(X),
                        2 => classifier.ComputeDistancesTwoLoops(X),
                        _ => throw new InvalidDataException($"{loops} loops"),
                    };
                    output.Write(Wire.Ok);
                    Wire.WriteMatrix(output, dists);
                });
                return true;
            }
            case Wire.KnnPredictLabels:
            {
                var k = input.ReadInt32();
                var dists = Wire.ReadMatrix(input)!;
                reply(() =>
                {
                    var labels = s_classifier!.PredictLabels(dists, k);
                    output.Write(Wire.Ok);
                    Wire.WriteInts(output, labels);
                });
                return true;
            }
            default:
                return false;
        }
    }
}
