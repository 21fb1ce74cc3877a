using DaseCV.Data;

namespace DaseCV.Tests.Data;

/// <summary>Cifar10Synthetic.Write's limits (the layout and learnability are tested in Cifar10Tests).</summary>
public sealed class Cifar10SyntheticTests
{
    public sealed class TheWriteMethod
    {
        [Theory]
        [InlineData(2_000_000, 10, "recordsPerTrainBatch", "2,000,000")]
        [InlineData(10, 1_000_000, "testRecords", "1,000,000")]
        public void Should_Refuse_A_Batch_Too_Large_To_Read_Before_Writing_Anything(int perBatch, int test, string name, string shown)
        {
            using var dir = new TempDirectory();

            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Cifar10Synthetic.Write(dir.Path, perBatch, test, seed: 0));

            Assert.Equal(name, ex.ParamName);
            Assert.StartsWith($"{name} is {shown}; a batch file holds at most 698,823 records (it is read whole, and arrays end " +
                              "below 2 GB). CIFAR-10 has 10,000 per batch.", ex.Message);
            Assert.Empty(dir.Listing());
        }
    }
}
