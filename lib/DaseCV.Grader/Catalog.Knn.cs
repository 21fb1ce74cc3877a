namespace DaseCV.Grader;

internal static partial class Catalog
{
    /// <summary>
    /// The kNN exercise, 100 points. The student writes the three distance functions and PredictLabels (two regions:
    /// the k nearest labels and the vote) and answers three questions. Each distance function is judged on its own
    /// against the reference; the no-loop version also against the student's own two-loop version (the notebook's
    /// check) and on speed, which counts only when its distances are right. PredictLabels is judged on distances the
    /// grader makes, so a wrong distance never costs the vote. Cross-validation is notebook code: nothing it printed counts.
    /// </summary>
    private static IReadOnlyList<CatalogEntry> Knn =>
    [
        Code("two-loops-distances", "ComputeDistancesTwoLoops：L2 距离 (distances, unseen cases)", 14, "dists equals the reference's on fresh cases: Gaussian, raw pixel integers 0–255, non-square, a test point equal to a training point", "knn"),
        Code("one-loop-distances", "ComputeDistancesOneLoop：L2 距离 (distances, unseen cases)", 14, "as two-loops-distances", "knn"),
        Code("no-loops-distances", "ComputeDistancesNoLoops：L2 距离 (distances, unseen cases)", 14, "as two-loops-distances", "knn"),
        Code("no-loops-equals-two-loops", "ComputeDistancesNoLoops 与 TwoLoops 一致 (no-loop and two-loop distances agree)", 6, "the student's two versions agree (Frobenius norm of the difference < 1e-6 relative) on a fresh case; two zero matrices are no agreement", "knn"),
        Code("predict-labels-k1", "PredictLabels：k = 1", 13, "the nearest training point's label on grader-made distances, fresh cases", "knn"),
        Code("predict-labels-vote", "PredictLabels：k > 1 与平票 (k > 1, ties to the smallest label)", 14, "the majority of the k nearest, a tie to the smallest label (numpy's argmax of bincount), on distances with planted ties", "knn"),
        Code("no-loops-speed", "ComputeDistancesNoLoops：速度 (speed against the reference, 100 × 500 × 3072)", 10, "time alone: best of 5 calls after a warm-up, each on fresh test points, alternated with the reference's no-loop and one-loop versions in a sandboxed process of their own", "knn"),
        Answer(1, "问题 1：已作答 (answered)", 5, "the answer field holds text other than the placeholder; content graded by hand", "knn"),
        Answer(2, "问题 2：已作答 (answered)", 5, "the answer field holds text other than the placeholder; content graded by hand", "knn"),
        Answer(3, "问题 3：已作答 (answer and explanation)", 5, "both fields hold text other than the placeholder; content graded by hand", "knn"),
    ];
}
