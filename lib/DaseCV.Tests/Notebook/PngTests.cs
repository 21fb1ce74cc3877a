using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using DaseCV.Notebook;

namespace DaseCV.Tests.Notebook;

public sealed class PngTests
{
    /// <summary>A minimal reader for what <see cref="Png"/> writes: checks every CRC and returns the pixels.</summary>
    internal static (int Width, int Height, byte[] Rgb, List<string> Chunks) Decode(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        int pos = 8, width = 0, height = 0;
        var chunks = new List<string>();
        using var idat = new MemoryStream();
        while (pos < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var typeAndData = png.AsSpan(pos + 4, 4 + length);
            string type = Encoding.ASCII.GetString(typeAndData[..4]);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            Assert.Equal(Crc32.HashToUInt32(typeAndData), crc);
            var data = typeAndData[4..];
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(new byte[] { 8, 2, 0, 0, 0 }, data[8..].ToArray());
            }
            if (type == "IDAT") idat.Write(data);
            chunks.Add(type);
            pos += 12 + length;
        }
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.CopyTo(inflated);
        var raw = inflated.ToArray();
        Assert.Equal(height * (1 + width * 3), raw.Length);
        // Undo the per-row filters (PNG specification §9.2), independently of the encoder's code.
        int stride = width * 3;
        var rgb = new byte[stride * height];
        for (int row = 0; row < height; row++)
        {
            byte filter = raw[row * (1 + stride)];
            Assert.InRange(filter, (byte)0, (byte)4);
            for (int i = 0; i < stride; i++)
            {
                int x = raw[row * (1 + stride) + 1 + i];
                int a = i >= 3 ? rgb[row * stride + i - 3] : 0;
                int b = row > 0 ? rgb[(row - 1) * stride + i] : 0;
                int c = i >= 3 && row > 0 ? rgb[(row - 1) * stride + i - 3] : 0;
                int p = a + b - c;
                int paeth = Math.Abs(p - a) <= Math.Abs(p - b) && Math.Abs(p - a) <= Math.Abs(p - c) ? a
                    : Math.Abs(p - b) <= Math.Abs(p - c) ? b : c;
                int predictor = filter switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, _ => paeth };
                rgb[row * stride + i] = (byte)(x + predictor);
            }
        }
        return (width, height, rgb, chunks);
    }

    [Fact]
    public void Should_Round_Trip_Pixels_Through_Png()
    {
        var rgb = new byte[5 * 3 * 3];
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i * 37 % 256);

        var (width, height, decoded, chunks) = Decode(Png.EncodeRgb(5, 3, rgb));

        Assert.Equal((5, 3), (width, height));
        Assert.Equal(rgb, decoded);
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks);
    }

    [Fact]
    public void Should_Round_Trip_Noise_And_Gradients_Whatever_Filters_Are_Chosen()
    {
        var random = new Random(3);
        var image = new RgbImage(17, 9);
        for (int y = 0; y < 9; y++)
            for (int x = 0; x < 17; x++)
                image.SetPixel(x, y, (byte)random.Next(256), (byte)(x * 15), (byte)(y * 28 + x));

        var big = image.ScaleNearest(3);
        var (_, _, decoded, _) = Decode(big.ToPng());

        Assert.Equal(big.Pixels, decoded);
    }

    [Fact]
    public void Should_Compress_Repeated_Rows_Of_An_Enlarged_Image()
    {
        var random = new Random(4);
        var image = new RgbImage(32, 32);
        random.NextBytes(image.Pixels);

        int small = image.ToPng().Length, enlarged = image.ScaleNearest(4).ToPng().Length;

        // 16 times the pixels; the Up and Sub filters make the copies nearly free.
        Assert.True(enlarged < 2 * small, $"32×32 noise: {small} bytes; enlarged 4×: {enlarged} bytes");
    }

    [Fact]
    public void Should_Throw_When_Pixel_Count_Does_Not_Match_Size()
    {
        var ex = Assert.Throws<ArgumentException>(() => Png.EncodeRgb(2, 2, new byte[11]));
        Assert.Equal("rgb", ex.ParamName);
        Assert.Contains("needs 12", ex.Message);
    }

    [Fact]
    public void Should_Throw_For_An_Empty_Image()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Png.EncodeRgb(0, 1, []));
    }
}
