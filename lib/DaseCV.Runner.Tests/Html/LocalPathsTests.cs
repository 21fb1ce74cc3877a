using DaseCV.Runner.Html;

namespace DaseCV.Runner.Tests.Html;

public sealed class LocalPathsTests
{
    private static readonly LocalPaths Machine = new(["/work/course/daseCV"], ["/home/ann"]);

    public sealed class TheHideMethod
    {
        [Theory]
        [InlineData("cifar10: /work/course/daseCV/data/cifar-10-batches-bin", "cifar10: data/cifar-10-batches-bin")]
        [InlineData("cwd=/work/course/daseCV", "cwd=.")]
        [InlineData("dataDir=/home/ann/Downloads/cifar", "dataDir=~/Downloads/cifar")]
        [InlineData("at /home/bob/src/x.cs:line 3", "at ~/src/x.cs:line 3")]
        [InlineData("\"/Users/carol/data\"", "\"~/data\"")]
        [InlineData("/root/.nuget/packages", "~/.nuget/packages")]
        [InlineData(@"C:\Users\dave\daseCV\data", @"~\daseCV\data")]
        public void Should_Make_Local_Paths_Relative_Or_Home_Relative(string text, string expected) =>
            Assert.Equal(expected, Machine.Hide(text));

        [Theory]
        [InlineData("/work/course/daseCV2/data")]          // another folder that only starts the same
        [InlineData("/tmp/run/data")]                      // not a home or repository path
        [InlineData("iVBORw0/home/ann/Kgo=")]             // inside base64 data
        [InlineData("https://example.invalid/home/ann/x")] // inside a URL
        [InlineData("lib/DaseCV/bin/Release")]             // already relative
        public void Should_Leave_Other_Text_Alone(string text) =>
            Assert.Equal(text, Machine.Hide(text));

        [Fact]
        public void Should_Prefer_The_Repository_Inside_The_Home_Folder()
        {
            var paths = new LocalPaths(["/home/ann/daseCV"], ["/home/ann"]);

            Assert.Equal("data/x and ~/other", paths.Hide("/home/ann/daseCV/data/x and /home/ann/other"));
        }
    }

    public sealed class TheRepositoryRootMethod
    {
        [Fact]
        public void Should_Find_The_Folder_Holding_Dot_Git()
        {
            var root = TestPaths.NewTempDirectory();
            File.WriteAllText(Path.Combine(root, ".git"), "gitdir: elsewhere"); // a worktree's .git is a file
            var nested = Directory.CreateDirectory(Path.Combine(root, "notebooks", "deep")).FullName;

            Assert.Equal(root, LocalPaths.RepositoryRoot(nested));
        }
    }
}
