using DaseCV.Runner.Html;

namespace DaseCV.Runner.Tests.Html;

public sealed class LatexTextTests
{
    public sealed class TheToHtmlMethod
    {
        [Theory]
        [InlineData(@"\alpha + \beta", "α")]
        [InlineData(@"x^2", "<i>x</i><sup>2</sup>")]
        [InlineData(@"W_{ij}", "<i>W</i><sub><i>i</i><i>j</i></sub>")]
        [InlineData(@"\frac{a}{b}", "<span class=\"frac\"><span><i>a</i></span><span><i>b</i></span></span>")]
        [InlineData(@"\sqrt{N}", "√<span class=\"sqrt\"><i>N</i></span>")]
        [InlineData(@"\text{loss} \leq 1", "<span class=\"text\">loss</span> ≤ 1")]
        [InlineData(@"X^\top", "<sup>⊤</sup>")]
        [InlineData(@"\mathbb{R}^{D}", "ℝ<sup><i>D</i></sup>")]
        [InlineData(@"a < b", "&lt;")]
        [InlineData(@"\color{blue}{\textit 答:}", "<span style=\"color:blue\"><span class=\"text\">答</span>:</span>")]
        public void Should_Render_Common_Notation_As_Text(string latex, string expected) =>
            Assert.Contains(expected, LatexText.ToHtml(latex));

        [Fact]
        public void Should_Show_Unknown_Commands_By_Name() =>
            Assert.Contains(@"\weird", LatexText.ToHtml(@"\weird{x}"));

        [Fact]
        public void Should_Drop_Sizing_Commands() =>
            Assert.Equal("(<i>x</i>)", LatexText.ToHtml(@"\left(x\right)"));

        [Theory]
        [InlineData("{", "}")]
        [InlineData("x^{", "}")]
        [InlineData(@"\frac{", "}{1}")]
        [InlineData("^", "")]
        public void Should_Show_Source_Beyond_The_Depth_Limit_Instead_Of_Overflowing_The_Stack(string open, string close)
        {
            // 6,000 levels overflowed the stack (an uncatchable crash of the whole export) before the limit.
            var latex = string.Concat(Enumerable.Repeat(open, 6000)) + "x" + string.Concat(Enumerable.Repeat(close, 6000));

            var html = LatexText.ToHtml(latex);

            Assert.Contains("class=\"text latex-source\"", html);
            Assert.Contains("x", html);
        }

        [Fact]
        public void Should_Render_Nesting_Within_The_Limit_Normally()
        {
            var latex = string.Concat(Enumerable.Repeat("{", 10)) + "x" + string.Concat(Enumerable.Repeat("}", 10));

            Assert.Equal("<i>x</i>", LatexText.ToHtml(latex));
        }

        [Fact]
        public void Should_Keep_Only_Letters_And_Hash_In_A_Colour() =>
            Assert.Contains("<span style=\"color:redonerrorx\">", LatexText.ToHtml("\\color{red\" onerror=x}{a}"));
    }
}
