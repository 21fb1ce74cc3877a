using DaseCV.Runner.IO;
namespace DaseCV.Runner.Tests;

public sealed class FileIdentityTests
{
    public sealed class TheAreSameMethod
    {
        private readonly string _root = TestPaths.NewTempDirectory();

        private string Notebook()
        {
            var folder = Directory.CreateDirectory(Path.Combine(_root, "notebooks")).FullName;
            var path = Path.Combine(folder, "x.ipynb");
            File.WriteAllText(path, "{}");
            return path;
        }

        [Fact]
        public void Should_See_One_File_Through_A_Symlinked_Folder()
        {
            var notebook = Notebook();
            var link = Path.Combine(_root, "link");
            Directory.CreateSymbolicLink(link, Path.GetDirectoryName(notebook)!);

            Assert.True(FileIdentity.AreSame(Path.Combine(link, "x.ipynb"), notebook));
        }

        [Fact]
        public void Should_See_One_File_Through_Dot_Dot_And_A_File_Symlink()
        {
            var notebook = Notebook();
            var fileLink = Path.Combine(_root, "alias.ipynb");
            File.CreateSymbolicLink(fileLink, notebook);

            Assert.True(FileIdentity.AreSame(Path.Combine(_root, "notebooks", "..", "notebooks", "x.ipynb"), notebook));
            Assert.True(FileIdentity.AreSame(fileLink, notebook));
        }

        [Fact]
        public void Should_See_One_File_Through_A_Hard_Link_On_Linux()
        {
            Assert.True(OperatingSystem.IsLinux(), "hard links are compared by inode on Linux; this suite runs there");
            var notebook = Notebook();
            var hardLink = Path.Combine(_root, "hard.ipynb");
            using (var ln = System.Diagnostics.Process.Start("ln", [notebook, hardLink]))
                ln.WaitForExit();

            Assert.True(FileIdentity.AreSame(hardLink, notebook));
        }

        [Fact]
        public void Should_Tell_Apart_Two_Files_With_The_Same_Content_And_A_Missing_File()
        {
            var notebook = Notebook();
            var copy = Path.Combine(_root, "copy.ipynb");
            File.Copy(notebook, copy);

            Assert.False(FileIdentity.AreSame(copy, notebook));
            Assert.False(FileIdentity.AreSame(Path.Combine(_root, "missing.ipynb"), notebook));
        }

        [Fact]
        public void Should_Resolve_Paths_Through_Symlinks_Where_Inodes_Are_Not_Available()
        {
            var notebook = Notebook();
            var link = Path.Combine(_root, "link2");
            Directory.CreateSymbolicLink(link, Path.GetDirectoryName(notebook)!);

            Assert.Equal(FileIdentity.ResolvePath(notebook), FileIdentity.ResolvePath(Path.Combine(link, "..", "link2", "x.ipynb")));
        }
    }
}
