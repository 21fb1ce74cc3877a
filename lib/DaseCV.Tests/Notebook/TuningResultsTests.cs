using DaseCV.Notebook;

namespace DaseCV.Tests.Notebook;

public sealed class TuningResultsTests
{
    private readonly List<string> _lines = [];

    private TuningResults NewResults(int expected) =>
        new(expected, new ProgressDisplay("tuning", _lines.Add, minInterval: TimeSpan.Zero));

    [Fact]
    public void Should_Show_Progress_As_A_Nested_Loop_Fills_It()
    {
        var results = NewResults(4);

        foreach (var lr in new[] { 1e-7, 2e-7 })
            foreach (var reg in new[] { 1e4, 5e4 })
                results[(lr, reg)] = (0.3, 0.31);

        Assert.StartsWith("tuning 0/4 ", _lines[0]);
        Assert.StartsWith("tuning 1/4 ", _lines[1]);
        Assert.Contains("lr 1.000000e-07 reg 1.000000e+04 val accuracy: 0.310000", _lines[1]);
        Assert.StartsWith("tuning 3/4 ", _lines[3]);
        Assert.StartsWith("tuning: 4/4 done in ", _lines[^1]);
        Assert.Equal(5, _lines.Count);
    }

    [Fact]
    public void Should_Read_Like_The_Dictionary_Of_Cs231n()
    {
        var results = NewResults(2);
        results[(2e-7, 1e4)] = (0.4, 0.38);
        results.Add((1e-7, 1e4), (0.35, 0.36));

        Assert.Equal([(1e-7, 1e4), (2e-7, 1e4)], results.Keys.Order());
        Assert.Equal(0.38, results[(2e-7, 1e4)].ValAccuracy);
        Assert.True(results.ContainsKey((1e-7, 1e4)));
        Assert.Equal(2, results.Count);
        var e = Assert.Throws<KeyNotFoundException>(() => results[(5e-7, 1e4)]);
        Assert.Contains("5.000000e-07", e.Message);
    }

    [Fact]
    public void Should_Count_Configurations_Filled_From_Several_Threads()
    {
        var results = NewResults(100);

        Parallel.For(0, 100, new ParallelOptions { MaxDegreeOfParallelism = 4 }, k => results[(k * 1e-8, 1e4)] = (0.1, 0.1));

        Assert.Equal(100, results.Count);
        Assert.StartsWith("tuning: 100/100 done in ", _lines[^1]);
    }

    [Fact]
    public void Should_Not_Pass_100_Percent_When_The_Grid_Grew()
    {
        var results = NewResults(1);
        results[(1e-7, 1e4)] = (0.1, 0.1);
        results[(2e-7, 1e4)] = (0.1, 0.1);

        Assert.StartsWith("tuning: 2/2 done in ", _lines[^1]);
    }
}
