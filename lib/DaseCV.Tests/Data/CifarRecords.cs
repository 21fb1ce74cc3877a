namespace DaseCV.Tests.Data;

/// <summary>Hand-made CIFAR-10 binary records for tests.</summary>
public static class CifarRecords
{
    /// <summary>
    /// One binary record whose pixel value encodes its position: R(r, c) = (r + c) mod 256, G = (3r + c + 50) mod 256,
    /// B = (r + 5c + 100) mod 256, so a wrong plane or row/column order shows up.
    /// </summary>
    public static byte[] Positional(byte label)
    {
        var record = new byte[3073];
        record[0] = label;
        for (int r = 0; r < 32; r++)
            for (int c = 0; c < 32; c++)
                for (int ch = 0; ch < 3; ch++)
                    record[1 + ch * 1024 + r * 32 + c] = Expected(r, c, ch);
        return record;
    }

    /// <summary>The value <see cref="Positional"/> stores for pixel (r, c), channel ch.</summary>
    public static byte Expected(int r, int c, int ch) => (byte)(ch switch
    {
        0 => r + c,
        1 => 3 * r + c + 50,
        _ => r + 5 * c + 100,
    } % 256);
}
