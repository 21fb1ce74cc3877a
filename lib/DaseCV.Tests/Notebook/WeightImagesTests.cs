using DaseCV.Notebook;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Tests.Notebook;

public sealed class WeightImagesTests
{
    private static int Feature(int row, int col, int channel) => (row * 32 + col) * 3 + channel;

    [Fact]
    public void Should_Read_Pixels_In_Row_Col_Channel_Order()
    {
        var W = Matrix<double>.Build.Dense(3073, 10);
        W[Feature(0, 0, 0), 0] = -1;  // the global minimum → 0
        W[Feature(2, 5, 1), 3] = 1;   // the global maximum → 255
        W[Feature(31, 30, 2), 9] = 0.5;

        var images = WeightImages.FromWeights(W);

        Assert.Equal(10, images.Length);
        Assert.All(images, image => Assert.Equal((32, 32), (image.Width, image.Height)));
        Assert.Equal(((byte)0, (byte)127, (byte)127), images[0].GetPixel(0, 0));
        // Pixel (row 2, col 5) is x = 5, y = 2; its green channel holds the maximum.
        Assert.Equal(((byte)127, (byte)255, (byte)127), images[3].GetPixel(5, 2));
        // 255·(0.5 + 1)/2 = 191.25, truncated as astype('uint8') does.
        Assert.Equal(((byte)127, (byte)127, (byte)191), images[9].GetPixel(30, 31));
    }

    [Fact]
    public void Should_Ignore_The_Bias_Row_When_Rescaling()
    {
        var W = Matrix<double>.Build.Dense(3073, 10);
        W[Feature(0, 0, 0), 0] = 2;
        W[3072, 4] = 1000; // bias: must not change the scale

        var images = WeightImages.FromWeights(W);

        Assert.Equal(((byte)255, (byte)0, (byte)0), images[0].GetPixel(0, 0));
        Assert.Equal(((byte)0, (byte)0, (byte)0), images[4].GetPixel(0, 0));
    }

    [Fact]
    public void Should_Accept_Weights_Without_A_Bias_Row()
    {
        var W = Matrix<double>.Build.Dense(3072, 2, (i, j) => i + j);

        var images = WeightImages.FromWeights(W);

        Assert.Equal(((byte)0, (byte)0, (byte)0), images[0].GetPixel(0, 0));
        Assert.Equal(255, images[1].GetPixel(31, 31).B); // W[3071, 1] = 3072 is the maximum
    }

    [Fact]
    public void Should_Throw_For_A_Shape_That_Is_Not_An_Image()
    {
        var ex = Assert.Throws<ArgumentException>(() => WeightImages.FromWeights(Matrix<double>.Build.Dense(100, 10)));
        Assert.Equal("W", ex.ParamName);
        Assert.Contains("(100, 10)", ex.Message);
    }

    [Fact]
    public void Should_Throw_For_NaN_Weights()
    {
        var W = Matrix<double>.Build.Dense(3073, 10);
        W[7, 2] = double.NaN;
        var ex = Assert.Throws<ArgumentException>(() => WeightImages.FromWeights(W));
        Assert.Contains("W[7, 2]", ex.Message);
    }

    [Fact]
    public void Grid_Should_Be_Two_Rows_Of_Five_Enlarged_Images_As_A_Valid_Png()
    {
        var W = Matrix<double>.Build.Random(3073, 10, 1);

        var figure = WeightImages.Grid(W, scale: 4);
        var grid = figure.Image;
        var (width, height, _, _) = PngTests.Decode(grid.ToPng());

        Assert.Equal((grid.Width, grid.Height), (width, height));
        Assert.True(grid.Width >= 5 * 128 && grid.Width < 6 * 128, $"width {grid.Width}");
        Assert.True(grid.Height >= 2 * 128 && grid.Height < 3 * 128, $"height {grid.Height}");
        Assert.Equal(["plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"], WeightImages.ClassTitles);
    }
}
