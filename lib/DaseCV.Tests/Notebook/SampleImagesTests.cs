using DaseCV.Notebook;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Tests.Notebook;

public sealed class SampleImagesTests
{
    [Fact]
    public void Should_Add_The_Mean_Image_Back_To_Show_Raw_Pixels()
    {
        // Two examples of class 0 and one of class 1; raw pixel = label·100 + 7, mean image 50.
        int[] y = [0, 1, 0];
        var mean = Enumerable.Repeat(50.0, 3072).ToArray();
        var X = Matrix<double>.Build.Dense(3, 3073, (i, f) => f == 3072 ? 1.0 : y[i] * 100 + 7 - 50);

        var grid = SampleImages.Grid(X, y, mean, ["a", "b"], samplesPerClass: 2, seed: 1, scale: 1);
        var noTitles = SampleImages.Grid(X, y, mean, ["", ""], samplesPerClass: 2, seed: 1, scale: 1);

        // Without titles: gap 8, tiles 32 px; class 1 is the second column and has one example.
        Assert.Equal(((byte)7, (byte)7, (byte)7), noTitles.GetPixel(8, 8));
        Assert.Equal(((byte)107, (byte)107, (byte)107), noTitles.GetPixel(8 + 32 + 8, 8));
        Assert.Equal(((byte)255, (byte)255, (byte)255), noTitles.GetPixel(8 + 32 + 8, 8 + 32 + 8)); // missing second example
        Assert.True(grid.Height > noTitles.Height, "titles add a band above the first row");
    }

    [Fact]
    public void Should_Throw_When_Labels_And_Rows_Disagree()
    {
        var X = Matrix<double>.Build.Dense(2, 3072);
        var ex = Assert.Throws<ArgumentException>(() => SampleImages.Grid(X, [0], new double[3072], ["a"]));
        Assert.Equal("y", ex.ParamName);
    }
}
