using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DaseCV.Runner.Html;

namespace DaseCV.Runner.Tests.Html;

/// <summary>The sanitising step and the page's policy, attack class by attack class (the browser tests run the same notebook).</summary>
public sealed partial class UntrustedHtmlTests
{
    private static readonly string Page = HtmlExporter.Render(HostileNotebook.Notebook(), null, LocalPaths.None);

    private static string Body => Page[Page.IndexOf("<body>", StringComparison.Ordinal)..];

    public static TheoryData<string> AttackNames() => [.. HostileNotebook.Attacks.Select(a => a.Name)];

    [Theory]
    [MemberData(nameof(AttackNames))]
    public void Should_Leave_No_Active_Content_Of_Each_Attack(string name)
    {
        var cells = HostileNotebook.Attacks.Single(a => a.Name == name).Cells;
        var notebook = Ipynb.IpynbNotebook.Parse($"{{\"cells\": [{string.Join(",", cells)}], \"metadata\": {{}}, \"nbformat\": 4, \"nbformat_minor\": 5}}", name + ".ipynb");

        var html = HtmlExporter.Render(notebook, null, LocalPaths.None);
        var body = html[html.IndexOf("<body>", StringComparison.Ordinal)..];

        // Only the chart bundle may be a script element, and it is JSON, not code.
        Assert.All(ScriptTag().Matches(body), m => Assert.Equal("<script type=\"application/json\" class=\"plotly-data\">", m.Value));
        Assert.Empty(EventHandler().Matches(body));
        // A chart's data may hold any text (it is JSON, never markup); nothing else may name the attacker.
        Assert.DoesNotContain(HostileNotebook.Host, JsonBlock().Replace(body, ""));
        Assert.DoesNotContain("192.168.1.5", body);
        foreach (var tag in (string[])["<iframe", "<svg", "<meta", "<base", "<style", "<link", "url("])
            Assert.DoesNotContain(tag, body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Should_Show_Svg_Only_As_An_Image()
    {
        var svg = Regex.Match(Body, "<img alt=\"SVG output\" src=\"data:image/svg\\+xml;base64,(?<b>[A-Za-z0-9+/=]+)\">");

        Assert.True(svg.Success, "no SVG image");
        Assert.Contains("<script>", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(svg.Groups["b"].Value)));
    }

    [Fact]
    public void Should_Keep_A_Closing_Script_Tag_In_A_Chart_Inside_Its_Json()
    {
        var block = Regex.Match(Body, "<script type=\"application/json\" class=\"plotly-data\">(?<json>.*?)</script>", RegexOptions.Singleline);

        Assert.True(block.Success);
        var name = JsonNode.Parse(block.Groups["json"].Value)!["data"]![0]!["name"]!.GetValue<string>();
        Assert.StartsWith("</script><script>", name); // intact as data, harmless as markup
        Assert.False(JsonNode.Parse(block.Groups["json"].Value)!["config"]!["displaylogo"]!.GetValue<bool>());
    }

    [Fact]
    public void Should_Drop_The_Kernels_Probe_Script_Whole()
    {
        Assert.DoesNotContain("probingAddresses", Page);
        Assert.DoesNotContain("Installed Packages", Body);
    }

    [Fact]
    public void Should_Keep_Harmless_Formatting()
    {
        var html = UntrustedHtml.Sanitize("<p style=\"color:red;position:fixed;background:url(http://x/y)\" class=\"c\" id=\"Plotly\">t</p><a href=\"https://example.org/\">l</a>" +
                                          "<a href=\"data:text/html,x\">d</a><img src=\"data:image/png;base64,iVBO\" alt=\"i\"><img src=\"data:image/svg+xml;base64,PHN2Zz4=\">");

        Assert.Contains("<p style=\"color: rgba(255, 0, 0, 1)", html);
        Assert.Contains("class=\"c\">t</p>", html);
        Assert.DoesNotContain("url(", html);
        Assert.DoesNotContain("position", html);
        Assert.DoesNotContain("id=", html);
        Assert.Contains("<a href=\"https://example.org/\">l</a>", html);
        Assert.Contains("<a>d</a>", html);
        Assert.Contains("<img src=\"data:image/png;base64,iVBO\" alt=\"i\">", html);
        Assert.Equal(1, Regex.Count(html, "<img"));
    }

    [Fact]
    public void Should_Allow_Only_The_Pages_Own_Scripts_And_Styles_And_No_Network()
    {
        var policy = Regex.Match(Page, "<meta http-equiv=\"Content-Security-Policy\" content=\"(?<p>[^\"]+)\">");
        Assert.True(policy.Success, "no policy");
        // Before anything it governs.
        Assert.True(policy.Index < Page.IndexOf("<style>", StringComparison.Ordinal));
        var directives = policy.Groups["p"].Value.Split("; ").ToDictionary(d => d.Split(' ')[0], d => d.Split(' ')[1..]);

        Assert.Equal(["'none'"], directives["default-src"]);
        Assert.Equal(["data:"], directives["img-src"]);
        Assert.Equal(["'none'"], directives["base-uri"]);
        Assert.DoesNotContain("connect-src", directives.Keys);
        var scripts = InlineScript().Matches(Page).Select(m => m.Groups["s"].Value).ToList();
        Assert.Equal(2, scripts.Count); // plotly.js and notebook.js
        Assert.Equal(scripts.Select(ContentSecurityPolicy.Hash).Order(), directives["script-src"].Order());
        Assert.DoesNotContain(directives["script-src"], s => s.Contains("unsafe", StringComparison.Ordinal));
        Assert.DoesNotContain(directives["style-src-elem"], s => s.Contains("unsafe", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Hash_As_The_Browser_Does()
    {
        // The hash of "" in CSP's own examples.
        Assert.Equal("'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='", ContentSecurityPolicy.Hash(""));
        Assert.Equal("script-src 'none'", Regex.Match(ContentSecurityPolicy.For([], []), "script-src [^;]+").Value);
    }

    [GeneratedRegex("<script[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("<script type=\"application/json\" class=\"plotly-data\">.*?</script>", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    [GeneratedRegex(@"<[^>]*\son\w+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandler();

    [GeneratedRegex("<script(?: id=\"plotly-js\")?>(?<s>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();
}

/// <summary>Local images: only real files inside the notebook's real folder.</summary>
public sealed class LocalImagesTests
{
    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 7, 7, 7];

    [Fact]
    public void Should_Not_Embed_An_Image_Through_A_Symlinked_Folder()
    {
        var root = TestPaths.NewTempDirectory();
        var notebook = Directory.CreateDirectory(Path.Combine(root, "notebook")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(root, "private")).FullName;
        File.WriteAllBytes(Path.Combine(outside, "secret.png"), Png);
        Directory.CreateSymbolicLink(Path.Combine(notebook, "images"), outside);
        Directory.CreateSymbolicLink(Path.Combine(notebook, "nested"), Path.Combine("..", "private"));

        Assert.Null(LocalImages.DataUri("images/secret.png", notebook));
        Assert.Null(LocalImages.DataUri("nested/secret.png", notebook));
        Assert.Null(LocalImages.DataUri("images%2Fsecret.png", notebook));
    }

    [Fact]
    public void Should_Embed_An_Image_Through_A_Link_That_Stays_Inside()
    {
        var root = TestPaths.NewTempDirectory();
        var notebook = Directory.CreateDirectory(Path.Combine(root, "notebook")).FullName;
        Directory.CreateDirectory(Path.Combine(notebook, "figures"));
        File.WriteAllBytes(Path.Combine(notebook, "figures", "w.png"), Png);
        Directory.CreateSymbolicLink(Path.Combine(notebook, "img"), "figures");
        // The notebook folder itself reached through a link is fine: its real path is compared with the file's.
        var linkedNotebook = Path.Combine(root, "linked");
        Directory.CreateSymbolicLink(linkedNotebook, notebook);

        Assert.Equal($"data:image/png;base64,{Convert.ToBase64String(Png)}", LocalImages.DataUri("img/w.png", notebook));
        Assert.NotNull(LocalImages.DataUri("figures/w.png", linkedNotebook));
    }

    [Fact]
    public void Should_Give_Up_On_A_Loop_Of_Links()
    {
        var root = TestPaths.NewTempDirectory();
        File.CreateSymbolicLink(Path.Combine(root, "a.png"), Path.Combine(root, "b.png"));
        File.CreateSymbolicLink(Path.Combine(root, "b.png"), Path.Combine(root, "a.png"));

        Assert.Null(LocalImages.DataUri("a.png", root));
    }
}
