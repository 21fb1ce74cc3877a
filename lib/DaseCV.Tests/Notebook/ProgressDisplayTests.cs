using DaseCV.Data;
using DaseCV.Notebook;

namespace DaseCV.Tests.Notebook;

public sealed class ProgressDisplayTests
{
    [Fact]
    public void Render_Should_Show_Count_Bar_Percent_Time_And_Detail()
    {
        var line = ProgressDisplay.Render("tuning", 21, 42, TimeSpan.FromSeconds(75), "lr 1e-7");

        Assert.Equal("tuning 21/42 [############............]  50%  1:15  lr 1e-7", line);
    }

    [Theory]
    [InlineData(58.4, "tuning: 42/42 done in 58 s")]
    [InlineData(65, "tuning: 42/42 done in 1 min 05 s")]
    [InlineData(3725, "tuning: 42/42 done in 1 h 02 min")]
    public void RenderDone_Should_Read_As_A_Finished_Step_Not_As_A_Result(double seconds, string expected)
    {
        // No bar, no percent and no detail of the last configuration: the line above the tuning table is not a result.
        Assert.Equal(expected, ProgressDisplay.RenderDone("tuning", 42, 42, TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Report_Should_Replace_The_Detail_With_The_Summary_When_Done()
    {
        var shown = new List<string>();
        var progress = new ProgressDisplay("tuning", shown.Add, minInterval: TimeSpan.Zero);

        progress.Report(41, 42, "lr 1.000000e-07 reg 2.500000e+04 val accuracy: 0.300000");
        progress.Report(42, 42, "lr 5.000000e-07 reg 4.900000e+04 val accuracy: 0.305000");

        Assert.Contains("val accuracy", shown[0]);
        Assert.Matches(@"^tuning: 42/42 done in \d+ s$", shown[1]);
    }

    [Fact]
    public void Report_Should_Always_Show_The_Final_Update_And_Skip_Fast_Ones()
    {
        var shown = new List<string>();
        var progress = new ProgressDisplay("x", shown.Add, minInterval: TimeSpan.FromHours(1));

        progress.Report(1, 3);
        progress.Report(2, 3); // within the interval: skipped
        progress.Report(3, 3);

        Assert.Equal(2, shown.Count);
        Assert.StartsWith("x 1/3 ", shown[0]);
        Assert.Matches(@"^x: 3/3 done in \d+ s$", shown[1]);
    }

    [Fact]
    public void Report_Should_Never_Move_Backwards_When_Threads_Finish_Out_Of_Order()
    {
        var shown = new List<string>();
        var progress = new ProgressDisplay("x", shown.Add, minInterval: TimeSpan.Zero);

        progress.Report(5, 10);
        progress.Report(4, 10);

        Assert.Equal(["x  5/10 "], shown.Select(line => line[..8]));
    }

    [Fact]
    public void Report_Should_End_On_The_Final_Count_Under_Parallel_Calls()
    {
        var shown = new List<string>();
        var progress = new ProgressDisplay("grid", shown.Add, minInterval: TimeSpan.Zero);
        int done = 0;

        Parallel.For(0, 42, _ => progress.Report(Interlocked.Increment(ref done), 42));

        Assert.StartsWith("grid: 42/42 done in ", shown[^1]);
        Assert.True(shown.Count <= 42);
    }

    [Fact]
    public void Report_Should_Reject_More_Done_Than_Total()
    {
        var progress = new ProgressDisplay("x", _ => { });
        Assert.Throws<ArgumentOutOfRangeException>(() => progress.Report(4, 3));
    }

    [Fact]
    public void Download_Progress_Should_Show_A_Bar_And_The_Download_Summary()
    {
        var shown = new List<string>();
        IProgress<DownloadProgress> progress = new ProgressDisplay("CIFAR-10", shown.Add, minInterval: TimeSpan.Zero);

        progress.Report(new DownloadProgress(50 * 1048576, 100 * 1048576, 10 * 1048576, TimeSpan.FromSeconds(5)));
        progress.Report(new DownloadProgress(100 * 1048576, 100 * 1048576, 10 * 1048576, TimeSpan.Zero));

        Assert.Equal(2, shown.Count);
        Assert.Matches(@"^CIFAR-10 \[#{12}\.{12}\]  0:\d\d  50\.0 % · 50\.0 of 100\.0 MB · 10\.0 MB/s · 0:05 left$", shown[0]);
        Assert.Matches(@"^CIFAR-10: 100\.0 MB downloaded in \d+ s$", shown[1]);
    }

    [Fact]
    public void Download_Progress_Of_Unknown_Size_Should_Show_No_Bar()
    {
        var shown = new List<string>();
        var progress = new ProgressDisplay("CIFAR-10", shown.Add, minInterval: TimeSpan.Zero);

        progress.Report(new DownloadProgress(3 * 1048576, null, 1048576, null));

        Assert.Matches(@"^CIFAR-10  0:\d\d  3\.0 MB · 1\.0 MB/s$", Assert.Single(shown));
    }
}
