namespace DaseCV.Notebook;

/// <summary>Turns one CIFAR-10 feature vector back into a 32×32 picture.</summary>
/// <remarks>
/// The loader keeps the Python loader's (32, 32, 3) order, so feature <c>(row·32 + col)·3 + channel</c> is the
/// colour channel of pixel (row, col); the bias feature, when present, is the last one (index 3072).
/// </remarks>
internal static class CifarImage
{
    public const int Side = 32;
    public const int Pixels = Side * Side * 3;

    /// <summary>Builds a 32×32 tile; <paramref name="value"/> maps feature index f ∈ [0, 3072) to a byte.</summary>
    public static RgbImage FromFeatures(Func<int, byte> value)
    {
        var tile = new RgbImage(Side, Side);
        for (int row = 0; row < Side; row++)
            for (int col = 0; col < Side; col++)
            {
                int f = (row * Side + col) * 3;
                tile.SetPixel(col, row, value(f), value(f + 1), value(f + 2));
            }
        return tile;
    }
}
