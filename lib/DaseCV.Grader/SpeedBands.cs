using System.Globalization;
using static DaseCV.Runner.Text.Feedback;

namespace DaseCV.Grader;

/// <summary>What a speed check calls the slow way (Chinese; English with an article, plural) and the reference's two versions.</summary>
internal sealed record SpeedWords(string LoopZh, string ALoopEn, string LoopsEn, string Fast, string Slow);

/// <summary>One timed round: the student's time, the reference's matrix code's, its loop's (NaN when not timed), in ms.</summary>
internal sealed record SpeedRound(double Student, double Reference, double Loop);

/// <summary>
/// The speed checks' verdict on timed rounds: a pure function of the times (the tests link this file), kept apart from
/// the timing in <c>Checks</c>.
/// </summary>
internal static class SpeedBands
{
    /// <summary>
    /// The verdict on the student's times against the reference's matrix code and its loop, timed alike. Each ratio is
    /// the student's better of two: the best times', or the median of the ratios of times taken in one round (a burst
    /// of load that slowed the student's best round but not the reference's then does not count against the student;
    /// the median, not the best ratio, so that one round in which the reference stalled does not pass a loop).
    /// </summary>
    public static (double Fraction, string Message, string Detail) Verdict(IReadOnlyList<SpeedRound> rounds, SpeedWords words)
    {
        var best = rounds.Min(r => r.Student);
        var bestReference = rounds.Min(r => r.Reference);
        var bestLoop = rounds.Where(r => !double.IsNaN(r.Loop)).Min(r => r.Loop);
        var toReference = Math.Min(best / bestReference, Median(rounds.Select(r => r.Student / r.Reference)));
        var toLoop = Math.Min(best / bestLoop, Median(rounds.Where(r => !double.IsNaN(r.Loop)).Select(r => r.Student / r.Loop)));

        // Bands far from both kinds of code, so that a laptop and half a CPU give the same verdict: matrix code (CS231n's
        // own port, with its dense copies, included) takes a tenth of the loop's time or less, a loop 70-100% of it.
        // Full marks up to 30% of the loop's time, half up to 60%, none above.
        var summary = F($"yours {best:F2} ms per call; matrix code {bestReference:F2} ms, {words.ALoopEn} {bestLoop:F2} ms (same sandbox and limits)");
        var detail = F($"best round trip per call: student {best:F3} ms, reference {words.Fast} {bestReference:F3} ms, reference {words.Slow} {bestLoop:F3} ms; ")
            + F($"ratios (the better of best times and median of rounds) student/{words.Fast} {toReference:F2}, student/{words.Slow} {toLoop:F2}, {rounds.Count} rounds");
        // A machine so busy that matrix code is not even 3× faster than the loop cannot tell the two apart: the
        // benefit of the doubt goes to the student, and the instructor sees why.
        if (bestLoop < 3 * bestReference)
            return (1, Say(F($"每次调用 {best:F2} ms"), summary), detail + "; not judged: the machine was too busy to tell matrix code from a loop");
        // Within three times the reference's own matrix code is matrix code, however the loop compares: kNN's one-loop
        // version is only 5-7× slower than its no-loop one, and CS231n's own port (PointwisePower(2) for the squares,
        // -2 · the product as one more pass) takes 1.4-2.1× the reference's time, so neither 30 % of the loop nor twice
        // the reference leaves it room on a busy machine.
        if (toLoop <= 0.3 || toReference <= 3)
            return (1, Say(F($"每次调用 {best:F2} ms，与矩阵运算相当（参考 {bestReference:F2} ms）"), summary), detail);
        if (toLoop <= 0.6)
            return (0.5, Say($"比矩阵运算慢得多，得一半分：请用矩阵运算代替{words.LoopZh}",
                summary + $"; much slower than matrix code, half the points: use matrix operations, not {words.LoopsEn}"), detail);
        return (0, Say($"与{words.LoopZh}一样慢：请用矩阵运算代替{words.LoopZh}",
            summary + $"; as slow as {words.ALoopEn}: use matrix operations, not {words.LoopsEn}"), detail);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
