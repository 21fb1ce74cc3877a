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
            Assert.Contains("$\\color{blue}{\\textit 你的回答:}$ *在这里写下你的答案。*", blank);
        }
    }

    public sealed class TheParseMethod
    {
        [Fact]
        public void Should_Split_The_Question_From_The_Handouts_Coloured_Answer_Labels()
        {
            var cell = NotebookAnswers.Parse(
                "**问题 2** - *对或错*\n\n假设总训练损失……\n\n$\\color{blue}{\\textit 你的回答:}$ 对\n\n$\\color{blue}{\\textit 你的解释:}$ SVM 的损失……\n\n第二段解释。");

            Assert.Equal("问题 2 - 对或错", cell.Title);
            Assert.Equal("**问题 2** - *对或错*\n\n假设总训练损失……", cell.Question);
            Assert.Equal([("你的回答", "对"), ("你的解释", "SVM 的损失……\n\n第二段解释。")], cell.Answers.Select(a => (a.Label, a.Markdown)));
        }

        [Theory]
        [InlineData("$\\color{blue}{\\textit 答:}$ *因为……*", "答", "*因为……*")]
        [InlineData("$\\color{blue}{\\textit{Your Answer:}}$ because", "Your Answer", "because")]
        [InlineData("**答：** 因为", "答", "因为")]
        [InlineData("你的解释： 因为", "你的解释", "因为")]
        public void Should_Recognise_Each_Way_Of_Writing_A_Label(string paragraph, string label, string answer) =>
            Assert.Equal([(label, answer)], NotebookAnswers.Parse("Q?\n\n" + paragraph).Answers.Select(a => (a.Label, a.Markdown)));

        [Fact]
        public void Should_Ignore_Labels_Inside_A_Paragraph_Or_A_Code_Block()
        {
            var cell = NotebookAnswers.Parse("Q mentions\n答: inside the paragraph\n\n```\n\n答: in code\n```");

            Assert.Empty(cell.Answers);
        }
    }
}
