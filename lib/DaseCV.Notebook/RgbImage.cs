namespace DaseCV.Notebook;

/// <summary>An 8-bit RGB raster that the notebook shows as PNG.</summary>
/// <remarks>Pixels are stored row by row, 3 bytes (R, G, B) per pixel, as <see cref="Png.EncodeRgb"/> takes them.</remarks>
public sealed class RgbImage
{
    /// <summary>Creates a white image.</summary>
    /// <param name="width">Width in pixels, at least 1.</param>
    /// <param name="height">Height in pixels, at least 1.</param>
    public RgbImage(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        Pixels = new byte[checked(width * height * 3)];
        Array.Fill(Pixels, (byte)255);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixels row by row, R, G, B per pixel; length Width·Height·3.</summary>
    public byte[] Pixels { get; }

    /// <summary>The colour at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public (byte R, byte G, byte B) GetPixel(int x, int y)
    {
        int i = Offset(x, y);
        return (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
    }

    /// <summary>Sets the colour at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public void SetPixel(int x, int y, byte r, byte g, byte b)
    {
        int i = Offset(x, y);
        Pixels[i] = r;
        Pixels[i + 1] = g;
        Pixels[i + 2] = b;
    }

    /// <summary>Enlarges by an integer factor with nearest-neighbour sampling, so every pixel stays a sharp square.</summary>
    /// <param name="factor">Scale factor, at least 1.</param>
    public RgbImage ScaleNearest(int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        var result = new RgbImage(Width * factor, Height * factor);
        for (int y = 0; y < result.Height; y++)
            for (int x = 0; x < result.Width; x++)
            {
                var (r, g, b) = GetPixel(x / factor, y / factor);
                result.SetPixel(x, y, r, g, b);
            }
        return result;
    }

    /// <summary>Copies <paramref name="source"/> with its top-left corner at (<paramref name="left"/>, <paramref name="top"/>), clipped to this image.</summary>
    public void Draw(RgbImage source, int left, int top)
    {
        ArgumentNullException.ThrowIfNull(source);
        for (int y = 0; y < source.Height; y++)
            for (int x = 0; x < source.Width; x++)
            {
                int tx = left + x, ty = top + y;
                if (tx < 0 || ty < 0 || tx >= Width || ty >= Height) continue;
                var (r, g, b) = source.GetPixel(x, y);
                SetPixel(tx, ty, r, g, b);
            }
    }

    /// <summary>Encodes the image as PNG.</summary>
    public byte[] ToPng() => Png.EncodeRgb(Width, Height, Pixels);

    /// <summary>The image as an HTML <c>img</c> element with a base64 <c>data:</c> URI (no script, no network).</summary>
    /// <param name="alt">Alternative text.</param>
    public string ToHtml(string alt = "") =>
        $"<img src=\"data:image/png;base64,{Convert.ToBase64String(ToPng())}\" width=\"{Width}\" height=\"{Height}\" " +
        $"alt=\"{System.Net.WebUtility.HtmlEncode(alt)}\" style=\"image-rendering: pixelated\" />";

    /// <inheritdoc/>
    public override string ToString() => $"RgbImage {Width}×{Height}";

    private int Offset(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"Pixel ({x}, {y}) is outside the {Width}×{Height} image.");
        return (y * Width + x) * 3;
    }
}
