using DaseCV.Grader;
using DaseCV.Runner.Coursework.Grading;

namespace DaseCV.Runner.Tests.Coursework.Grading;

public sealed class GradebookTests
{
    /// <summary>Two exercises whose answer checks share an id, as every exercise's 问题 1 does.</summary>
    private static readonly CatalogEntry[] Catalog =
    [
        new("loss", "KNearestNeighbor：距离 (distances)", 6, "visible", "code", "t", "knn"),
        new("answer-1", "问题 1：已作答 (answered)", 4, "visible", "answer", "t", "knn"),
        new("loss", "SoftmaxLoss.Naive：损失 (loss)", 8, "visible", "code", "t", "softmax"),
        new("answer-1", "问题 1：已作答 (answered)", 2, "visible", "answer", "t", "softmax"),
    ];

    private static GradedRow Row(string student, params double[] scores) =>
        new(student, "", "", new GradingResults(scores.Sum(), 1, "sandbox: test", [.. Catalog.Select((c, k) => new GradedTest(GradedChecks.TestName(c), scores[k], c.Points, "o"))]), null);

    public sealed class TheTextMethod
    {
        [Fact]
        public void Should_Give_Each_Exercise_A_Total_Then_Each_Check_As_Exercise_And_Id()
        {
            GradedRow[] rows = [Row("b", 6, 4, 0, 2), Row("a", 0, 0, 8, 2)];
            var finals = new Dictionary<string, IReadOnlyDictionary<string, double>>
            {
                ["a"] = new Dictionary<string, double> { ["knn"] = 0, ["softmax"] = 9 },
                ["b"] = new Dictionary<string, double> { ["knn"] = 10, ["softmax"] = 2 },
            };

            var csv = CsvFile.Read(Gradebook.Text(Catalog, rows, finals, _ => []), "gradebook.csv").Select(r => r.Fields).ToList();

            Assert.Equal(["student", "name", "id", "knn", "softmax", "knn/loss", "knn/answer-1", "softmax/loss", "softmax/answer-1", "total", "final", "max", "status", "reason", "flags"],
                csv[0]);
            Assert.Equal(["a", "", "", "0", "9", "0", "0", "8", "2", "10", "9", "20", "graded", "", ""], csv[1]);
            Assert.Equal(["b", "", "", "10", "2", "6", "4", "0", "2", "12", "12", "20", "graded", "", ""], csv[2]);
        }

        [Fact]
        public void Should_Keep_Two_Exercises_Checks_Of_The_Same_Name_Apart()
        {
            var results = Row("a", 0, 4, 0, 0).Results;

            Assert.Equal(4, GradedChecks.Score(results, Catalog[1]));
            Assert.Equal(0, GradedChecks.Score(results, Catalog[3]));
            Assert.Equal(Catalog[3], GradedChecks.AnswerCheck(Catalog, "softmax", 1));
        }
    }
}
