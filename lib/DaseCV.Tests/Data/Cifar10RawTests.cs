using DaseCV.Data;

namespace DaseCV.Tests.Data;

/// <summary>Cifar10.GetRaw: the features notebook's split, raw, as bytes.</summary>
public sealed class Cifar10RawTests
{
    public sealed class TheGetRawMethod
    {
        [Fact]
        public void Should_Split_Like_GetForLinearClassifier_And_Keep_The_Pixels_Of_Load()
        {
            using var dir = new TempDirectory();
            Cifar10.WriteSynthetic(dir.Path, recordsPerTrainBatch: 10, testRecords: 8, seed: 3);
            var (XTrainAll, yTrainAll, XTestAll, yTestAll) = Cifar10.Load(dir.Path);

            var raw = Cifar10.GetRaw(dir.Path, numTraining: 40, numValidation: 6, numTest: 5);

            Assert.Equal((40, 6, 5), (raw.XTrain.Count, raw.XVal.Count, raw.XTest.Count));
            Assert.Equal(yTrainAll[..40], raw.yTrain);
            Assert.Equal(yTrainAll[40..46], raw.yVal);
            Assert.Equal(yTestAll[..5], raw.yTest);
            foreach (var (images, all, offset) in new[] { (raw.XTrain, XTrainAll, 0), (raw.XVal, XTrainAll, 40), (raw.XTest, XTestAll, 0) })
                for (int i = 0; i < images.Count; i++)
                    Assert.Equal(all.Row(offset + i).ToArray(), images[i].ToArray().Select(b => (double)b));
            Assert.Equal(10, raw.ClassNames.Count);
        }

        [Fact]
        public void Should_Throw_When_The_Split_Needs_More_Training_Records_Than_There_Are()
        {
            using var dir = new TempDirectory();
            Cifar10.WriteSynthetic(dir.Path, recordsPerTrainBatch: 10, testRecords: 8, seed: 3);

            var e = Assert.Throws<ArgumentOutOfRangeException>(() => Cifar10.GetRaw(dir.Path, numTraining: 45, numValidation: 6, numTest: 5));

            Assert.Equal("numTraining", e.ParamName);
        }
    }

    public sealed class TheRawImagesIndexer
    {
        [Fact]
        public void Should_Throw_Naming_The_Index_And_The_Count()
        {
            var images = new RawImages(new byte[2 * RawImages.ImageSize]);

            var e = Assert.Throws<ArgumentOutOfRangeException>(() => images[2].Length);

            Assert.Contains("index 2 is outside [0, 2)", e.Message);
        }

        [Fact]
        public void Should_Refuse_Pixels_That_Are_Not_Whole_Images()
        {
            var e = Assert.Throws<ArgumentException>(() => new RawImages(new byte[100]));

            Assert.Equal("pixels", e.ParamName);
        }
    }
}
