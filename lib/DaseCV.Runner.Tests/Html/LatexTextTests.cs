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
    }
}
