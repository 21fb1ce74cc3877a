using System.Text.Json.Nodes;
using DaseCV.Runner.Ipynb;

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
            Assert.All(answers, a => Assert.Equal(2, a.Number));
            Assert.All(answers, a => Assert.True(a.IsAnswered));
        }

        [Fact]
        public void Should_Give_No_Number_To_A_Question_Without_A_Bold_Heading()
        {
            var answer = Assert.Single(NotebookAnswers.Find("Why 问题 1?\n\n答: because"));

            Assert.Null(answer.Number);
            Assert.Equal("Why 问题 1?", answer.Question);
        }
    }

    public sealed class TheFindByNumberMethod
    {
        private static JsonObject Markdown(string source, params string[] tags) => new()
        {
            ["cell_type"] = "markdown",
            ["id"] = Guid.NewGuid().ToString("N")[..12],
            ["metadata"] = new JsonObject { ["tags"] = new JsonArray([.. tags.Select(t => (JsonNode)t)]) },
            ["source"] = source,
        };

        private static IpynbNotebook Notebook(params JsonObject[] cells) => IpynbNotebook.Parse(
            new JsonObject { ["cells"] = new JsonArray(cells), ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5 }.ToJsonString(),
            "softmax.ipynb");

        [Fact]
        public void Should_Find_Each_Question_By_Its_Number_Not_By_Its_Position()
        {
            // Two answer cells a student added before 问题 1, and the questions out of order: positions would pair them wrongly.
            var notebook = Notebook(
                Markdown("**我的笔记**\n\n答: 占位", NotebookAnswers.Tag),
                Markdown("**补充**\n\n你的回答: 也是占位", NotebookAnswers.Tag),
                Markdown(Question2, NotebookAnswers.Tag),
                Markdown("**问题 1**\n\n为什么？\n\n$\\color{blue}{\\textit 答:}$ 因为概率都约为 0.1", NotebookAnswers.Tag));

            var byNumber = NotebookAnswers.FindByNumber(notebook);

            Assert.Equal([1, 2], byNumber.Keys.Order());
            Assert.Equal("因为概率都约为 0.1", Assert.Single(byNumber[1]).Text);
            Assert.Equal(["对", "SVM 的损失可以是 0，softmax 的不会。"], byNumber[2].Select(a => a.Text));
            // The existing API still sees every answer, grouped by heading.
            Assert.Equal(5, NotebookAnswers.Find(notebook).Count);
        }

        [Fact]
        public void Should_Ignore_A_Numbered_Question_In_A_Cell_Not_Tagged_Pdf_Inline()
        {
            var notebook = Notebook(Markdown("**问题 1**\n\n答: 未标记的单元"), Markdown("**问题 1**\n\n答: 标记的单元", NotebookAnswers.Tag));

            Assert.Equal("标记的单元", Assert.Single(NotebookAnswers.FindByNumber(notebook)[1]).Text);
        }

        [Fact]
        public void Should_Keep_Both_Cells_Of_A_Number_Asked_Twice_In_Notebook_Order()
        {
            var notebook = Notebook(Markdown("**问题 3**\n\n答: 第一", NotebookAnswers.Tag), Markdown("**问题 3**\n\n答: 第二", NotebookAnswers.Tag));

            Assert.Equal(["第一", "第二"], NotebookAnswers.FindByNumber(notebook)[3].Select(a => a.Text));
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
