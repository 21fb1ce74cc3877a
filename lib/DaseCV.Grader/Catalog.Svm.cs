namespace DaseCV.Grader;

internal static partial class Catalog
{
    /// <summary>
    /// The SVM exercise, 100 points, on the softmax rubric's principles. The student writes SvmLoss.Naive and
    /// .Vectorized, LinearClassifier.Train's sampling and update, Predict, and two answers. The loss and dW are separate
    /// checks; Train is judged on a probe classifier whose loss the grader knows (so a wrong loss never costs it) and
    /// Predict on a given W; training accuracy goes through all of the student's code, as the notebook's does.
    /// </summary>
    private static IReadOnlyList<CatalogEntry> Svm =>
    [
        Code("naive-loss", "SvmLoss.Naive：损失 (loss, unseen cases)", 8, "the loss equals the reference's on three fresh cases; the message names a known slip (not divided by N, the correct class counted, regularization)", "svm"),
        Code("naive-gradient", "SvmLoss.Naive：梯度 (gradient dW, unseen cases)", 7, "dW equals the reference's on the same cases; the message names a known slip", "svm"),
        Code("vectorized-loss", "SvmLoss.Vectorized：损失 (loss, unseen cases)", 8, "as naive-loss", "svm"),
        Code("vectorized-gradient", "SvmLoss.Vectorized：梯度 (gradient dW, unseen cases)", 7, "as naive-gradient", "svm"),
        Code("naive-equals-vectorized", "SvmLoss：Naive 与 Vectorized 一致 (Naive and Vectorized agree)", 5, "the two agree on loss and dW on three fresh cases; two zero gradients are no agreement", "svm"),
        Code("naive-gradient-check", "SvmLoss.Naive：数值梯度检验 (sparse numerical gradient check)", 8, "12 random elements of dW against central differences of the reference loss, away from the hinge's kinks", "svm"),
        Code("vectorized-gradient-check", "SvmLoss.Vectorized：数值梯度检验 (sparse numerical gradient check)", 8, "as naive-gradient-check", "svm"),
        Code("vectorized-speed", "SvmLoss.Vectorized：速度 (speed against the reference, 300 × 3073)", 10, "time alone: best batch of 5 calls on fresh W, alternated with the reference's Vectorized and Naive in a sandboxed process of their own", "svm"),
        Code("train-step", "LinearClassifier.Train：采样与更新 (minibatch sampling and the SGD update)", 10, "a probe loss records every minibatch: batchSize rows of X with their own labels, not all the same, and W ← W − learningRate·dW at every step", "svm"),
        Code("predict", "LinearClassifier.Predict：预测 (labels of a given W)", 5, "argmax of X·W for fresh W and X", "svm"),
        Code("training-accuracy", "LinearSVM.Train：验证集准确率 (validation accuracy of a fixed configuration, synthetic data)", 14, "SGD through the student's Train, Vectorized and Predict; within 0.05 of the reference's accuracy", "svm"),
        Answer(1, "问题 1：已作答 (answered)", 5, "the answer field holds text other than the placeholder; content graded by hand", "svm"),
        Answer(2, "问题 2：已作答 (answered)", 5, "the answer field holds text other than the placeholder; content graded by hand", "svm"),
    ];
}
