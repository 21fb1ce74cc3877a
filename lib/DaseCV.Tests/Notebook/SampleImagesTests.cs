using DaseCV.Data;
using DaseCV.Notebook;

namespace DaseCV.Tests.Notebook;

public sealed class SampleImagesTests
{
    private static Cifar10Image Sample(int index, int label, byte value)
    {
        var pixels = Enumerable.Repeat(value, 3072).ToArray();
        pixels[(0 * 32 + 1) * 3 + 2] = 200; // row 0, col 1, blue
        return new Cifar10Image(index, label, label == 0 ? "airplane" : "automobile", pixels);
    }

    [Fact]
    public void Should_Put_Each_Class_In_Its_Own_Column()
    {
        var samples = new[] { Sample(0, 0, 7), Sample(1, 1, 107), Sample(2, 0, 17) };

        var grid = SampleImages.Grid(samples, ["", ""], scale: 1).Image;

        // No titles: gap 8, tiles 32 px. Class 0 has two examples, class 1 one.
        Assert.Equal(((byte)7, (byte)7, (byte)7), grid.GetPixel(8, 8));
        Assert.Equal(((byte)7, (byte)7, (byte)200), grid.GetPixel(8 + 1, 8));
        Assert.Equal(((byte)17, (byte)17, (byte)17), grid.GetPixel(8, 8 + 32 + 8));
        Assert.Equal(((byte)107, (byte)107, (byte)107), grid.GetPixel(8 + 32 + 8, 8));
        Assert.Equal(((byte)255, (byte)255, (byte)255), grid.GetPixel(8 + 32 + 8, 8 + 32 + 8)); // no second example
    }

    [Fact]
    public void Should_Title_Columns_With_Class_Names_By_Default()
    {
        var samples = new[] { Sample(0, 0, 7), Sample(1, 1, 107) };

        var titled = SampleImages.Grid(samples, scale: 1).Image;
        var untitled = SampleImages.Grid(samples, ["", ""], scale: 1).Image;

        Assert.True(titled.Height > untitled.Height, "titles add a band above the first row");
        Assert.True(titled.Width > untitled.Width, "'automobile' is wider than a 32 px tile");
    }

    [Fact]
    public void Should_Name_A_Sample_With_A_Label_Outside_The_Titles()
    {
        var ex = Assert.Throws<ArgumentException>(() => SampleImages.Grid([Sample(5, 1, 0)], ["plane"]));
        Assert.Contains("Sample 5 has label 1", ex.Message);
    }
}
