using DaseCV.Runner.IO;
namespace DaseCV.Runner.Tests;

public sealed class OutputTargetTests
{
    public sealed class TheCheckMethod
    {
        private readonly string _root = TestPaths.NewTempDirectory();

        private string Input()
        {
            var path = Path.Combine(Directory.CreateDirectory(Path.Combine(_root, "notebooks")).FullName, "x.ipynb");
            File.WriteAllText(path, "{\"the\": \"user's notebook\"}");
            return path;
        }

        [Fact]
        public void Should_Refuse_An_Output_That_Is_The_Input_Through_A_Symlinked_Folder()
        {
            var input = Input();
            var link = Path.Combine(_root, "out");
            Directory.CreateSymbolicLink(link, Path.GetDirectoryName(input)!);

            var e = Assert.Throws<UsageException>(() => OutputTarget.Check([Path.Combine(link, "x.ipynb")], [input], "--out out"));

            Assert.StartsWith("--out out: the output ", e.Message);
            Assert.Contains($"is the input {input}", e.Message);
            Assert.Equal("{\"the\": \"user's notebook\"}", File.ReadAllText(input));
        }

        [Fact]
        public void Should_Refuse_An_Output_Folder_In_Place_Of_The_File()
        {
            var target = Directory.CreateDirectory(Path.Combine(_root, "x.html")).FullName;

            var e = Assert.Throws<UsageException>(() => OutputTarget.Check([target], [Input()], "--out x.html"));

            Assert.Equal($"--out x.html: the output {target} is a folder; it must be a file path.", e.Message);
        }

        [Fact]
        public void Should_Refuse_A_Folder_Path_That_Goes_Through_A_File()
        {
            var file = Path.Combine(_root, "taken");
            File.WriteAllText(file, "not a folder");

            var e = Assert.Throws<UsageException>(() => OutputTarget.Check([Path.Combine(file, "sub", "x.ipynb")], [Input()], "--out taken/sub"));

            Assert.Contains($"{file} is a file, so the output folder", e.Message);
            Assert.Equal("not a folder", File.ReadAllText(file));
        }

        [Fact]
        public void Should_Refuse_A_Folder_That_Cannot_Be_Written()
        {
            // /sys refuses new files even to root, which ignores chmod.
            Assert.True(Directory.Exists("/sys"), "this suite runs on Linux");

            var e = Assert.Throws<UsageException>(() => OutputTarget.Check(["/sys/x.ipynb"], [Input()], "--out /sys"));

            Assert.StartsWith("--out /sys: cannot write in the output folder /sys: ", e.Message);
        }

        [Fact]
        public void Should_Delete_The_Temp_Files_Killed_Runs_Left_In_The_Output_Folder()
        {
            var outDir = Directory.CreateDirectory(Path.Combine(_root, "out")).FullName;
            var stale = Path.Combine(outDir, "x.html.tmp-" + Environment.ProcessId);
            File.WriteAllText(stale, "<html>half");
            File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-2));

            var deleted = OutputTarget.Check([Path.Combine(outDir, "x.html")], [Input()], "--out out/x.html");

            Assert.Equal([Path.GetFileName(stale)], deleted);
            Assert.False(File.Exists(stale));
        }

        [Fact]
        public void Should_Create_The_Folder_And_Leave_No_Probe_File()
        {
            var target = Path.Combine(_root, "new", "deeper", "x.ipynb");

            OutputTarget.Check([target], [Input()], "--out new/deeper");

            Assert.True(Directory.Exists(Path.GetDirectoryName(target)));
            Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(target)!));
        }
    }
}
