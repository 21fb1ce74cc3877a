using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DaseCV.Tests;

/// <summary>The C# example in README.md must keep compiling against the library as the API changes.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void Should_Compile_The_Readme_Example()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        string example = ExtractFirstCSharpBlock(readme);

        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "ReadmeExample",
            [Parse(example), Parse(ImplicitUsings)],
            references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication));

        using var output = new MemoryStream();
        var result = compilation.Emit(output);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString());
        Assert.True(result.Success, "README.md's C# example does not compile:\n" + string.Join("\n", errors));
        Assert.Contains("Softmax", example);  // the example is the library's, not some other snippet
    }

    // What `dotnet new console` (ImplicitUsings) and the notebook kernel import without asking.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Threading.Tasks;
        """;

    private static SyntaxTree Parse(string code) => CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest));

    private static string ExtractFirstCSharpBlock(string markdown)
    {
        const string fence = "```csharp\n";
        int start = markdown.IndexOf(fence, StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no ```csharp block.");
        start += fence.Length;
        int end = markdown.IndexOf("```", start, StringComparison.Ordinal);
        return markdown[start..end];
    }
}
