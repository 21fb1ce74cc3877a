using System.Diagnostics;
using DaseCV.Runner.IO;

namespace DaseCV.Runner.Tests;

public sealed class AtomicFileTests
{
    public sealed class TheWriteMethod
    {
        private readonly string _root = TestPaths.NewTempDirectory();

        [Fact]
        public void Should_Keep_The_Old_File_And_Leave_No_Temp_When_The_Disk_Fills_Up_Mid_Write()
        {
            var path = Path.Combine(_root, "x.ipynb");
            File.WriteAllText(path, "old complete notebook");

            var e = Assert.Throws<OutputWriteException>(() => AtomicFile.Write(path, stream =>
            {
                stream.Write("{\"cells\": ["u8);
                throw new IOException("No space left on device");
            }));

            Assert.Equal($"could not write {path}: No space left on device", e.Message);
            Assert.Equal("old complete notebook", File.ReadAllText(path));
            Assert.Equal(["x.ipynb"], Directory.GetFiles(_root).Select(Path.GetFileName));
        }

        [Fact]
        public void Should_Leave_No_File_When_There_Was_None_And_The_Write_Fails()
        {
            var path = Path.Combine(_root, "x.html");

            Assert.Throws<OutputWriteException>(() => AtomicFile.Write(path, _ => throw new IOException("No space left on device")));

            Assert.Empty(Directory.GetFiles(_root));
        }

        [Fact]
        public void Should_Replace_The_File_When_The_Write_Completes()
        {
            var path = Path.Combine(_root, "x.html");
            File.WriteAllText(path, "old");

            AtomicFile.WriteAllText(path, "新的 <html>");

            Assert.Equal("新的 <html>", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(_root));
        }
    }

    public sealed class TheDeleteStaleTempsMethod
    {
        private readonly string _root = TestPaths.NewTempDirectory();

        private static int DeadPid()
        {
            using var process = Process.Start("true")!;
            process.WaitForExit();
            return process.Id;
        }

        private string Temp(string name, int pid, TimeSpan age)
        {
            var path = Path.Combine(_root, $"{name}.tmp-{pid}");
            File.WriteAllText(path, "half a notebook");
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
            return path;
        }

        [Fact]
        public void Should_Delete_The_Temp_Files_Of_Dead_Processes_Only()
        {
            var dead = DeadPid();
            var stale = Temp("x.ipynb", dead, TimeSpan.FromHours(1));
            var staleHtml = Temp("x.html", dead, TimeSpan.FromHours(1));
            var live = Temp("y.ipynb", Environment.ProcessId, TimeSpan.FromHours(1));
            var fresh = Temp("z.ipynb", dead, TimeSpan.Zero);
            var foreign = Temp("notes.txt", dead, TimeSpan.FromHours(1));

            var deleted = AtomicFile.DeleteStaleTemps(_root);

            Assert.Equal([Path.GetFileName(staleHtml), Path.GetFileName(stale)], deleted.Order(StringComparer.Ordinal));
            Assert.False(File.Exists(stale));
            Assert.True(File.Exists(live));
            Assert.True(File.Exists(fresh)); // a writer in another PID namespace may still be at it
            Assert.True(File.Exists(foreign));
        }

        [Fact]
        public void Should_Delete_A_Temp_File_Untouched_For_Days_Whatever_Its_Pid()
        {
            // After a kill -9 the PID may be reused by an unrelated process that lives for weeks.
            var abandoned = Temp("x.ipynb", Environment.ProcessId, TimeSpan.FromDays(3));

            Assert.Equal([Path.GetFileName(abandoned)], AtomicFile.DeleteStaleTemps(_root));
        }

        [Fact]
        public void Should_Do_Nothing_For_A_Missing_Folder()
        {
            Assert.Empty(AtomicFile.DeleteStaleTemps(Path.Combine(_root, "missing")));
        }
    }
}
