using DaseCV.Notebook;

namespace DaseCV.Tests.Notebook;

public sealed class RgbImageTests
{
    [Fact]
    public void ScaleNearest_Should_Repeat_Each_Pixel_As_A_Square()
    {
        var image = new RgbImage(2, 1);
        image.SetPixel(0, 0, 10, 20, 30);
        image.SetPixel(1, 0, 40, 50, 60);

        var big = image.ScaleNearest(3);

        Assert.Equal((6, 3), (big.Width, big.Height));
        Assert.Equal(((byte)10, (byte)20, (byte)30), big.GetPixel(2, 2));
        Assert.Equal(((byte)40, (byte)50, (byte)60), big.GetPixel(3, 0));
    }

    [Fact]
    public void ToHtml_Should_Embed_The_Png_Without_Script()
    {
        var html = new RgbImage(3, 2).ToHtml("a <b>");

        Assert.StartsWith("<img src=\"data:image/png;base64,", html);
        Assert.Contains("alt=\"a &lt;b&gt;\"", html);
        Assert.DoesNotContain("<script", html);
        var base64 = html.Split("base64,")[1].Split('"')[0];
        Assert.Equal((3, 2), PngTests.Decode(Convert.FromBase64String(base64)) is var d ? (d.Width, d.Height) : default);
    }

    [Fact]
    public void GetPixel_Should_Name_The_Pixel_Outside_The_Image()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RgbImage(2, 2).GetPixel(2, 0));
        Assert.Contains("(2, 0)", ex.Message);
    }
}

public sealed class ImageGridTests
{
    private static RgbImage Solid(byte r, byte g, byte b)
    {
        var tile = new RgbImage(4, 4);
        for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) tile.SetPixel(x, y, r, g, b);
        return tile;
    }

    [Fact]
    public void Should_Place_Tiles_Row_By_Row()
    {
        var tiles = new[] { Solid(255, 0, 0), Solid(0, 255, 0), Solid(0, 0, 255) };

        var grid = ImageGrid.Compose(tiles, titles: null, columns: 2, scale: 2);

        // Gap 8, tiles 8 px wide after scaling: columns start at x = 8 and x = 24, rows at y = 8 and y = 24.
        Assert.Equal((8 + 2 * (8 + 8), 8 + 2 * (8 + 8)), (grid.Width, grid.Height));
        Assert.Equal(((byte)255, (byte)0, (byte)0), grid.GetPixel(8, 8));
        Assert.Equal(((byte)0, (byte)255, (byte)0), grid.GetPixel(24 + 7, 8 + 7));
        Assert.Equal(((byte)0, (byte)0, (byte)255), grid.GetPixel(8, 24));
        Assert.Equal(((byte)255, (byte)255, (byte)255), grid.GetPixel(24, 24)); // the empty fourth cell stays white
    }

    [Fact]
    public void Should_Draw_Titles_Above_Tiles_In_Black()
    {
        var grid = ImageGrid.Compose([Solid(255, 0, 0)], ["cat"], columns: 1, scale: 1);

        int black = 0;
        for (int y = 0; y < 8 + 14; y++)
            for (int x = 0; x < grid.Width; x++)
                if (grid.GetPixel(x, y) == (0, 0, 0)) black++;
        Assert.True(black > 20, $"expected the title's ink above the tile, found {black} black pixels");
        Assert.True(grid.Height > 8 + 4 + 8, "the title band adds height");
    }

    [Fact]
    public void Should_Throw_When_Titles_And_Tiles_Differ_In_Number()
    {
        var ex = Assert.Throws<ArgumentException>(() => ImageGrid.Compose([Solid(0, 0, 0)], ["a", "b"], 1, 1));
        Assert.Equal("titles", ex.ParamName);
    }

    [Fact]
    public void Should_Throw_When_Tiles_Differ_In_Size()
    {
        var ex = Assert.Throws<ArgumentException>(() => ImageGrid.Compose([Solid(0, 0, 0), new RgbImage(3, 4)], null, 2, 1));
        Assert.Contains("Tile 1 is 3×4", ex.Message);
    }
}
