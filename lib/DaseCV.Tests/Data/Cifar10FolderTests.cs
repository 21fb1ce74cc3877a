using DaseCV.Data;

namespace DaseCV.Tests.Data;

/// <summary>How the loader finds and measures a CIFAR-10 folder (Cifar10Folder.Locate, through Cifar10.Load).</summary>
public sealed class Cifar10FolderTests
{
    private const int PerBatch = 20;

    public sealed class TheLocateMethod
    {
        [Fact]
        public void Should_Measure_A_Batch_File_That_Is_A_Symlink_By_Its_Target()
        {
            using var dir = new TempDirectory();
            string bin = Cifar10.WriteSynthetic(dir.Combine("data"), PerBatch, PerBatch, seed: 1);
            string elsewhere = dir.Combine("kept-elsewhere.bin");
            File.Move(Path.Combine(bin, "data_batch_3.bin"), elsewhere);
            File.CreateSymbolicLink(Path.Combine(bin, "data_batch_3.bin"), elsewhere);

            var (XTrain, yTrain, _, _) = Cifar10.Load(dir.Combine("data"));

            Assert.Equal(5 * PerBatch, yTrain.Length);
            var third = File.ReadAllBytes(elsewhere);
            Assert.Equal(third[1 + 1024], XTrain[2 * PerBatch, 1]);  // record 0 of data_batch_3, green of pixel 0
        }

        [Fact]
        public void Should_Name_A_Batch_File_That_Is_A_Broken_Symlink()
        {
            using var dir = new TempDirectory();
            string bin = Cifar10.WriteSynthetic(dir.Path, PerBatch, PerBatch, seed: 1);
            string link = Path.Combine(bin, "test_batch.bin");
            File.Delete(link);
            File.CreateSymbolicLink(link, dir.Combine("gone.bin"));

            var ex = Assert.Throws<FileNotFoundException>(() => Cifar10.Load(dir.Path));

            Assert.Equal($"{link} is a symbolic link to {dir.Combine("gone.bin")}, which does not exist.", ex.Message);
        }

        [Fact]
        public void Should_Refuse_A_Batch_Over_2_GB_With_Its_Size_Not_An_Overflow()
        {
            using var dir = new TempDirectory();
            string bin = Cifar10.WriteSynthetic(dir.Path, PerBatch, PerBatch, seed: 1);
            string file = Path.Combine(bin, "data_batch_2.bin");
            // Sparse: 700,000 records (2.15 GB) take no disk space.
            using (var stream = File.OpenWrite(file)) stream.SetLength(700_000L * 3073);
            var listing = dir.Listing();

            var ex = Assert.Throws<InvalidDataException>(() => Cifar10.Load(dir.Path));

            Assert.StartsWith("data_batch_2.bin is 2,151,100,000 bytes (700,000 records); a CIFAR-10 batch is 10,000 × 3,073 bytes, " +
                              "and a batch file is read whole, so it can be at most ", ex.Message);
            Assert.Contains($"Split it into smaller batches. File: {file}.", ex.Message);
            Assert.Equal(listing, dir.Listing());
        }

        [Fact]
        public void Should_Say_An_Unreadable_Folder_Cannot_Be_Read_Rather_Than_Missing()
        {
            using var dir = Unreadable.NewFolder();
            string bin = Cifar10.WriteSynthetic(dir.Path, PerBatch, PerBatch, seed: 1);
            Exception? thrown;
            using (Unreadable.Lock(bin)) thrown = Unreadable.Run(() => Cifar10.Load(dir.Path));

            var ex = Assert.IsType<UnauthorizedAccessException>(thrown);
            Assert.StartsWith($"{bin} cannot be read (", ex.Message);
            Assert.Contains($"Give yourself read access to it (chmod -R u+rX {bin})", ex.Message);
            Assert.DoesNotContain("missing", ex.Message);
            Assert.Equal(8, dir.Listing().Length);
        }

        [Fact]
        public void Should_Say_An_Unreadable_Data_Folder_Cannot_Be_Read_Rather_Than_Empty()
        {
            using var dir = Unreadable.NewFolder();
            Cifar10.WriteSynthetic(dir.Combine("data"), PerBatch, PerBatch, seed: 1);
            Exception? thrown;
            using (Unreadable.Lock(dir.Combine("data"))) thrown = Unreadable.Run(() => Cifar10.Load(dir.Combine("data")));

            var ex = Assert.IsType<UnauthorizedAccessException>(thrown);
            Assert.StartsWith($"{dir.Combine("data")} cannot be read (", ex.Message);
        }
    }
}
