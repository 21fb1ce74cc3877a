using System.IO.Compression;
using DaseCV.Runner.Commands;
using DaseCV.Runner.Coursework.Grading;

namespace DaseCV.Runner.Tests.Coursework.Grading;

public sealed class ClassItemsTests
{
    private readonly string _root = TestPaths.NewTempDirectory();

    private string Zip(string name, string entry = "notebooks/softmax.ipynb")
    {
        var path = Path.Combine(_root, name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var writer = new StreamWriter(zip.CreateEntry(entry).Open()))
            writer.Write("{}");
        return path;
    }

    [Fact]
    public void A_Folder_With_The_Course_Files_Should_Be_One_Submission()
    {
        Directory.CreateDirectory(Path.Combine(_root, "lib"));
        Directory.CreateDirectory(Path.Combine(_root, "notebooks"));
        Assert.Null(GradeCommand.ClassItems([_root]));
    }

    [Fact]
    public void A_Folder_Of_Zips_And_Folders_Should_Be_A_Class_With_Safe_Unique_Names()
    {
        Zip("alice.zip");
        Zip("bob smith.zip");
        Directory.CreateDirectory(Path.Combine(_root, "submission_123", "lib"));
        File.WriteAllText(Path.Combine(_root, "export-notes.txt"), "not a submission");

        var items = GradeCommand.ClassItems([_root])!;

        Assert.Equal(["alice", "bob_smith", "submission_123"], items.Select(i => i.Student));
    }

    [Fact]
    public void A_Folder_Holding_Only_One_Zip_Should_Be_That_Submission()
    {
        var zip = Zip("submission.zip", "lib/DaseCV/Classifiers/SoftmaxLoss.cs");
        Assert.Null(GradeCommand.ClassItems([_root]));
        using var submission = Submission.Open(_root);
        Assert.NotNull(submission.Find("lib/DaseCV/Classifiers/SoftmaxLoss.cs"));
        Assert.True(File.Exists(zip));
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
        var e = await Assert.ThrowsAsync<UsageException>(() => GradeCommand.GradeAsync(TestPaths.RepositoryRoot, DaseCV.Runner.Coursework.CourseLayout.Default,
            Path.Combine(_root, "missing.zip"), outDir, CheckLimits.Default, _ => { }));
        Assert.Contains("missing.zip", e.Message);
        Assert.False(Directory.Exists(outDir));
    }
}
