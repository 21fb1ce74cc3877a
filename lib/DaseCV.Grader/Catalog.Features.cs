namespace DaseCV.Grader;

internal static partial class Catalog
{
    /// <summary>
    /// The features exercise, 100 points. daseCV's features.py has no TODO (HOG and the hue histogram are given), so
    /// the student's work is the notebook's tuning and the answer: the two tuning cells' choices (the choice cells after
    /// them, never printed output) are retrained on the image features of a fixed CIFAR-10 subset. The grader splices
    /// one exercise's regions at a time and this one owns none, so the SVM and the net are the instructor's code: a
    /// slip in them costs the svm and two_layer_net exercises, not this one.
    /// </summary>
    private static IReadOnlyList<CatalogEntry> Features =>
    [
        Code("svm-tuned", "所选 SVM 超参数重新训练 (your chosen SVM learning rate and regularization, retrained on features)", 40,
            "the first choice cell's LinearSvmChoice: LinearSvm trained 1500 iterations of batch 200 (seed 0) on the standardized HOG + hue features (with bias) of 5000 subset images; validation accuracy on 1000 others within 0.03 of the instructor's choice: full, within 0.08: half", "features"),
        Code("net-tuned", "所选网络超参数重新训练 (your chosen net hyperparameters, retrained on features)", 40,
            "the second choice cell's TwoLayerNetChoice: TwoLayerNet trained 1000 iterations of batch 200 (seed 0) on the same features without bias; bands as svm-tuned", "features"),
        Answer(1, "问题 1：已作答 (answered)", 20, "the answer field holds text other than the placeholder; content graded by hand", "features"),
    ];
}
