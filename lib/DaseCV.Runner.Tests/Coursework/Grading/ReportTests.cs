using DaseCV.Grader;
using DaseCV.Runner.Coursework.Grading;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Coursework.Grading;

/// <summary>What the TA reads in one student's report.html: who, what ran, and nothing that can reorder or run.</summary>
public sealed class ReportTests
{
    private static readonly CatalogEntry[] Catalog =
    [
        new("answer-1", "问题 1：已作答 (answered)", 5, "visible", "answer", "t", "softmax"),
        new("answer-1", "问题 1：已作答 (answered)", 5, "visible", "answer", "t", "knn"),
    ];

    private static GradingResults Results(string name, string run) => new(95, 1.2, "sandbox: test",
        [new GradedTest(GradedChecks.TestName(Catalog[0]), 5, 5, "answered \u202Eevil"), new GradedTest(GradedChecks.TestName(Catalog[1]), 0, 5, "not handed in")],
        new Dictionary<string, string> { ["studentName"] = name, ["studentId"] = "2023001", ["run"] = run });

    [Fact]
    public void Should_Show_The_Typed_Name_And_ID_And_What_Ran_With_Bidi_Controls_Made_Visible()
    {
        var html = Results("张\u202E三", "not run on the assignment's settings: dataset=synthetic (cifar10)").ToHtml("DaseCV autograder: zhang.zip", Catalog, []);

        Assert.Contains("张[U+202E]三", html);
        Assert.Contains("2023001", html);
        Assert.Contains("dataset=synthetic", html);
        Assert.Contains("answered [U+202E]evil", html);
        Assert.True(!html.Contains('\u202E'), html);
        Assert.DoesNotContain("<script", html);
    }

    [Fact]
    public void Should_Show_The_Written_Answers_As_Text_Never_As_The_Students_HTML()
    {
        var html = Results("张三", "").ToHtml("t", Catalog,
            [new ExerciseReport("softmax", [], [new NotebookAnswer("问题 1", "答", "<script>alert(1)</script> 因为 W 是随机的", 1)], null, null)]);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; 因为 W 是随机的", html);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Show_Each_Exercises_Points_And_Why_One_Is_Missing()
    {
        var html = Results("张三", "").ToHtml("t", Catalog,
            [new ExerciseReport("softmax", [], [], "notebook-softmax.html", null), new ExerciseReport("knn", [], [], null, "未提交练习 knn (not handed in)")]);

        Assert.Contains("<li>softmax: <strong>5 / 5</strong></li>", html);
        Assert.Contains("<li>knn: <strong>0 / 5</strong> <span class=\"flag\">未提交练习 knn (not handed in)</span></li>", html);
        Assert.Contains("href=\"notebook-softmax.html\"", html);
    }

    [Fact]
    public void Should_Keep_The_Name_Through_results_json() =>
        Assert.Equal("张三", GradingResults.FromJson(Results("张三", "").ToJson()).ExtraData!["studentName"]);
}
