using DaseCV.Grader.Harness;
using static DaseCV.Runner.Text.Feedback;

namespace DaseCV.Grader;

/// <summary>
/// The retraining checks: the student's chosen hyperparameters (read by the runner from the notebook's choice cell,
/// never from printed output) trained by the student's code in the harness on the fixed subset, and the validation
/// accuracy of the labels it returns computed here, against the instructor's choice trained by the instructor's code.
/// </summary>
internal sealed partial class Checks
{
    /// <summary>The subset a request trains on, and its choices.</summary>
    internal sealed record Retraining(TuningSet Set, TuningRequest Request);

    /// <summary>
    /// A retraining check's time limit in per-check limits: the student chose the net's size, and 1000 iterations of
    /// a 500-unit net on pixels take about 90 s of one core here (100 units: 22 s), twice that on Gradescope's half
    /// a CPU, which a limit made for one function call would call an endless loop.
    /// </summary>
    internal const int RetrainingTimeFactor = 5;

    /// <summary>
    /// A check's time limit in per-check limits: <see cref="RetrainingTimeFactor"/> for the checks that retrain a
    /// student's choice (every code check of features, whose student writes no library code), else 1.
    /// </summary>
    internal static int TimeFactor(CatalogEntry check) => check.Id == "tuned-accuracy" || check.Exercise == "features" ? RetrainingTimeFactor : 1;

    /// <summary>Within this much of the instructor's accuracy: full marks; within <see cref="HalfBand"/>: half.</summary>
    private const double FullBand = 0.03, HalfBand = 0.08;

    private async Task<(double, string, string)> TunedAccuracy(CatalogEntry check, HarnessSession harness)
    {
        var choice = tuning?.Request.Choices.FirstOrDefault(c => c.Check == check.Id);
        if (choice is null)
            throw new InvalidOperationException($"the request sent no hyperparameters for the retraining check '{check.Id}'");
        if (choice.Student is not { } student)
            return (0, choice.Problem ?? Say("没有读到超参数", "no hyperparameters were read"), "");

        var (XTrain, yTrain, XVal, yVal) = tuning!.Set.Data(check.Id);
        // Trained before the harness started (Serve), so none of the student's time goes to it.
        var referenceAccuracy = await tuning.Set.ReferenceAccuracyAsync(check.Id, choice.Reference);
        var ((labels, threw), _) = await harness.CallAsync(w =>
        {
            if (student.HiddenSize is { } hidden)
            {
                w.Write(Wire.NetTrainPredict);
                WireRows.Write(w, XTrain);
                Wire.WriteInts(w, yTrain);
                WireRows.Write(w, XVal);
                w.Write(hidden);
                w.Write(TuningSet.Seed);
                w.Write(TuningSet.NetIters);
                w.Write(TuningSet.BatchSize);
                w.Write(student.LearningRate);
                w.Write(student.LearningRateDecay ?? 1);
                w.Write(student.Reg);
            }
            else
            {
                w.Write(Wire.SvmTrain);
                Wire.WriteMatrix(w, XTrain);
                Wire.WriteInts(w, yTrain);
                Wire.WriteMatrix(w, XVal);
                w.Write(student.LearningRate);
                w.Write(student.Reg);
                w.Write(TuningSet.SvmIters);
                w.Write(TuningSet.BatchSize);
                w.Write(TuningSet.Seed);
            }
        }, r =>
        {
            if (r.ReadByte() != Wire.Ok)
                return (null, ReadThrew(r));
            if (student.HiddenSize is null)
                r.ReadInt32();  // the SVM's loss-history length: not judged here
            return (Wire.ReadInts(r), (string?)null);
        });
        var run = F($"{Describe(student)}; {(student.HiddenSize is null ? TuningSet.SvmIters : TuningSet.NetIters)} iterations of batch {TuningSet.BatchSize} on {yTrain.Length} training images");
        if (threw is not null)
            return (0, threw + " (" + run + ")", "");
        if (labels is null || labels.Length != yVal.Length)
            return (0, Say("Predict 返回的标签数不对", $"Predict returned {labels?.Length ?? 0} labels for {yVal.Length} validation rows"), "");

        var accuracy = TuningSet.Accuracy(yVal, labels);
        var both = F($"validation accuracy {accuracy:F3}, the instructor's choice {referenceAccuracy:F3} ({run})");
        var detail = F($"instructor's choice: {Describe(choice.Reference)}");
        var zh = F($"验证集准确率 {accuracy:F3}，参考（教师选的超参数）{referenceAccuracy:F3}");
        if (accuracy >= referenceAccuracy - FullBand)
            return (1, Say(zh, both), detail);
        if (accuracy >= referenceAccuracy - HalfBand)
            return (0.5, Say(zh + F($"：低了 {FullBand:F2} 以上，得一半分"), both + F($"; more than {FullBand:F2} below, half the points")), detail);
        return (0, Say(zh + F($"：低了 {HalfBand:F2} 以上"), both + F($"; more than {HalfBand:F2} below")), detail);
    }

    private static string Describe(Hyperparameters h) => h.HiddenSize is { } hidden
        ? F($"hidden {hidden}, learning rate {h.LearningRate:G4}, decay {h.LearningRateDecay ?? 1:G4}, reg {h.Reg:G4}")
        : F($"learning rate {h.LearningRate:G4}, reg {h.Reg:G4}");
}
