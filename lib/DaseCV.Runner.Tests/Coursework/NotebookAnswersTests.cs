using DaseCV.Runner.Coursework;

namespace DaseCV.Runner.Tests.Coursework;

public sealed class NotebookAnswersTests
{
    private const string Question2 = """
        **问题 2** - *对或错*

        $\color{blue}{\textit 你的回答:}$ 对

        $\color{blue}{\textit 你的解释:}$ SVM 的损失可以是 0，softmax 的不会。
        """;

    public sealed class TheFindMethod
    {
        [Fact]
        public void Should_Read_Each_Labelled_Answer_Of_A_Question()
        {
            var answers = NotebookAnswers.Find(Question2).ToList();

            Assert.Equal(["你的回答", "你的解释"], answers.Select(a => a.Label));
            Assert.Equal("对", answers[0].Text);
            Assert.Equal("SVM 的损失可以是 0，softmax 的不会。", answers[1].Text);
            Assert.All(answers, a => Assert.Equal("问题 2", a.Question));
            Assert.All(answers, a => Assert.True(a.IsAnswered));
        }
    }

    public sealed class TheBlankMethod
    {
        [Fact]
        public void Should_Replace_Every_Answer_With_The_Placeholder_And_Keep_The_Question()
        {
            var blank = NotebookAnswers.Blank(Question2);

            Assert.DoesNotContain("SVM 的损失可以是 0", blank);
            Assert.DoesNotContain("$ 对", blank);
            Assert.Contains("**问题 2** - *对或错*", blank);
            Assert.All(NotebookAnswers.Find(blank), a => Assert.False(a.IsAnswered));
            Assert.Equal(2, NotebookAnswers.Find(blank).Count());
        }
    }
}
