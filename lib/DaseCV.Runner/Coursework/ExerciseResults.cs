using System.Text.RegularExpressions;
using DaseCV.Runner.Html;

namespace DaseCV.Runner.Coursework;

/// <summary>
/// Each exercise's results table on the grading page (<see cref="ResultCells"/>): which cells of its notebook print
/// which result, and the lines they print. <see cref="CourseLayout.Default"/> gives every exercise its cells; a test
/// checks that they are still in <c>notebooks/*.ipynb</c> and print their lines outside the student's regions, so a
/// student's copy prints them too.
/// </summary>
/// <remarks>
/// A value is the last such line a cell printed: the notebook prints it after the student's code, so a line the
/// student's code printed first never wins. The tuning grid's best configuration is the first grid line with the
/// best validation accuracy, as the notebooks keep the first configuration in grid order on ties.
/// </remarks>
internal static partial class ExerciseResults
{
    private const string TestAccuracy = "测试集精度 Test accuracy";

    /// <summary>kNN: the k cross-validation chose, its mean accuracy over the folds, and the test accuracy with it (one cell prints all three).</summary>
    /// <param name="parameters">The parameters cell.</param>
    /// <param name="bestK">The cell that picks <c>bestK</c> and tests the classifier with it.</param>
    public static ResultCells Knn(string parameters, string bestK) => new(parameters,
    [
        new("最佳 k Best k", bestK, Last(BestKLine(), "k")),
        new("交叉验证精度 Cross-validation accuracy", bestK, Last(BestKLine())),
        new(TestAccuracy, bestK, Last(CorrectLine())),
    ]);

    /// <summary>SVM and softmax: the tuning grid's best learning rate and regularization strength, its validation accuracy, and the test accuracy.</summary>
    /// <param name="parameters">The parameters cell.</param>
    /// <param name="tuning">The tuning cell: its grid lines and the best validation accuracy.</param>
    /// <param name="test">The cell that prints the final test set accuracy.</param>
    public static ResultCells LinearClassifier(string parameters, string tuning, string test) => new(parameters,
    [
        new("最佳学习率 Best learning rate", tuning, BestOfGrid("lr")),
        new("最佳正则化强度 Best regularization strength", tuning, BestOfGrid("reg")),
        new("验证集精度 Validation accuracy", tuning, Last(BestValidationLine())),
        new(TestAccuracy, test, Last(FinalTestLine())),
    ]);

    /// <summary>Two-layer net: the first net's validation accuracy, the best net's hidden size and validation accuracy, and its test accuracy.</summary>
    /// <param name="parameters">The parameters cell.</param>
    /// <param name="firstNet">The cell that trains the first net with the default settings.</param>
    /// <param name="tuning">The tuning cell, which prints the best net after the student's code.</param>
    /// <param name="test">The cell that tests the best net.</param>
    public static ResultCells TwoLayerNet(string parameters, string firstNet, string tuning, string test) => new(parameters,
    [
        new("初始网络的验证集精度 First net's validation accuracy", firstNet, Last(ValidationLine())),
        new("最佳网络的隐藏层大小 Best net's hidden size", tuning, Last(BestNetLine(), "hidden")),
        new("最佳网络的验证集精度 Best net's validation accuracy", tuning, Last(BestNetLine())),
        new(TestAccuracy, test, Last(TestLine())),
    ]);

    /// <summary>Image features: the SVM's best validation accuracy and its test accuracy, then the net's.</summary>
    /// <param name="parameters">The parameters cell.</param>
    /// <param name="svmTuning">The SVM's tuning cell.</param>
    /// <param name="svmTest">The cell that prints the best SVM's test accuracy (a bare number, as CS231n's <c>print(test_accuracy)</c>).</param>
    /// <param name="netTuning">The net's tuning cell, which prints the best net after the student's code.</param>
    /// <param name="netTest">The cell that prints the best net's test accuracy (a bare number).</param>
    public static ResultCells Features(string parameters, string svmTuning, string svmTest, string netTuning, string netTest) => new(parameters,
    [
        new("SVM 验证集精度 SVM validation accuracy", svmTuning, Last(BestValidationLine())),
        new("SVM 测试集精度 SVM test accuracy", svmTest, Last(NumberLine())),
        new("神经网络验证集精度 Net validation accuracy", netTuning, Last(BestNetLine())),
        new("神经网络测试集精度 Net test accuracy", netTest, Last(NumberLine())),
    ]);

    // The group of the last line matching; null when there is none or that line lacks the group.
    private static Func<string, string?> Last(Regex line, string group = "v") =>
        text => line.Matches(text).LastOrDefault()?.Groups[group] is { Success: true } found ? found.Value : null;

    private static Func<string, string?> BestOfGrid(string group) => text =>
        BestValidationLine().Matches(text).LastOrDefault() is { } best
            ? GridLine().Matches(text).FirstOrDefault(g => g.Groups["val"].Value == best.Groups["v"].Value)?.Groups[group].Value
            : null;

    [GeneratedRegex(@"^best validation accuracy achieved during cross-validation: (?<v>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex BestValidationLine();

    [GeneratedRegex(@"^lr (?<lr>\S+) reg (?<reg>\S+) train accuracy: \S+ val accuracy: (?<val>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex GridLine();

    [GeneratedRegex(@"final test set accuracy: (?<v>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex FinalTestLine();

    [GeneratedRegex(@"^best k: (?<k>\d+)(?:, cross-validation accuracy: (?<v>\S+))?\s*$", RegexOptions.Multiline)]
    private static partial Regex BestKLine();

    [GeneratedRegex(@"^Got \d+ / \d+ correct => accuracy: (?<v>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex CorrectLine();

    [GeneratedRegex(@"^Validation accuracy:\s+(?<v>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ValidationLine();

    [GeneratedRegex(@"^best net: hidden size (?<hidden>\d+), validation accuracy: (?<v>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex BestNetLine();

    [GeneratedRegex(@"^Test accuracy:\s+(?<v>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex TestLine();

    [GeneratedRegex(@"^(?<v>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$", RegexOptions.Multiline)]
    private static partial Regex NumberLine();
}
