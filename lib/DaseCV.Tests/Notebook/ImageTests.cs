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

        var grid = ImageGrid.Compose(tiles, titles: null, columns: 2, scale: 2).Image;

        // Gap 8, tiles 8 px wide after scaling: columns start at x = 8 and x = 24, rows at y = 8 and y = 24.
        Assert.Equal((8 + 2 * (8 + 8), 8 + 2 * (8 + 8)), (grid.Width, grid.Height));
        Assert.Equal(((byte)255, (byte)0, (byte)0), grid.GetPixel(8, 8));
        Assert.Equal(((byte)0, (byte)255, (byte)0), grid.GetPixel(24 + 7, 8 + 7));
        Assert.Equal(((byte)0, (byte)0, (byte)255), grid.GetPixel(8, 24));
        Assert.Equal(((byte)255, (byte)255, (byte)255), grid.GetPixel(24, 24)); // the empty fourth cell stays white
    }

    [Fact]
    public void Should_Place_Titles_As_Text_In_A_White_Band_Above_Their_Tiles()
    {
        var figure = ImageGrid.Compose([Solid(255, 0, 0), Solid(0, 255, 0)], ["cat", "飞机"], columns: 2, scale: 1);

        var image = figure.Image;
        var firstTileTop = Enumerable.Range(0, image.Height).First(y => Enumerable.Range(0, image.Width).Any(x => image.GetPixel(x, y) == (255, 0, 0)));
        Assert.True(firstTileTop > 8 + TitledImage.FontSize, $"the band above the tiles holds the titles; the tiles start at y = {firstTileTop}");
        for (int y = 0; y < firstTileTop; y++)
            for (int x = 0; x < image.Width; x++)
                Assert.Equal(((byte)255, (byte)255, (byte)255), image.GetPixel(x, y));
        Assert.Equal(["cat", "飞机"], figure.Titles.Select(t => t.Text));
        Assert.All(figure.Titles, t => Assert.InRange(t.Baseline, 8 + TitledImage.FontSize - 1, firstTileTop));
        Assert.True(figure.Titles[1].CenterX > figure.Titles[0].CenterX);
    }

    [Fact]
    public void Should_Write_Titles_As_Escaped_Svg_Text_Over_The_Png()
    {
        var figure = ImageGrid.Compose([Solid(255, 0, 0)], ["<cat & \"dog\">"], columns: 1, scale: 1);

        var svg = System.Xml.Linq.XDocument.Parse(figure.ToSvg());
        System.Xml.Linq.XNamespace ns = "http://www.w3.org/2000/svg";
        var image = Assert.Single(svg.Root!.Elements(ns + "image"));
        var png = Convert.FromBase64String(image.Attribute("href")!.Value["data:image/png;base64,".Length..]);
        Assert.Equal((figure.Image.Width, figure.Image.Height), (PngTests.Decode(png).Width, PngTests.Decode(png).Height));
        var text = Assert.Single(svg.Root.Elements(ns + "text"));
        Assert.Equal("<cat & \"dog\">", text.Value);
        Assert.Equal(figure.Image.Width.ToString(System.Globalization.CultureInfo.InvariantCulture), svg.Root.Attribute("width")!.Value);
    }

    [Fact]
    public void Should_Widen_A_Cell_For_A_Title_Wider_Than_Its_Tile()
    {
        var narrow = ImageGrid.Compose([Solid(0, 0, 0)], ["a"], columns: 1, scale: 1);
        var wide = ImageGrid.Compose([Solid(0, 0, 0)], ["a much longer title"], columns: 1, scale: 1);

        Assert.True(wide.Image.Width >= 8 + TitledImage.EstimateWidth("a much longer title") + 8);
        Assert.True(wide.Image.Width > narrow.Image.Width);
        Assert.True(TitledImage.EstimateWidth("飞机飞机") > TitledImage.EstimateWidth("abcd"), "a CJK character is wider than a Latin one");
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
