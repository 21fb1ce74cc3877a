using DaseCV.Notebook;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Tests.Notebook;

public sealed class MatrixImageTests
{
    [Fact]
    public void Gray_Should_Draw_The_Minimum_Black_And_The_Maximum_White_Row_By_Row()
    {
        var M = Matrix<double>.Build.DenseOfArray(new double[,] { { 2, 4, 6 }, { 10, 2, 8 } });

        var image = MatrixImage.Gray(M);

        Assert.Equal((3, 2), (image.Width, image.Height));
        Assert.Equal(((byte)0, (byte)0, (byte)0), image.GetPixel(0, 0));        // 2, the minimum
        Assert.Equal(((byte)255, (byte)255, (byte)255), image.GetPixel(0, 1));  // 10, the maximum
        Assert.Equal(((byte)64, (byte)64, (byte)64), image.GetPixel(1, 0));     // 4: a quarter of the way
        Assert.Equal(((byte)191, (byte)191, (byte)191), image.GetPixel(2, 1));  // 8: three quarters
    }

    [Fact]
    public void Gray_Should_Average_Square_Blocks_To_Fit_MaxWidth()
    {
        // 3 × 5 with maxWidth 2: blocks of 3 × 3, so a 2 × 1 image of the two block means (the second block is 3 × 2).
        var M = Matrix<double>.Build.Dense(3, 5, (i, j) => j < 3 ? 1 : 7);

        var image = MatrixImage.Gray(M, maxWidth: 2);

        Assert.Equal((2, 1), (image.Width, image.Height));
        Assert.Equal((byte)0, image.GetPixel(0, 0).R);
        Assert.Equal((byte)255, image.GetPixel(1, 0).R);
    }

    [Fact]
    public void Gray_Should_Name_A_Non_Finite_Element()
    {
        var M = Matrix<double>.Build.Dense(2, 2);
        M[1, 0] = double.NaN;

        var e = Assert.Throws<ArgumentException>(() => MatrixImage.Gray(M));

        Assert.Contains("M[1, 0] is NaN", e.Message);
    }
}

public sealed class SampleImagesFromRowsTests
{
    [Fact]
    public void Grid_Should_Draw_Only_Rows_Of_Each_Class_In_Its_Column()
    {
        // Class 0 rows are all 10, class 1 rows all 200; three of each, two drawn per class.
        int[] y = [0, 1, 0, 1, 0, 1];
        var X = Matrix<double>.Build.Dense(6, 3072, (i, _) => y[i] == 0 ? 10 : 200);

        var grid = SampleImages.Grid(X, y, ["", ""], samplesPerClass: 2, seed: 1, scale: 1).Image;

        // No titles: gap 8, 32 px tiles; two rows of two columns.
        foreach (int row in new[] { 0, 1 })
        {
            Assert.Equal(((byte)10, (byte)10, (byte)10), grid.GetPixel(8, 8 + row * 40));
            Assert.Equal(((byte)200, (byte)200, (byte)200), grid.GetPixel(8 + 40, 8 + row * 40));
        }
        Assert.Equal(8 + 2 * 40, grid.Height);
    }

    [Fact]
    public void Grid_Should_Refuse_Rows_That_Are_Not_Raw_Images()
    {
        var e = Assert.Throws<ArgumentException>(() => SampleImages.Grid(Matrix<double>.Build.Dense(2, 3073), [0, 1], ["a", "b"]));

        Assert.Contains("X is (2, 3073)", e.Message);
    }
}

public sealed class CrossValidationChartTests
{
    [Fact]
    public void Should_Plot_Every_Fold_And_The_Mean_With_Population_Std_Error_Bars()
    {
        var kToAccuracies = new Dictionary<int, List<double>> { [5] = [0.2, 0.4], [1] = [0.3, 0.3] };

        var data = PlotlyMimeTests.Bundle(Charts.CrossValidation(kToAccuracies))["data"]!.AsArray();

        // One point trace per k in k order, then the trend line.
        Assert.Equal(3, data.Count);
        Assert.Equal("[1,1]", data[0]!["x"]!.ToJsonString());
        Assert.Equal("[0.2,0.4]", data[1]!["y"]!.ToJsonString());
        Assert.Equal("[1,5]", data[2]!["x"]!.ToJsonString());
        Assert.Equal(0.3, (double)data[2]!["y"]![1]!, 1e-12);
        // np.std([0.2, 0.4]) = 0.1 (divides by n).
        Assert.Equal(0.1, (double)data[2]!["error_y"]!["array"]![1]!, 1e-12);
        Assert.Equal(0.0, (double)data[2]!["error_y"]!["array"]![0]!, 1e-12);
    }

    [Fact]
    public void Should_Refuse_A_K_Without_Accuracies()
    {
        Assert.Throws<ArgumentException>(() => Charts.CrossValidation(new Dictionary<int, List<double>> { [1] = [] }));
    }
}

public sealed class TuningScatterTests
{
    private static readonly Dictionary<(double, double), (double, double)> Results = new()
    {
        [(1e-6, 1e4)] = (0.30, 0.25),
        [(1e-7, 1e5)] = (0.40, 0.35),
    };

    [Theory]
    [InlineData(false, 0.40, 0.30)]
    [InlineData(true, 0.35, 0.25)]
    public void Should_Place_Each_Pair_At_Log_Lr_And_Log_Reg_Coloured_By_Its_Accuracy(bool validation, double first, double second)
    {
        var bundle = PlotlyMimeTests.Bundle(Charts.TuningScatter(Results, validation));
        var trace = Assert.Single(bundle["data"]!.AsArray())!;

        // Sorted by (lr, reg): (1e-7, 1e5) first.
        Assert.Equal([-7.0, -6.0], trace["x"]!.AsArray().Select(v => Math.Round((double)v!, 12)));
        Assert.Equal([5.0, 4.0], trace["y"]!.AsArray().Select(v => Math.Round((double)v!, 12)));
        Assert.Equal([first, second], trace["marker"]!["color"]!.AsArray().Select(v => (double)v!));
        Assert.Contains(validation ? "validation" : "training", (string?)bundle["layout"]!["title"]);
    }
}
