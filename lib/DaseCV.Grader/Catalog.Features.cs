namespace DaseCV.Grader;

internal static partial class Catalog
{
    /// <summary>
    /// The features exercise, 100 points. daseCV's features.py has no TODO (HOG and the hue histogram are given), so
    /// the student's work is the notebook's tuning and the answer: there is no code check, and serve answers a request
    /// for this exercise with an empty report.
    /// </summary>
    private static IReadOnlyList<CatalogEntry> Features =>
    [
        Answer(1, "问题 1：已作答 (answered)", 100, "the answer field holds text other than the placeholder; content graded by hand", "features"),
    ];
}
