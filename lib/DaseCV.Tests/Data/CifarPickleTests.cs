using DaseCV.Data;

namespace DaseCV.Tests.Data;

public sealed class CifarPickleTests
{
    private const int PerBatch = 20;

    /// <summary>The binary version's six batches of a synthetic set, as bytes (training batches first).</summary>
    private static List<byte[]> SyntheticBatches(TempDirectory dir)
    {
        string bin = Cifar10.WriteSynthetic(dir.Combine("bin"), PerBatch, 15, seed: 9);
        return [.. Enumerable.Range(1, 5).Select(b => File.ReadAllBytes(Path.Combine(bin, $"data_batch_{b}.bin"))),
                File.ReadAllBytes(Path.Combine(bin, "test_batch.bin"))];
    }

    [Fact]
    public void Should_Load_The_Python_Version_Exactly_As_The_Binary_Version()
    {
        using var dir = new TempDirectory();
        var batches = SyntheticBatches(dir);
        CifarPickleWriter.WriteFolder(dir.Combine("py", "cifar-10-batches-py"), batches, Cifar10.ClassNames.Reverse().ToArray());

        var fromPickle = Cifar10.Load(dir.Combine("py"));
        var fromBinary = Cifar10.Load(dir.Combine("bin"));

        Assert.Equal(fromBinary.XTrain, fromPickle.XTrain);
        Assert.Equal(fromBinary.yTrain, fromPickle.yTrain);
        Assert.Equal(fromBinary.XTest, fromPickle.XTest);
        Assert.Equal(fromBinary.yTest, fromPickle.yTest);
        Assert.Equal(Cifar10.ClassNames.Reverse(), Cifar10.ReadClassNames(dir.Combine("py")));
    }

    [Fact]
    public void Should_Keep_The_32_32_3_Order_For_Pickled_Batches()
    {
        using var dir = new TempDirectory();
        var batches = SyntheticBatches(dir);
        batches[0] = CifarRecords.Positional(label: 6);
        CifarPickleWriter.WriteFolder(dir.Combine("cifar-10-batches-py"), batches, Cifar10.ClassNames);

        var (XTrain, yTrain, _, _) = Cifar10.Load(dir.Path);

        Assert.Equal(6, yTrain[0]);
        Assert.Equal(CifarRecords.Expected(17, 5, 2), XTrain[0, (17 * 32 + 5) * 3 + 2]);
        Assert.Equal(CifarRecords.Expected(31, 30, 1), XTrain[0, (31 * 32 + 30) * 3 + 1]);
    }

    [Fact]
    public void Should_Refuse_A_Pickle_That_Asks_For_An_Unknown_Global_Without_Running_It()
    {
        using var dir = new TempDirectory();
        CifarPickleWriter.WriteFolder(dir.Combine("cifar-10-batches-py"), SyntheticBatches(dir), Cifar10.ClassNames);
        string marker = dir.Combine("pwned");
        File.WriteAllBytes(dir.Combine("cifar-10-batches-py", "data_batch_2"), CifarPickleWriter.CallGlobal("os", "system"));

        var ex = Assert.Throws<InvalidDataException>(() => Cifar10.Load(dir.Path));

        Assert.StartsWith("data_batch_2 asks for the unknown global os.system; a CIFAR-10 pickle only needs numpy.core.multiarray._reconstruct", ex.Message);
        Assert.Contains("Nothing was loaded or run.", ex.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Should_Refuse_A_Known_Razorvine_Type_That_CIFAR_Does_Not_Use()
    {
        using var dir = new TempDirectory();
        CifarPickleWriter.WriteFolder(dir.Combine("cifar-10-batches-py"), SyntheticBatches(dir), Cifar10.ClassNames);
        File.WriteAllBytes(dir.Combine("cifar-10-batches-py", "test_batch"), CifarPickleWriter.CallGlobal("datetime", "datetime"));

        var ex = Assert.Throws<InvalidDataException>(() => Cifar10.Load(dir.Path));

        Assert.StartsWith("test_batch asks for the unknown global datetime.datetime", ex.Message);
    }

    [Fact]
    public void Should_Name_The_File_When_The_Pickle_Is_Cut_Short()
    {
        using var dir = new TempDirectory();
        var batches = SyntheticBatches(dir);
        CifarPickleWriter.WriteFolder(dir.Combine("cifar-10-batches-py"), batches, Cifar10.ClassNames);
        string file = dir.Combine("cifar-10-batches-py", "data_batch_4");
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..5000]);

        var ex = Assert.Throws<InvalidDataException>(() => Cifar10.Load(dir.Path));

        Assert.StartsWith("data_batch_4 is not a CIFAR-10 Python batch: the pickle ends inside an opcode argument.", ex.Message);
    }

    [Fact]
    public void Should_Name_The_File_And_Record_When_A_Pickled_Label_Is_Above_9()
    {
        using var dir = new TempDirectory();
        var batches = SyntheticBatches(dir);
        batches[2][3 * 3073] = 10;
        CifarPickleWriter.WriteFolder(dir.Combine("cifar-10-batches-py"), batches, Cifar10.ClassNames);

        var ex = Assert.Throws<InvalidDataException>(() => Cifar10.Load(dir.Path));

        Assert.StartsWith("data_batch_3: record 3 has label 10; CIFAR-10 labels are 0–9.", ex.Message);
    }
}
