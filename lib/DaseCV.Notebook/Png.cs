using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace DaseCV.Notebook;

/// <summary>A minimal PNG encoder: 8-bit RGB, no interlacing, one IDAT chunk.</summary>
/// <remarks>
/// Images in the notebook are PNG so that they render with no JavaScript and no network, in VS Code, in the
/// runner's HTML and in GitHub's viewer. The format: signature, IHDR, zlib-compressed scanlines in IDAT, IEND;
/// every chunk is length, type, data, CRC-32 of type and data. Each scanline is prefixed with one of the five
/// filter types, chosen per row by libpng's heuristic (smallest sum of absolute filtered bytes): the
/// nearest-neighbour enlarged images repeat every row, which the Up filter turns into zeros.
/// </remarks>
public static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes an RGB image as PNG.</summary>
    /// <param name="width">Width in pixels, at least 1.</param>
    /// <param name="height">Height in pixels, at least 1.</param>
    /// <param name="rgb">Pixels row by row, 3 bytes (R, G, B) each; length width·height·3.</param>
    /// <returns>The PNG file's bytes.</returns>
    public static byte[] EncodeRgb(int width, int height, ReadOnlySpan<byte> rgb)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        int stride = checked(width * 3);
        if (rgb.Length != checked(stride * height))
            throw new ArgumentException(
                $"rgb has {rgb.Length} bytes; a {width}×{height} RGB image needs {stride * height}.", nameof(rgb));

        using var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;   // bits per channel
        header[9] = 2;   // colour type: truecolour RGB
        header[10] = 0;  // compression: deflate
        header[11] = 0;  // filter method 0
        header[12] = 0;  // no interlace
        WriteChunk(output, "IHDR"u8, header);

        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                var filtered = new byte[1 + stride];
                var best = new byte[1 + stride];
                for (int row = 0; row < height; row++)
                {
                    var line = rgb.Slice(row * stride, stride);
                    var above = row > 0 ? rgb.Slice((row - 1) * stride, stride) : default;
                    long bestScore = long.MaxValue;
                    for (byte filter = 0; filter <= 4; filter++)
                    {
                        long score = Filter(filter, line, above, filtered);
                        if (score < bestScore)
                        {
                            bestScore = score;
                            (best, filtered) = (filtered, best);
                        }
                    }
                    zlib.Write(best);
                }
            }
            WriteChunk(output, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        }

        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    /// <summary>
    /// Writes filter type <paramref name="filter"/> and the filtered bytes of <paramref name="line"/> into
    /// <paramref name="output"/> (PNG specification §9: None, Sub, Up, Average, Paeth over bytes 3 apart for RGB);
    /// returns the sum of the filtered bytes taken as signed values, the size heuristic.
    /// </summary>
    private static long Filter(byte filter, ReadOnlySpan<byte> line, ReadOnlySpan<byte> above, Span<byte> output)
    {
        const int bpp = 3;
        output[0] = filter;
        long score = 0;
        for (int i = 0; i < line.Length; i++)
        {
            int a = i >= bpp ? line[i - bpp] : 0;
            int b = above.IsEmpty ? 0 : above[i];
            int c = i >= bpp && !above.IsEmpty ? above[i - bpp] : 0;
            int predictor = filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                _ => Paeth(a, b, c),
            };
            byte value = (byte)(line[i] - predictor);
            output[1 + i] = value;
            score += Math.Abs((int)(sbyte)value);
        }
        return score;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        output.Write(word);
    }
}
