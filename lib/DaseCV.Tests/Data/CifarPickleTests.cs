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

    /// <summary>Labels that are not ints in [0, 10): each is refused with the file, record and value, never converted.</summary>
    public static TheoryData<object?, string> NonLabels => new()
    {
        { null, "None" },
        { 3.7, "3.7 (a float)" },
        { 4.0, "4 (a float)" },
        { -1, "-1" },
        { 1000, "1000" },
        { 5_000_000_000L, "5000000000" },
    };

    [Theory]
    [MemberData(nameof(NonLabels))]
    public void Should_Refuse_A_Label_That_Is_Not_An_Integer_From_0_To_9(object? label, string shown)
    {
        using var dir = new TempDirectory();
        var batches = SyntheticBatches(dir);
        CifarPickleWriter.WriteFolder(dir.Combine("cifar-10-batches-py"), batches, Cifar10.ClassNames);
        // data_batch_2 again, with record 7's label replaced.
        var bytes = batches[1];
        int n = bytes.Length / 3073;
        var planar = new byte[n * 3072];
        var labels = new object?[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = (int)bytes[i * 3073];
            Array.Copy(bytes, i * 3073 + 1, planar, i * 3072, 3072);
        }
        labels[7] = label;
        string file = dir.Combine("cifar-10-batches-py", "data_batch_2");
        File.WriteAllBytes(file, CifarPickleWriter.Batch(planar, labels));
        var listing = dir.Listing();

        var ex = Assert.Throws<InvalidDataException>(() => Cifar10.Load(dir.Path));


        Assert.Equal($"data_batch_2: record 7 has label {shown}; CIFAR-10 labels are 0–9. " +
                     $"The file ({file}) is not a CIFAR-10 batch or is corrupt.", ex.Message);
        Assert.Equal(listing, dir.Listing());
    }

    [Fact]
    public void Should_Refuse_An_Array_Shape_Beyond_Int_With_A_Message()
    {
        using var dir = new TempDirectory();
        var batches = SyntheticBatches(dir);
        CifarPickleWriter.WriteFolder(dir.Combine("cifar-10-batches-py"), batches, Cifar10.ClassNames);
        string file = dir.Combine("cifar-10-batches-py", "data_batch_1");
        // The shape (N, 3072) is pickled as BININT1 N then BININT2 3072: make N the LONG1 5,000,000,000.
        var pickle = File.ReadAllBytes(file);
        int at = pickle.AsSpan().IndexOf(new byte[] { (byte)'K', 20, (byte)'M', 0x00, 0x0c, 0x86 });
        Assert.True(at > 0, "the shape opcodes were not found in the test pickle");
        byte[] huge = [0x8a, 5, 0x00, 0xf2, 0x05, 0x2a, 0x01];
        File.WriteAllBytes(file, [.. pickle[..at], .. huge, .. pickle[(at + 2)..]]);

        var ex = Assert.Throws<InvalidDataException>(() => Cifar10.Load(dir.Path));


        Assert.StartsWith("data_batch_1 is not a CIFAR-10 Python batch: it cannot be unpickled (ndarray shape (5000000000, 3072) " +
                          "has a dimension that is not a size from 0 to 2,147,483,647)", ex.Message);
    }

    [Fact]
    public void Should_Refuse_A_Class_Name_That_Is_Not_A_String()
    {
        using var dir = new TempDirectory();
        CifarPickleWriter.WriteFolder(dir.Combine("cifar-10-batches-py"), SyntheticBatches(dir), Cifar10.ClassNames);
        string meta = dir.Combine("cifar-10-batches-py", "batches.meta");
        File.WriteAllBytes(meta, CifarPickleWriter.Meta(Cifar10.ClassNames.Take(3).Cast<object?>().Append(null).Concat(Cifar10.ClassNames.Skip(4))));

        var ex = Assert.Throws<InvalidDataException>(() => Cifar10.ReadClassNames(dir.Path));

        Assert.Equal($"batches.meta is not a CIFAR-10 Python batch: its label_names[3] is None, not a string. File: {meta}.", ex.Message);
    }
}
