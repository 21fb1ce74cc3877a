using System.Reflection;
using DaseCV.Classifiers;
using DaseCV.Grader.Harness;

// Started by the grader inside the sandbox: requests on stdin, replies on stdout, until an End request. The
// channel is taken before any student code runs; the student's Console output goes to stderr, which the grader
// reads with a budget. Whatever arrives on the channel is only the student's own result: the grader compares.
var channelOut = new BinaryWriter(new BufferedStream(Console.OpenStandardOutput()));
var channelIn = new BinaryReader(new BufferedStream(Console.OpenStandardInput()));
Console.SetOut(Console.Error);
Console.SetIn(TextReader.Null);

MathNet.Numerics.LinearAlgebra.Matrix<double>? lastX = null;  // the speed check sends its X once
while (true)
{
    var request = channelIn.ReadByte();
    if (request == Wire.End)
        break;
    if (request == Wire.Loss)
    {
        var function = channelIn.ReadByte();
        var reg = channelIn.ReadDouble();
        var y = Wire.ReadInts(channelIn)!;
        var W = Wire.ReadMatrix(channelIn)!;
        // SameX saves sending X again, never the object: a loss memoised on X's identity must not pass a gradient check.
        var X = channelIn.ReadByte() == Wire.SameX ? lastX!.Clone() : Wire.ReadMatrix(channelIn)!;
        lastX = X;
        Reply(() =>
        {
            var (loss, grad) = LossOf(function, W, X, y, reg);
            channelOut.Write(Wire.Ok);
            channelOut.Write(loss);
            Wire.WriteMatrix(channelOut, grad);
        });
    }
    else if (request == Wire.LossBatch)
    {
        // Several calls back to back, each on its own W, answered together: the speed check's unit of timing.
        var function = channelIn.ReadByte();
        var reg = channelIn.ReadDouble();
        var y = Wire.ReadInts(channelIn)!;
        var count = channelIn.ReadInt32();
        var Ws = Enumerable.Range(0, count is > 0 and <= 64 ? count : throw new InvalidDataException($"a batch of {count}")).Select(_ => Wire.ReadMatrix(channelIn)!).ToList();
        var X = lastX!;
        var replies = new List<(double, MathNet.Numerics.LinearAlgebra.Matrix<double>)>(count);
        Reply(() =>
        {
            foreach (var W in Ws)
                replies.Add(LossOf(function, W, X, y, reg));
            channelOut.Write(Wire.Ok);
            foreach (var (loss, grad) in replies)
            {
                channelOut.Write(loss);
                Wire.WriteMatrix(channelOut, grad);
            }
        });
    }
    else if (request is Wire.Train or Wire.SvmTrain)
    {
        var XTrain = Wire.ReadMatrix(channelIn)!;
        var yTrain = Wire.ReadInts(channelIn)!;
        var XVal = Wire.ReadMatrix(channelIn)!;
        double learningRate = channelIn.ReadDouble(), reg = channelIn.ReadDouble();
        int numIters = channelIn.ReadInt32(), batchSize = channelIn.ReadInt32(), seed = channelIn.ReadInt32();
        Reply(() =>
        {
            LinearClassifier classifier = request == Wire.Train ? new Softmax(seed) : new LinearSvm(seed);
            var history = classifier.Train(XTrain, yTrain, learningRate: learningRate, reg: reg, numIters: numIters, batchSize: batchSize);
            var predictions = classifier.Predict(XVal);
            channelOut.Write(Wire.Ok);
            channelOut.Write(history?.Count ?? -1);
            Wire.WriteInts(channelOut, predictions);
        });
    }
    else if (!KnnRequests.Serve(request, channelIn, channelOut, Reply) && !SvmRequests.Serve(request, channelIn, channelOut, Reply)
             && !TwoLayerNetRequests.Serve(request, channelIn, channelOut, Reply))
        throw new InvalidDataException($"unknown request {request}");
}

channelOut.Flush();
// Exit now, whatever threads the student's code left running: the grader counts a result only after a clean exit.
Environment.Exit(0);

static (double Loss, MathNet.Numerics.LinearAlgebra.Matrix<double> Grad) LossOf(byte function, MathNet.Numerics.LinearAlgebra.Matrix<double> W,
    MathNet.Numerics.LinearAlgebra.Matrix<double> X, int[] y, double reg) => function switch
{
    Wire.Naive => SoftmaxLoss.Naive(W, X, y, reg),
    Wire.Vectorized => SoftmaxLoss.Vectorized(W, X, y, reg),
    Wire.SvmNaive => SvmLoss.Naive(W, X, y, reg),
    Wire.SvmVectorized => SvmLoss.Vectorized(W, X, y, reg),
    _ => throw new InvalidDataException($"unknown loss {function}"),
};

void Reply(Action call)
{
    try
    {
        call();
    }
    catch (Exception e)
    {
        while (e is TargetInvocationException { InnerException: { } inner })
            e = inner;
        channelOut.Write(Wire.Threw);
        Wire.WriteString(channelOut, e.GetType().Name);
        Wire.WriteString(channelOut, e.Message);
        var frame = e.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        Wire.WriteString(channelOut, frame);
    }

    channelOut.Flush();
}
