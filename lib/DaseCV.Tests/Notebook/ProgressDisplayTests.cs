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
        Assert.StartsWith("x 3/3 [########################] 100%", shown[1]);
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

        Assert.StartsWith("grid 42/42", shown[^1]);
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
        Assert.StartsWith("CIFAR-10 [########################]", shown[1]);
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
