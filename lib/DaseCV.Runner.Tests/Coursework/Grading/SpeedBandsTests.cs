using DaseCV.Grader;

namespace DaseCV.Runner.Tests.Coursework.Grading;

/// <summary>
/// The speed checks' verdict on rounds of times, as a busy machine gives them: load that slows some calls and not
/// others must neither cost an honest student points nor pass a loop.
/// </summary>
public sealed class SpeedBandsTests
{
    private static readonly SpeedWords Words = new("对测试点的循环", "a loop over test points", "loops over test points", "NoLoops", "OneLoop");
    private const double NotTimed = double.NaN;

    private static double Fraction(params SpeedRound[] rounds) => SpeedBands.Verdict(rounds, Words).Fraction;

    [Fact]
    public void Matrix_Code_Whose_Every_Round_Met_A_Burst_The_References_Best_Escaped_Should_Get_Full_Marks()
    {
        // CI's failure: the same code as the reference, 2.1× its best time, because the burst spared only the
        // reference's best round; round by round the two were alike.
        var verdict = SpeedBands.Verdict(
        [
            new(280, 130, 640), new(285, 290, NotTimed), new(290, 300, 700), new(300, 295, NotTimed), new(279, 285, 650),
        ], Words);
        Assert.Equal(1, verdict.Fraction);
        Assert.Contains("与矩阵运算相当", verdict.Message);
    }

    [Fact]
    public void A_Loop_Should_Not_Pass_Because_The_Reference_Stalled_In_One_Round()
    {
        Assert.Equal(0, Fraction(
            new(600, 100, 620), new(610, 700, NotTimed), new(605, 100, 630), new(600, 105, NotTimed), new(598, 98, 610)));
    }

    [Fact]
    public void Code_Far_Slower_Than_Matrix_Code_But_Faster_Than_The_Loop_Should_Get_Half_And_Be_Told_Why()
    {
        var verdict = SpeedBands.Verdict(
        [
            new(300, 100, 620), new(310, 100, NotTimed), new(305, 100, 630), new(300, 105, NotTimed), new(298, 98, 610),
        ], Words);
        Assert.Equal(0.5, verdict.Fraction);
        Assert.Contains("use matrix operations, not loops over test points", verdict.Message);
    }

    [Fact]
    public void Matrix_Code_Within_Three_Times_The_Reference_Should_Get_Full_Marks_Whatever_The_Loop()
    {
        // CS231n's port of the no-loop distances under load: 2.1× the reference, above 30 % of the one-loop version.
        Assert.Equal(1, Fraction(new(66, 32, 183), new(67, 31, NotTimed), new(65, 32, 190)));
    }

    [Fact]
    public void The_One_Loop_Version_Timed_As_No_Loops_Should_Not_Get_Full_Marks()
    {
        // kNN's one loop is 5-7× its no-loop version: the reference's loop is timed on the same inputs.
        Assert.True(Fraction(new(500, 100, 510), new(495, 99, NotTimed), new(505, 101, 500)) < 1);
    }

    [Fact]
    public void A_Machine_Too_Busy_To_Tell_Matrix_Code_From_A_Loop_Should_Give_The_Student_The_Benefit_Of_The_Doubt()
    {
        var verdict = SpeedBands.Verdict([new(600, 150, 300), new(610, 140, NotTimed), new(620, 160, 310)], Words);
        Assert.Equal(1, verdict.Fraction);
        Assert.Contains("not judged", verdict.Detail);
    }
}
