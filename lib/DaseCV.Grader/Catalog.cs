namespace DaseCV.Grader;

/// <summary>
/// Every exercise's checks, each exercise's 100 points, declared in the exercise's own file (Catalog.Knn.cs, ...); here
/// the softmax release's. The student writes SoftmaxLoss.Naive and .Vectorized, the tuning
/// block and two answers; LinearClassifier.Train/Predict ship solved, so training is graded through the student's
/// loss and Predict is not graded on its own. Each slip costs once: the loss and the gradient are separate checks, a
/// wrong gradient costs only the gradient checks (at most 34 points), stability is judged on the loss, speed on time
/// alone, agreement on the two agreeing, training on the accuracy it reaches.
/// </summary>
internal static partial class Catalog
{
    public static IReadOnlyList<CatalogEntry> All { get; } = [.. Softmax, .. Knn, .. Svm, .. TwoLayerNet, .. Features];

    private static IReadOnlyList<CatalogEntry> Softmax =>
    [
        Code("naive-loss", "SoftmaxLoss.Naive：损失 (loss, unseen cases)", 8, "the loss equals the reference's on three fresh cases"),
        Code("naive-gradient", "SoftmaxLoss.Naive：梯度 (gradient dW, unseen cases)", 7, "dW equals the reference's on the same cases; the message names a known slip (not divided by N, regularization)"),
        Code("naive-large-scores", "SoftmaxLoss.Naive：数值稳定 (finite and correct loss with scores of order 1e4)", 5, "rows of scores ±1e4 with a spread of a few units: finite only with the row maximum subtracted"),
        Code("vectorized-loss", "SoftmaxLoss.Vectorized：损失 (loss, unseen cases)", 8, "as naive-loss"),
        Code("vectorized-gradient", "SoftmaxLoss.Vectorized：梯度 (gradient dW, unseen cases)", 7, "as naive-gradient"),
        Code("vectorized-large-scores", "SoftmaxLoss.Vectorized：数值稳定 (finite and correct loss with scores of order 1e4)", 5, "as naive-large-scores"),
        Code("naive-equals-vectorized", "SoftmaxLoss：Naive 与 Vectorized 一致 (Naive and Vectorized agree)", 5, "the two agree on loss and dW on three fresh cases; two zero gradients are no agreement"),
        Code("naive-gradient-check", "SoftmaxLoss.Naive：数值梯度检验 (sparse numerical gradient check)", 10, "12 random elements of dW against central differences of the student's own loss and against the reference, fresh inputs"),
        Code("vectorized-gradient-check", "SoftmaxLoss.Vectorized：数值梯度检验 (sparse numerical gradient check)", 10, "as naive-gradient-check"),
        Code("vectorized-speed", "SoftmaxLoss.Vectorized：速度 (speed against the reference, 300 × 3073)", 10, "time alone: best batch of 5 calls on fresh W, alternated with the reference's Vectorized and Naive in a sandboxed process of their own"),
        Code("training-accuracy", "Softmax.Train：验证集准确率 (validation accuracy of a fixed configuration, synthetic data)", 15, "SGD through the student's Vectorized; within 0.05 of the reference's accuracy"),
        new("answer-1", "问题 1：已作答 (answered)", 5, "visible", "answer", "the answer field holds text other than the placeholder; content graded by hand"),
        new("answer-2", "问题 2：已作答 (answer and explanation)", 5, "visible", "answer", "both fields hold text other than the placeholder; content graded by hand"),
    ];

    private static CatalogEntry Code(string id, string name, double points, string tests, string exercise = "softmax") =>
        new(id, name, points, "visible", "code", tests, exercise);

    /// <summary>问题 N of the exercise's notebook (the runner reads it by the number in the id): answered, graded by hand.</summary>
    private static CatalogEntry Answer(int number, string name, double points, string tests, string exercise) =>
        new($"answer-{number}", name, points, "visible", "answer", tests, exercise);
}
