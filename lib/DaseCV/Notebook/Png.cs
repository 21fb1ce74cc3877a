using System.Buffers.Binary;
using System.IO.Compression;

namespace DaseCV.Notebook;

/// <summary>A minimal PNG encoder: 8-bit RGB, no interlacing, one IDAT chunk.</summary>
/// <remarks>
/// Images in the notebook are PNG so that they render with no JavaScript and no network, in VS Code, in the
/// runner's HTML and in GitHub's viewer. The format: signature, IHDR, zlib-compressed scanlines (each prefixed
/// with filter type 0) in IDAT, IEND; every chunk is length, type, data, CRC-32 of type and data.
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
                for (int row = 0; row < height; row++)
                {
                    zlib.WriteByte(0); // filter type None
                    zlib.Write(rgb.Slice(row * stride, stride));
                }
            }
            WriteChunk(output, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        }

        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Update(Crc32.Compute(type), data));
        output.Write(word);
    }
}
