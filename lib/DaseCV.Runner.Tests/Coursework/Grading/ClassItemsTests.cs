using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using DaseCV.Grader;
using DaseCV.Runner.Commands;
using DaseCV.Runner.Coursework.Grading;
using DaseCV.Runner.IO;

namespace DaseCV.Runner.Tests.Coursework.Grading;

/// <summary>What `grade` finds in a folder of anything, and the staged copies it grades (no sandbox needed).</summary>
public sealed class ClassItemsTests
{
    private readonly string _root = TestPaths.NewTempDirectory();

    static ClassItemsTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private string Zip(string name, string entry = "notebooks/softmax.ipynb")
    {
        var path = Path.Combine(_root, name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var writer = new StreamWriter(zip.CreateEntry(entry).Open()))
            writer.Write("{}");
        return path;
    }

    private (IReadOnlyList<GradingItem>? Items, IReadOnlyList<SkippedEntry> Skipped) Find(bool? asClass = null) => ClassInputs.Find([_root], asClass);

    [Fact]
    public void A_Folder_With_The_Course_Files_Should_Be_One_Submission()
    {
        Directory.CreateDirectory(Path.Combine(_root, "lib", "DaseCV"));
        Directory.CreateDirectory(Path.Combine(_root, "notebooks"));
        Assert.Null(Find().Items);
        Assert.NotNull(Find(asClass: true).Items);
    }

    [Fact]
    public void A_Folder_Of_Zips_Folders_And_Loose_Notebooks_Should_Be_A_Class_With_Safe_Unique_Names_And_List_What_It_Skips()
    {
        Zip("alice.zip");
        Zip("bob smith.zip");
        Zip("-=cmd.zip");
        Zip("gradebook.csv.zip");
        Directory.CreateDirectory(Path.Combine(_root, "submission_123", "lib"));
        Directory.CreateDirectory(Path.Combine(_root, "lib"));
        File.WriteAllText(Path.Combine(_root, "carol_softmax.ipynb"), "{}");
        File.WriteAllText(Path.Combine(_root, "export-notes.txt"), "not a submission");
        File.WriteAllText(Path.Combine(_root, ".DS_Store"), "");

        var (items, skipped) = Find();

        Assert.Equal(["_cmd", "alice", "bob_smith", "carol_softmax", "gradebook.csv-2", "lib", "submission_123"], items!.Select(i => i.Student).Order(StringComparer.Ordinal));
        Assert.Equal(GradingItemKind.LooseFile, items!.Single(i => i.Student == "carol_softmax").Kind);
        Assert.Contains(skipped, s => s.Name == "export-notes.txt" && s.Reason.Contains("not a submission", StringComparison.Ordinal));
        Assert.Contains(skipped, s => s.Name == ".DS_Store");
    }

    [Fact]
    public void A_Class_Of_One_Folder_Should_Still_Be_A_Class()
    {
        Directory.CreateDirectory(Path.Combine(_root, "alice", "lib"));
        Assert.Equal(["alice"], Find().Items!.Select(i => i.Student));
    }

    [Fact]
    public void A_Zip_Named_In_GBK_Bytes_Should_Be_Graded_Under_Its_Chinese_Name()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var gbk = Encoding.GetEncoding("GB18030").GetBytes("张三.zip");
        // .NET writes names as UTF-8; the GBK bytes need the system call itself.
        Assert.Equal(0, Rename(Encoding.UTF8.GetBytes(Zip("tmp.zip") + "\0"), Encoding.UTF8.GetBytes(_root + "/").Concat(gbk).Append((byte)0).ToArray()));

        var item = Assert.Single(Find().Items!);
        Assert.Equal("张三", item.Student);
        var staged = ClassInputs.Stage(item, Path.Combine(_root, "..", Path.GetFileName(_root) + "-staged"), ["notebooks/softmax.ipynb"]);
        using var submission = Submission.Open(staged, item.ShownName);
        Assert.NotNull(submission.Find("notebooks/softmax.ipynb"));
    }

    [Fact]
    public async Task A_FIFO_In_A_Folder_Submission_Should_Be_Refused_Without_Blocking()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var student = Path.Combine(_root, "dave", "lib", "DaseCV", "Classifiers");
        Directory.CreateDirectory(student);
        Assert.Equal(0, MkFifo(Path.Combine(student, "SoftmaxLoss.cs"), 0x1A4));
        Assert.Equal(0, MkFifo(Path.Combine(_root, "loose-fifo.zip"), 0x1A4));

        var (items, skipped) = Find();

        Assert.Contains(skipped, s => s.Name == "loose-fifo.zip" && s.Reason == "a FIFO");
        var task = Task.Run(() => ClassInputs.Stage(Assert.Single(items!), Path.Combine(_root, "..", Path.GetFileName(_root) + "-fifo"), ["notebooks/softmax.ipynb"]));
        Assert.Same(task, await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(10))));
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => task);
        Assert.Contains("SoftmaxLoss.cs is a FIFO", e.Message);
    }

    [Fact]
    public void A_Zip_Entry_With_A_Control_Character_Should_Be_Refused_Naming_It()
    {
        Zip("nul.zip", "lib/Soft\u0001max.cs");
        var e = Assert.Throws<InvalidDataException>(() => Submission.Open(Path.Combine(_root, "nul.zip")));
        Assert.Contains("control character", e.Message);
    }

    [Fact]
    public void A_Zip_With_Backslash_Paths_Should_Be_Read_As_Folders()
    {
        Zip("win.zip", "lib\\DaseCV\\Classifiers\\SoftmaxLoss.cs");
        using var submission = Submission.Open(Path.Combine(_root, "win.zip"));
        Assert.Equal(Path.Combine(submission.Folder, "lib", "DaseCV", "Classifiers", "SoftmaxLoss.cs"), submission.Find("lib/DaseCV/Classifiers/SoftmaxLoss.cs"));
    }

    [Fact]
    public void A_Zip_Entry_Outside_The_Folder_Should_Be_Refused_Naming_It()
    {
        Zip("evil.zip", "../../outside.txt");
        var e = Assert.Throws<InvalidDataException>(() => Submission.Open(Path.Combine(_root, "evil.zip")));
        Assert.Contains("'../../outside.txt' points outside the submission", e.Message);
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "outside.txt")));
    }

    [Fact]
    public async Task A_Missing_Submission_Should_Be_A_Usage_Error_That_Writes_Nothing()
    {
        var outDir = Path.Combine(_root, "out");
        var e = await Assert.ThrowsAsync<UsageException>(() => GradeCommand.RunAsync([Path.Combine(_root, "missing.zip")], outDir, null, Limits.Default, null, true, _ => { }));
        Assert.Contains("missing.zip", e.Message);
        Assert.False(Directory.Exists(outDir));
    }

    [DllImport("libc", EntryPoint = "rename")]
    private static extern int Rename(byte[] from, byte[] to);

    // The path is marshalled as UTF-8 explicitly, which CA2101 does not recognise.
#pragma warning disable CA2101
    [DllImport("libc", EntryPoint = "mkfifo")]
    private static extern int MkFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);
#pragma warning restore CA2101
}
