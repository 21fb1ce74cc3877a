using DaseCV.Runner.Execution;

namespace DaseCV.Runner.Tests.Execution;

public sealed class CellTimeoutTests
{
    public sealed class TheParseMethod
    {
        [Theory]
        [InlineData("90", 90)]
        [InlineData("90s", 90)]
        [InlineData("45m", 45 * 60)]
        [InlineData("45min", 45 * 60)]
        [InlineData("1.5h", 90 * 60)]
        public void Should_Read_Seconds_Or_A_Number_With_A_Unit(string text, double seconds)
        {
            Assert.Equal(TimeSpan.FromSeconds(seconds), CellTimeout.Parse(text));
        }

        [Theory]
        [InlineData("0")]
        [InlineData("off")]
        [InlineData("none")]
        public void Should_Turn_The_Limit_Off(string text)
        {
            Assert.Null(CellTimeout.Parse(text));
        }

        [Theory]
        [InlineData("soon")]
        [InlineData("-5")]
        [InlineData("10d")]
        [InlineData("1000h")]
        public void Should_Name_A_Value_That_Is_Not_A_Duration(string text)
        {
            var e = Assert.Throws<UsageException>(() => CellTimeout.Parse(text));

            Assert.StartsWith($"--cell-timeout {text}: ", e.Message);
        }
    }
}
