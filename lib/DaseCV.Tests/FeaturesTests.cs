using System.Text.Json;
using DaseCV.Data;

namespace DaseCV.Tests;

/// <summary>
/// The feature functions against CS231n's features.py itself: fixtures/features_reference.json holds three small
/// images and what features.py computed for them (numpy 1.24, scipy 1.10, matplotlib 3.6; the script that wrote it
/// is fixtures/features_reference.py).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class FeaturesTests
{
    private sealed record Case(byte[] Pixels, double[] Gray, double[] Hog, double[] Hist10, double[] Hist7, double[] Hist10Counts);

    private static readonly Lazy<(Case[] Cases, double[][] Extracted)> Reference = new(() =>
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "lib", "DaseCV.Tests", "fixtures", "features_reference.json")));
        static double[] Values(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var cases = json.RootElement.GetProperty("cases").EnumerateArray().Select(c => new Case(
            Convert.FromBase64String(c.GetProperty("pixels").GetString()!), Values(c.GetProperty("gray")), Values(c.GetProperty("hog")),
            Values(c.GetProperty("hist10")), Values(c.GetProperty("hist7")), Values(c.GetProperty("hist10_counts")))).ToArray();
        var extracted = json.RootElement.GetProperty("extract_features").EnumerateArray().Select(Values).ToArray();
        return (cases, extracted);
    });

    public static TheoryData<int> CaseNumbers => [0, 1, 2];

    // scipy's uniform_filter sums with a running window, so the reference carries rounding of about 1e-14 of the
    // magnitudes (and tiny non-zeros where the exact value is 0); the comparison allows 1e-9.
    private static void AssertClose(double[] expected, double[] actual, double tolerance = 1e-9)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) <= tolerance, $"[{k}]: expected {expected[k]:R}, got {actual[k]:R}");
    }

    public sealed class TheRgb2GrayMethod
    {
        [Theory]
        [MemberData(nameof(CaseNumbers), MemberType = typeof(FeaturesTests))]
        public void Should_Match_Features_Py(int n) =>
            AssertClose(Reference.Value.Cases[n].Gray, Features.Rgb2Gray(Reference.Value.Cases[n].Pixels), 1e-12);
    }

    public sealed class TheHogFeatureMethod
    {
        [Theory]
        [MemberData(nameof(CaseNumbers), MemberType = typeof(FeaturesTests))]
        public void Should_Match_Features_Py(int n)
        {
            var hog = Features.HogFeature(Reference.Value.Cases[n].Pixels);

            Assert.Equal(144, hog.Length);
            AssertClose(Reference.Value.Cases[n].Hog, hog);
        }

        [Fact]
        public void Should_Put_A_Vertical_Edge_In_The_Bin_Of_Its_Orientation_In_Its_Cells()
        {
            // Columns 0–3 black, 4–31 white: gx = 255·1.03 at column 3 only, gy = 0, so the orientation is
            // atan2(0, gx)·180/π + 90 = 90°: bin 4, in the four cells of the first cell column (b = 0).
            var im = new byte[32 * 32 * 3];
            for (int r = 0; r < 32; r++) Array.Fill(im, (byte)255, (r * 32 + 4) * 3, 28 * 3);

            var hog = Features.HogFeature(im);

            double magnitude = 255 * (0.299 + 0.587 + 0.144);
            for (int a = 0; a < 4; a++)
                Assert.Equal(8 * magnitude / 64, hog[(0 * 4 + a) * 9 + 4], 1e-9);
            Assert.Equal(4 * 8 * magnitude / 64, hog.Sum(), 1e-9);
        }

        [Fact]
        public void Should_Drop_Horizontal_Edges_As_Features_Py_Does()
        {
            // gx = 0 and gy ≠ 0 give an orientation of 180° (gy > 0) or 0° (gy < 0): outside the binned (0°, 180°).
            var im = new byte[32 * 32 * 3];
            Array.Fill(im, (byte)255, 4 * 32 * 3, 8 * 32 * 3);

            Assert.All(Features.HogFeature(im), v => Assert.Equal(0.0, v));
        }

        [Fact]
        public void Should_Throw_When_The_Image_Is_Not_Square()
        {
            var e = Assert.Throws<ArgumentException>(() => Features.HogFeature(new byte[32 * 16 * 3]));

            Assert.Equal("im", e.ParamName);
            Assert.Contains("1536 bytes", e.Message);
        }
    }

    public sealed class TheColorHistogramHsvMethod
    {
        [Theory]
        [MemberData(nameof(CaseNumbers), MemberType = typeof(FeaturesTests))]
        public void Should_Match_Features_Py(int n)
        {
            var c = Reference.Value.Cases[n];

            AssertClose(c.Hist10, Features.ColorHistogramHsv(c.Pixels), 1e-15);
            AssertClose(c.Hist7, Features.ColorHistogramHsv(c.Pixels, nbin: 7), 1e-15);
            AssertClose(c.Hist10Counts, Features.ColorHistogramHsv(c.Pixels, normalized: false), 1e-9);
        }

        [Fact]
        public void Should_Put_Gray_Pixels_At_Hue_0_And_Sum_To_1()
        {
            var im = new byte[4 * 4 * 3];
            Array.Fill(im, (byte)77);

            var hist = Features.ColorHistogramHsv(im);

            Assert.Equal(1.0, hist[0], 1e-15);
            Assert.Equal(1.0, hist.Sum(), 1e-15);
        }
    }

    public sealed class TheExtractFeaturesMethod
    {
        [Fact]
        public void Should_Concatenate_Every_Functions_Features_Row_By_Row()
        {
            var images = new RawImages(Reference.Value.Cases.SelectMany(c => c.Pixels).ToArray());
            var reported = new List<int>();

            var feats = Features.ExtractFeatures(images,
                [im => Features.HogFeature(im), im => Features.ColorHistogramHsv(im, nbin: 10)], progress: new Inline(reported.Add));

            Assert.Equal((3, 154), (feats.RowCount, feats.ColumnCount));
            for (int i = 0; i < 3; i++) AssertClose(Reference.Value.Extracted[i], feats.Row(i).ToArray());
            Assert.Equal([3], reported);
        }

        [Fact]
        public void Should_Print_Every_1000_Images_When_Verbose()
        {
            var images = new RawImages(new byte[2000 * RawImages.ImageSize]);
            using var console = new ConsoleCapture();

            Features.ExtractFeatures(images, [im => Features.ColorHistogramHsv(im)], verbose: true);

            Assert.Equal(["Done extracting features for 1000 / 2000 images", "Done extracting features for 2000 / 2000 images"], console.Lines);
        }

        [Fact]
        public void Should_Throw_When_A_Function_Changes_Its_Length()
        {
            var images = new RawImages(new byte[2 * RawImages.ImageSize]);
            int calls = 0;

            var e = Assert.Throws<ArgumentException>(() => Features.ExtractFeatures(images, [_ => new double[++calls]]));

            Assert.Equal("featureFns", e.ParamName);
            Assert.Contains("returned 2 features for image 1 but 1 for image 0", e.Message);
        }
    }

    private sealed class Inline(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
