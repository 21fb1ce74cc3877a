using DaseCV.Runner.Commands;
namespace DaseCV.Runner.Tests;

public sealed class CommandArgumentsTests
{
    public sealed class TheJoinPapermillParametersMethod
    {
        [Fact]
        public void Should_Join_Papermills_Two_Token_Form_Into_Name_Equals_Value()
        {
            var joined = CommandArguments.JoinPapermillParameters(
                ["run", "nb.ipynb", "-p", "numIters", "200", "--parameter", "dataset", "synthetic", "-p", "lr=1e-7"]);

            Assert.Equal(["run", "nb.ipynb", "-p", "numIters=200", "--parameter", "dataset=synthetic", "-p", "lr=1e-7"], joined);
        }

        [Fact]
        public void Should_Keep_A_Value_That_Holds_Equals_Signs_Or_Is_Negative()
        {
            Assert.Equal(["-p", "expr=a=b"], CommandArguments.JoinPapermillParameters(["-p", "expr", "a=b"]));
            Assert.Equal(["-p", "x=-3"], CommandArguments.JoinPapermillParameters(["-p", "x", "-3"]));
        }

        [Fact]
        public void Should_Leave_Other_Tokens_Alone()
        {
            string[][] unchanged =
            [
                ["-p", "a=1", "nb.ipynb"],      // NAME=VALUE: the next token is the notebook
                ["-p", "name", "--out", "x"],   // an option is never a value
                ["-p", "name"],                 // nothing to join: the parser reports it
                ["--", "-p", "a", "b"],         // after --, tokens are left alone
            ];

            foreach (var args in unchanged)
                Assert.Equal(args, CommandArguments.JoinPapermillParameters(args));
        }
    }

    public sealed class TheParseTimeoutMethod
    {
        [Theory]
        [InlineData("600", 600)]
        [InlineData("90s", 90)]
        [InlineData("20m", 1200)]
        [InlineData("1.5h", 5400)]
        [InlineData(" 2M ", 120)]
        public void Should_Read_Seconds_Or_A_Unit(string text, double seconds) =>
            Assert.Equal(TimeSpan.FromSeconds(seconds), CommandArguments.ParseTimeout(text));

        [Theory]
        [InlineData("0")]
        [InlineData("off")]
        [InlineData("none")]
        public void Should_Read_No_Limit_As_Null(string text) => Assert.Null(CommandArguments.ParseTimeout(text));

        [Theory]
        [InlineData("abc")]
        [InlineData("-5")]
        [InlineData("5x")]
        [InlineData("")]
        [InlineData("48h")]
        public void Should_Name_A_Bad_Value(string text)
        {
            var e = Assert.Throws<FormatException>(() => CommandArguments.ParseTimeout(text));

            Assert.Contains($"'{text}'", e.Message);
        }
    }
}
