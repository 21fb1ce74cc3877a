using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Grader.Harness;

/// <summary>
/// The harness's channel to the grader: little-endian binary frames over stdin (requests) and stdout (replies).
/// One source for both ends. Readers bound every length, because the grader reads what student code may have
/// written: a corrupt or oversized frame is an <see cref="InvalidDataException"/>, never a huge allocation.
/// </summary>
internal static class Wire
{
    public const byte End = 0, Loss = 1, Train = 2, LossBatch = 3, Compile = 4;
    public const byte KnnTrain = 5, KnnDistances = 6, KnnPredictLabels = 7;
    public const byte SvmTrain = 8, LinearTrainSteps = 9, LinearPredict = 10;
    public const byte NetScores = 11, NetLoss = 12, NetStep = 13, NetPredict = 14, NetTrain = 15, NetTrainPredict = 16;

    /// <summary>The loss a Loss or LossBatch request calls: softmax's or the SVM's, naive or vectorized.</summary>
    public const byte Naive = 0, Vectorized = 1, SvmNaive = 2, SvmVectorized = 3;
    public const byte Ok = 0, Threw = 1;
    public const byte NewX = 0, SameX = 1;

    /// <summary>Largest matrix a frame may hold (the speed checks' X, 500 × 3073, and kNN's training sets fit).</summary>
    public const int MaxElements = 4_000_000;
    public const int MaxStringChars = 2000;

    /// <summary>Most steps a LinearTrainSteps run may record (its reply stays small).</summary>
    public const int MaxProbeSteps = 16;

    /// <summary>Largest source file or compiler report on the channel (the runner caps a submitted file far below).</summary>
    public const int MaxTextChars = 1 << 20;

    /// <summary>Largest compiled library on the channel.</summary>
    public const int MaxAssemblyBytes = 16 << 20;

    /// <summary>
    /// The gradient of the harness's probe classifier (LinearTrainSteps), <c>XBatchᵀ·onehot(yBatch)/N</c>: it depends
    /// on every row and its label, and both ends compute it, the grader from the minibatch the harness recorded.
    /// </summary>
    public static Matrix<double> ProbeGradient(Matrix<double> XBatch, int[] yBatch, int classes) =>
        XBatch.TransposeThisAndMultiply(Matrix<double>.Build.Dense(yBatch.Length, classes, (i, c) => yBatch[i] == c ? 1.0 : 0.0)) / yBatch.Length;

    public static void WriteMatrix(BinaryWriter w, Matrix<double>? m)
    {
        if (m is null)
        {
            w.Write(-1);
            w.Write(-1);
            return;
        }

        w.Write(m.RowCount);
        w.Write(m.ColumnCount);
        var values = m.ToRowMajorArray();
        var bytes = new byte[values.Length * sizeof(double)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        w.Write(bytes);
    }

    /// <summary>A matrix, or null when the sender sent none (a null gradient).</summary>
    public static Matrix<double>? ReadMatrix(BinaryReader r)
    {
        int rows = r.ReadInt32(), columns = r.ReadInt32();
        if (rows == -1 && columns == -1)
            return null;
        if (rows < 0 || columns < 0 || (long)rows * columns > MaxElements)
            throw new InvalidDataException($"a matrix of {rows} × {columns} on the channel");
        var bytes = ReadExactly(r, rows * columns * sizeof(double));
        var values = new double[rows * columns];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return Matrix<double>.Build.DenseOfRowMajor(rows, columns, values);
    }

    /// <summary>The two-layer net's parameters (or gradients) by name, in the order W1, b1, W2, b2.</summary>
    public static readonly IReadOnlyList<string> NetNames = ["W1", "b1", "W2", "b2"];

    /// <summary>W1, b1, W2, b2 in this order; a missing one is written as null.</summary>
    public static void WriteNetParams(BinaryWriter w, IReadOnlyDictionary<string, Matrix<double>> parameters)
    {
        foreach (var name in NetNames)
            WriteMatrix(w, parameters.GetValueOrDefault(name));
    }

    /// <summary>W1, b1, W2, b2; a missing one is null.</summary>
    public static Dictionary<string, Matrix<double>?> ReadNetParams(BinaryReader r) => NetNames.ToDictionary(n => n, _ => ReadMatrix(r));

    public static void WriteInts(BinaryWriter w, int[]? values)
    {
        w.Write(values?.Length ?? -1);
        foreach (var v in values ?? [])
            w.Write(v);
    }

    public static int[]? ReadInts(BinaryReader r)
    {
        var length = r.ReadInt32();
        if (length == -1)
            return null;
        if (length < 0 || length > MaxElements)
            throw new InvalidDataException($"an int array of length {length} on the channel");
        var values = new int[length];
        for (var i = 0; i < length; i++)
            values[i] = r.ReadInt32();
        return values;
    }

    public static void WriteString(BinaryWriter w, string text) =>
        w.Write(text.Length > MaxStringChars ? text[..MaxStringChars] : text);

    public static string ReadString(BinaryReader r)
    {
        var text = r.ReadString();
        return text.Length > MaxStringChars ? throw new InvalidDataException("an over-long string on the channel") : text;
    }

    public static void WriteText(BinaryWriter w, string text) =>
        w.Write(text.Length > MaxTextChars ? text[..MaxTextChars] : text);

    public static string ReadText(BinaryReader r)
    {
        var text = r.ReadString();
        return text.Length > MaxTextChars ? throw new InvalidDataException("an over-long text on the channel") : text;
    }

    public static void WriteBytes(BinaryWriter w, byte[] bytes)
    {
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    public static byte[] ReadBytes(BinaryReader r)
    {
        var length = r.ReadInt32();
        if (length < 0 || length > MaxAssemblyBytes)
            throw new InvalidDataException($"{length} bytes on the channel");
        return ReadExactly(r, length);
    }

    private static byte[] ReadExactly(BinaryReader r, int count)
    {
        var bytes = r.ReadBytes(count);
        return bytes.Length == count ? bytes : throw new EndOfStreamException("the channel ended inside a matrix");
    }
}
