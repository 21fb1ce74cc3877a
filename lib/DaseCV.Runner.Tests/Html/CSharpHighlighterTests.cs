using System.Net;
using System.Text.RegularExpressions;
using DaseCV.Runner.Html;

namespace DaseCV.Runner.Tests.Html;

public sealed partial class CSharpHighlighterTests
{
    private static string Span(string css, string text) => $"<span class=\"{css}\">{WebUtility.HtmlEncode(text)}</span>";

    // The text a reader sees: tags dropped, entities decoded.
    private static string Visible(string html) => WebUtility.HtmlDecode(Tags().Replace(html, ""));

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    public sealed class TheToHtmlMethod
    {
        [Theory]
        [InlineData("var x = 1;")]
        [InlineData("#r \"../lib/DaseCV/bin/Release/net10.0/DaseCV.dll\"\nusing System;\nConsole.WriteLine($\"a {string.Join(\", \", new[] { 1 })} b\");")]
        [InlineData("var s = \"\"\"\n  raw \"quoted\" <b>\n  \"\"\";\n/* block\n comment */ char c = '<';")]
        [InlineData("if (x) {\n// unclosed string follows\nvar s = \"abc\n")]
        [InlineData("#!time\nawait Task.Delay(1); // 注释 & <tag>\r\nrecord R(int A);")]
        public void Should_Reproduce_The_Source_Exactly(string source) =>
            Assert.Equal(source, Visible(CSharpHighlighter.ToHtml(source)));

        [Fact]
        public void Should_Colour_Keywords_Types_Calls_Strings_Numbers_Comments_And_Directives()
        {
            var html = CSharpHighlighter.ToHtml("#r \"x.dll\"\nvar softmax = new Softmax(seed: 0); // seed\nint n = Count(\"a\");");

            Assert.Contains(Span("d", "#r \"x.dll\""), html);
            Assert.Contains(Span("k", "var"), html);
            Assert.Contains(Span("k", "new"), html);
            Assert.Contains(Span("t", "Softmax"), html);
            Assert.Contains(Span("n", "0"), html);
            Assert.Contains(Span("c", "// seed"), html);
            Assert.Contains(Span("k", "int"), html);
            Assert.Contains(Span("f", "Count"), html);
            Assert.Contains(Span("s", "\"a\""), html);
        }

        [Fact]
        public void Should_Colour_An_Interpolated_String_Apart_From_Its_Holes()
        {
            var html = CSharpHighlighter.ToHtml("Console.WriteLine($\"loss: {Py.F(loss)}\");");

            Assert.Contains(Span("s", "$\"loss: "), html);
            Assert.Contains(Span("f", "F"), html);
            Assert.Contains(Span("s", "\""), html);
        }

        [Fact]
        public void Should_Mark_Comment_Banners_So_They_Do_Not_Wrap()
        {
            var html = CSharpHighlighter.ToHtml(new string('/', 80) + "\n// START OF YOUR CODE\n");

            Assert.Contains(Span("c banner", new string('/', 80)), html);
            Assert.Contains(Span("c", "// START OF YOUR CODE"), html);
        }

        [Fact]
        public void Should_Escape_Markup_In_Code()
        {
            var html = CSharpHighlighter.ToHtml("var t = \"</code><script>alert(1)</script>\";");

            Assert.DoesNotContain("<script>", html);
            Assert.Contains("&lt;/code&gt;&lt;script&gt;", html);
        }

        [Fact]
        public void Should_Show_Deeply_Nested_Code_Plain_And_Quickly()
        {
            var source = "var x = " + new string('(', 20_000) + "1" + new string(')', 20_000) + ";";
            var clock = System.Diagnostics.Stopwatch.StartNew();

            var html = CSharpHighlighter.ToHtml(source);

            Assert.Equal(source, Visible(html));
            Assert.DoesNotContain("<span", html);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        }
    }
}
