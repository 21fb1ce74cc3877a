using DaseCV.Runner.Html;

namespace DaseCV.Runner.Tests.Html;

public sealed class ProgressLineTests
{
    public sealed class TheFinalMethod
    {
        [Fact]
        public void Should_Drop_The_Detail_Of_A_Finished_Display()
        {
            var text = ProgressLine.Final("tuning 42/42 [########################] 100%  0:08  lr 5.000000e-07 reg 4.900000e+04 val accuracy: 0.305000", out var finished);

            Assert.True(finished);
            Assert.Equal("tuning 42/42 [########################] 100%  0:08", text);
        }

        [Fact]
        public void Should_Keep_The_Detail_Of_A_Display_That_Stopped_Early()
        {
            const string line = "tuning 17/42 [#########...............]  40%  0:12  lr 1.000000e-07 reg 1.000000e+04 val accuracy: 0.250000";

            Assert.Equal(line, ProgressLine.Final(line, out var finished));
            Assert.False(finished);
        }

        [Fact]
        public void Should_Recognise_A_Download_Bar_Without_A_Count()
        {
            var text = ProgressLine.Final("CIFAR-10 [########################]  1:02  162.2 MB in 1:02", out var finished);

            Assert.True(finished);
            Assert.Equal("CIFAR-10 [########################]  1:02", text);
        }

        [Theory]
        [InlineData("lr 1.000000e-07 reg 1.000000e+04 train accuracy: 0.3 val accuracy: 0.3")]
        [InlineData("tuning 42/42 [####] 100%  0:08\nsecond line")]
        [InlineData("[1, 2, 3]")]
        public void Should_Not_Take_Other_Text_For_Progress(string text) =>
            Assert.Null(ProgressLine.Final(text, out _));
    }
}
