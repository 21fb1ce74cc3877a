using DaseCV.Data;

namespace DaseCV.Tests.Data;

public sealed class Cifar10SubsetTests
{
    public sealed class TheWriteMethod
    {
        [Fact]
        public void Should_Write_A_Seeded_Draw_Without_Replacement_That_Reads_Back_As_The_Split()
        {
            using var dir = new TempDirectory();
            Cifar10Synthetic.Write(dir.Combine("full"), recordsPerTrainBatch: 40, testRecords: 20, seed: 3);
            var full = Cifar10.Load(dir.Combine("full"));

            Cifar10Subset.Write(dir.Combine("full"), dir.Combine("a"), numTraining: 60, numValidation: 13, seed: 5);
            Cifar10Subset.Write(dir.Combine("full"), dir.Combine("b"), numTraining: 60, numValidation: 13, seed: 5);
            Cifar10Subset.Write(dir.Combine("full"), dir.Combine("c"), numTraining: 60, numValidation: 13, seed: 6);

            Assert.Equal(73, Cifar10Subset.CountTrainingImages(dir.Combine("a")));
            var subset = Cifar10.Load(dir.Combine("a"));
            // Every image of the subset is one of the source's, in (32, 32, 3) order, with its label, and none twice.
            var rows = Enumerable.Range(0, subset.XTrain.RowCount).Select(i =>
                Enumerable.Range(0, full.XTrain.RowCount).Single(j => subset.XTrain.Row(i).Equals(full.XTrain.Row(j)) && subset.yTrain[i] == full.yTrain[j])).ToList();
            Assert.Equal(rows.Count, rows.Distinct().Count());
            var split = Cifar10.GetRaw(dir.Combine("a"), numTraining: 60, numValidation: 13, numTest: 1);
            Assert.Equal(subset.yTrain[60..], split.yVal);
            // The same seed writes the same bytes; another seed another draw.
            foreach (var name in Directory.EnumerateFiles(dir.Combine("a", "cifar-10-batches-bin")).Select(Path.GetFileName))
                Assert.Equal(File.ReadAllBytes(dir.Combine("a", "cifar-10-batches-bin", name!)), File.ReadAllBytes(dir.Combine("b", "cifar-10-batches-bin", name!)));
            Assert.NotEqual(File.ReadAllBytes(dir.Combine("a", "cifar-10-batches-bin", "data_batch_1.bin")), File.ReadAllBytes(dir.Combine("c", "cifar-10-batches-bin", "data_batch_1.bin")));
        }

        [Fact]
        public void Should_Refuse_More_Images_Than_The_Source_Holds_Naming_Both()
        {
            using var dir = new TempDirectory();
            Cifar10Synthetic.Write(dir.Path, recordsPerTrainBatch: 10, testRecords: 10, seed: 3);

            var e = Assert.Throws<ArgumentOutOfRangeException>(() => Cifar10Subset.Write(dir.Path, dir.Combine("out"), numTraining: 45, numValidation: 10, seed: 0));

            Assert.Contains("numTraining (45) + numValidation (10) exceeds the 50 training images", e.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(dir.Combine("out", "cifar-10-batches-bin")));
        }
    }
}
