using DaseCV.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Grader.Harness;

/// <summary>
/// Data matrices on the harness's channel (<see cref="Wire"/>'s frames; apart from it because the compiler, which shares
/// Wire, has no DaseCV): a <see cref="CenteredPixelMatrix"/> goes as its pixel bytes and mean image (5000 CIFAR-10
/// images are 15 MB of bytes, 123 MB as doubles), anything else as dense doubles.
/// </summary>
internal static class WireRows
{
    private const byte Dense = 0, Pixels = 1;

    /// <summary>Most images a pixel frame may hold (the retraining subset's 5000 fit).</summary>
    public const int MaxPixelImages = 7500;

    public static void Write(BinaryWriter w, Matrix<double> X)
    {
        if (X is not CenteredPixelMatrix pixels)
        {
            w.Write(Dense);
            Wire.WriteMatrix(w, X);
            return;
        }

        w.Write(Pixels);
        w.Write(pixels.RowCount);
        w.Write(pixels.Pixels);
        foreach (var m in pixels.Mean)
            w.Write(m);
    }

    /// <summary>A data matrix written by <see cref="Write"/>: pixel rows come back as the same read-only byte matrix.</summary>
    public static Matrix<double> Read(BinaryReader r)
    {
        var kind = r.ReadByte();
        if (kind == Dense)
            return Wire.ReadMatrix(r) ?? throw new InvalidDataException("a null data matrix on the channel");
        if (kind != Pixels)
            throw new InvalidDataException($"data rows of kind {kind} on the channel");
        var rows = r.ReadInt32();
        if (rows is < 1 or > MaxPixelImages)
            throw new InvalidDataException($"{rows} images on the channel");
        var pixels = r.ReadBytes(rows * CenteredPixelMatrix.PixelCount);
        if (pixels.Length != rows * CenteredPixelMatrix.PixelCount)
            throw new EndOfStreamException("the channel ended inside the images");
        var mean = new double[CenteredPixelMatrix.PixelCount];
        for (var i = 0; i < mean.Length; i++)
            mean[i] = r.ReadDouble();
        return new CenteredPixelMatrix(rows, pixels, mean);
    }
}
