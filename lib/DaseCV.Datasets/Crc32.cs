namespace DaseCV.Data;

/// <summary>CRC-32 (ISO-HDLC, reflected polynomial <c>0xEDB88320</c>), as gzip trailers and PNG chunks use it.</summary>
/// <remarks>The BCL's <c>System.IO.Hashing.Crc32</c> is a separate package; this table version is ten lines.
/// DaseCV.Notebook's PNG encoder uses it too (it references this library through DaseCV).</remarks>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>CRC of <paramref name="data"/> continuing from <paramref name="crc"/> (start with 0).</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        uint c = ~crc;
        foreach (byte b in data)
            c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return ~c;
    }

    /// <summary>CRC of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Update(0, data);

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
