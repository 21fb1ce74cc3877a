using DaseCV.Data;
using DaseCV.Notebook;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Tests.Notebook;

/// <summary>The display helpers of the two-layer net and features notebooks.</summary>
public sealed class NetDisplayTests
{
    public sealed class TheNetGridMethod
    {
        [Fact]
        public void Should_Rescale_Each_Unit_With_Its_Own_Minimum_And_Maximum()
        {
            var W1 = Matrix<double>.Build.Dense(3073, 5);
            W1[0, 0] = 1;        // unit 0: 0 … 1
            W1[0, 1] = 1000;     // unit 1: 0 … 1000, a hundred times larger; both still reach 255
            W1[3072, 2] = 1e6;   // the bias row is left out

            var grid = WeightImages.NetGrid(W1, scale: 1);

            // ⌈√5⌉ = 3 tiles a row, 2 rows, 8 px gaps: 8 + 3·(32 + 8) by 8 + 2·(32 + 8)
            Assert.Equal((128, 88), (grid.Width, grid.Height));
            Assert.Equal(((byte)255, (byte)0, (byte)0), grid.GetPixel(8, 8));
            Assert.Equal(((byte)255, (byte)0, (byte)0), grid.GetPixel(48, 8));
            Assert.Equal(((byte)0, (byte)0, (byte)0), grid.GetPixel(88, 8));
        }

        [Fact]
        public void Should_Throw_When_W1_Is_Not_Made_Of_Images()
        {
            var e = Assert.Throws<ArgumentException>(() => WeightImages.NetGrid(Matrix<double>.Build.Dense(154, 5)));

            Assert.Equal("W1", e.ParamName);
            Assert.Contains("(154, 5)", e.Message);
        }
    }

    public sealed class TheMisclassifiedMethod
    {
        [Fact]
        public void Should_Show_Only_Images_Predicted_As_A_Class_They_Do_Not_Belong_To()
        {
            var pixels = new byte[4 * RawImages.ImageSize];
            pixels.AsSpan(RawImages.ImageSize, RawImages.ImageSize).Fill(200);  // image 1: the one mistake
            var X = new RawImages(pixels);

            var grid = SampleImages.Misclassified(X, y: [0, 1, 1, 0], yPred: [0, 0, 1, 0], classes: ["a", "b"], seed: 0, scale: 1).Image;

            // one row of two columns; column "a" shows image 1 (gray 200), column "b" is empty (white background)
            Assert.Equal(((byte)200, (byte)200, (byte)200), grid.GetPixel(8 + 16, grid.Height - 8 - 16));
        }

        [Fact]
        public void Should_Throw_When_Nothing_Was_Misclassified()
        {
            var X = new RawImages(new byte[2 * RawImages.ImageSize]);

            var e = Assert.Throws<ArgumentException>(() => SampleImages.Misclassified(X, [0, 1], [0, 1], ["a", "b"]));

            Assert.Contains("No image was misclassified", e.Message);
        }
    }

    public sealed class TheStepsMethod
    {
        [Fact]
        public void Should_Show_Counts_And_Finish_At_The_Total()
        {
            var shown = new List<string>();
            var steps = new ProgressDisplay("training", shown.Add, minInterval: TimeSpan.Zero).Steps(4);

            steps.Report(1);
            steps.Report(4);

            Assert.StartsWith("training 1/4 [", shown[0]);
            Assert.StartsWith("training: 4/4 done in ", shown[^1]);
        }
    }

    public sealed class TheTrainingCharts
    {
        [Fact]
        public void Should_Plot_Loss_On_A_Linear_Axis_And_Both_Accuracies()
        {
            var loss = PlotlyMimeTests.Bundle(Charts.NetLossHistory([2.3, 2.2, 2.0]));
            var accuracy = PlotlyMimeTests.Bundle(Charts.AccuracyHistory([0.1, 0.3], [0.1, 0.25]));

            Assert.Null(loss["layout"]!["yaxis"]!["type"]);
            Assert.Equal(2, accuracy["data"]!.AsArray().Count);
            Assert.Equal("val", (string?)accuracy["data"]![1]!["name"]);
        }
    }
}
