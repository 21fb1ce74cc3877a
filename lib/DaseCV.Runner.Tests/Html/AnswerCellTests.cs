using DaseCV.Runner.Html;

namespace DaseCV.Runner.Tests.Html;

public sealed class AnswerCellTests
{
    public sealed class TheParseMethod
    {
        [Fact]
        public void Should_Split_The_Question_From_The_Handouts_Coloured_Answer_Labels()
        {
            var cell = AnswerCell.Parse(
                "**问题 2** - *对或错*\n\n假设总训练损失……\n\n$\\color{blue}{\\textit 你的回答:}$ 对\n\n$\\color{blue}{\\textit 你的解释:}$ SVM 的损失……\n\n第二段解释。");

            Assert.Equal("问题 2 - 对或错", cell.Title);
            Assert.Equal("**问题 2** - *对或错*\n\n假设总训练损失……", cell.Question);
            Assert.Equal([("你的回答", "对"), ("你的解释", "SVM 的损失……\n\n第二段解释。")], cell.Answers);
        }

        [Theory]
        [InlineData("$\\color{blue}{\\textit 答:}$ *因为……*", "答", "*因为……*")]
        [InlineData("$\\color{blue}{\\textit{Your Answer:}}$ because", "Your Answer", "because")]
        [InlineData("**答：** 因为", "答", "因为")]
        [InlineData("你的解释： 因为", "你的解释", "因为")]
        public void Should_Recognise_Each_Way_Of_Writing_A_Label(string paragraph, string label, string answer) =>
            Assert.Equal([(label, answer)], AnswerCell.Parse("Q?\n\n" + paragraph).Answers);

        [Fact]
        public void Should_Ignore_Labels_Inside_A_Paragraph_Or_A_Code_Block()
        {
            var cell = AnswerCell.Parse("Q mentions\n答: inside the paragraph\n\n```\n\n答: in code\n```");

            Assert.Empty(cell.Answers);
        }
    }
}
