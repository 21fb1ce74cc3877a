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
}
