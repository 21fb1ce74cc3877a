using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>The student's part of one marked file: the regions to splice, or why they cannot be used.</summary>
/// <param name="RelativePath">The file's repository path, e.g. lib/DaseCV/Classifiers/SoftmaxLoss.cs.</param>
/// <param name="Regions">The student's graded regions; empty when <paramref name="Problem"/> is set.</param>
/// <param name="Problem">Why the file could not be used (missing, markers changed, code outside the regions), or null.</param>
internal sealed record StudentFile(string RelativePath, IReadOnlyList<MarkedRegion> Regions, string? Problem);

/// <summary>The student's DaseCV.dll, or why there is none.</summary>
/// <param name="Dll">The compiled library, in a fresh folder; null when it did not compile.</param>
/// <param name="Errors">The compiler's errors (file:line: message, repository-relative), for the student.</param>
internal sealed record StudentLibrary(string? Dll, string Errors);

/// <summary>
/// Compiles the instructor's lib/DaseCV with the student's regions spliced in, with Roslyn in this process:
/// compiling reads code and never runs it, so the student's code runs only later, in the grader's sandbox. The
/// references are the instructor's builds of DaseCV's dependencies and the running .NET; nothing is cached.
/// </summary>
internal static class StudentBuild
{
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    /// <summary>Compiles <paramref name="sources"/> (repository-relative path → text) into <paramref name="outputFolder"/>/DaseCV.dll.</summary>
    public static StudentLibrary Compile(IReadOnlyDictionary<string, string> sources, string outputFolder)
    {
        var instructorDll = Path.Combine(DaseCVLoader.BuildDirectory, "DaseCV.dll");
        if (!File.Exists(instructorDll))
            throw new UsageException($"{instructorDll} does not exist; build it with `dotnet build lib/DaseCV -c Release`.");
        var version = AssemblyName.GetAssemblyName(instructorDll).Version ?? new Version(1, 0, 0, 0);
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = sources.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => CSharpSyntaxTree.ParseText(s.Value, parse, path: s.Key, encoding: Encoding.UTF8))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings + $"\n[assembly: System.Reflection.AssemblyVersion(\"{version}\")]\n", parse, path: "GlobalUsings.g.cs"))
            .ToList();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: false);
        var compilation = CSharpCompilation.Create("DaseCV", trees, References(), options);

        Directory.CreateDirectory(outputFolder);
        var dll = Path.Combine(outputFolder, "DaseCV.dll");
        using (var stream = File.Create(dll))
        {
            var result = compilation.Emit(stream);
            if (result.Success)
                return new StudentLibrary(dll, "");
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => $"{d.Location.GetLineSpan().Path}:{d.Location.GetLineSpan().StartLinePosition.Line + 1}: error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
                .Distinct().Take(20);
            stream.Close();
            File.Delete(dll);
            return new StudentLibrary(null, string.Join("\n", errors));
        }
    }

    /// <summary>The running .NET's assemblies and DaseCV's dependencies from the instructor's Release build.</summary>
    private static IEnumerable<MetadataReference> References()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == runtime);
        var dependencies = Directory.EnumerateFiles(DaseCVLoader.BuildDirectory, "*.dll")
            .Where(p => Path.GetFileName(p) != "DaseCV.dll");
        return framework.Concat(dependencies).Select(p => MetadataReference.CreateFromFile(p));
    }
}
