namespace DaseCV.Runner.Tests;

public sealed class CommandArgumentsTests
{
    public sealed class TheParseMethod
    {
        [Fact]
        public void Should_Keep_Repeated_Options_In_Order()
        {
            var parsed = CommandArguments.Parse("run", ["-p", "a=1", "nb.ipynb", "--out", "x", "-p", "b=2", "--out", "y"], "-p", "--out");

            Assert.Equal("nb.ipynb", parsed.Notebook);
            Assert.Equal(["a=1", "b=2"], parsed.All("-p"));
            Assert.Equal("y", parsed.Last("--out"));
            Assert.False(parsed.Help);
        }

        [Theory]
        [InlineData(new[] { "--bogus" }, "unknown option '--bogus'")]
        [InlineData(new[] { "nb.ipynb", "--out" }, "--out needs a value")]
        [InlineData(new[] { "a.ipynb", "b.ipynb" }, "one notebook")]
        public void Should_Explain_Bad_Arguments(string[] args, string message)
        {
            var e = Assert.Throws<UsageException>(() => CommandArguments.Parse("run", args, "--out"));

            Assert.Contains(message, e.Message);
        }

        [Fact]
        public void Should_Recognise_Help() => Assert.True(CommandArguments.Parse("export", ["x.ipynb", "--help"]).Help);
    }
}
