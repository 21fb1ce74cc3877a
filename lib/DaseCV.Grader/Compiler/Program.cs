using System.Globalization;
using System.Text;
using DaseCV.Grader.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

// Started by the grader inside the sandbox, once for many submissions (a warm compiler costs a tenth of a cold one):
//   DaseCV.Grader.Compiler REFERENCES_FOLDER
// Requests on stdin (Compile: assembly version, file count, then path and text of each file), replies on stdout
// (Ok + the DLL's bytes, or Threw + the errors), until End. It never loads or runs what it compiles.
if (args is not [var referencesFolder] || !Directory.Exists(referencesFolder))
{
    Console.Error.WriteLine("usage: DaseCV.Grader.Compiler REFERENCES_FOLDER (started by the grader)");
    return 2;
}

var channelOut = new BinaryWriter(new BufferedStream(Console.OpenStandardOutput()));
var channelIn = new BinaryReader(new BufferedStream(Console.OpenStandardInput()));
Console.SetOut(Console.Error);

// The running .NET's assemblies and DaseCV's dependencies (the instructor's Release build, without DaseCV itself).
var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
    .Where(p => Path.GetDirectoryName(p) == runtime)
    .Concat(Directory.EnumerateFiles(referencesFolder, "*.dll").Where(p => Path.GetFileName(p) != "DaseCV.dll"))
    .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
    .ToList();

while (channelIn.ReadByte() == Wire.Compile)
{
    var version = Wire.ReadString(channelIn);
    var count = channelIn.ReadInt32();
    if (count is < 1 or > 500)
        throw new InvalidDataException($"{count} files to compile");
    var sources = new List<(string Path, string Text)>(count);
    for (var k = 0; k < count; k++)
        sources.Add((Wire.ReadString(channelIn), Wire.ReadText(channelIn)));

    // Roslyn's parser and binder recurse as deep as the code nests; a thread of its own with a large stack turns a
    // stack overflow (which no handler can catch) into Roslyn's own "too complex" error.
    (byte[]? Dll, string Errors) result = (null, "");
    var thread = new Thread(() => result = Compile(sources, version, references), 512 << 20);
    thread.Start();
    thread.Join();
    if (result.Dll is { } dll)
    {
        channelOut.Write(Wire.Ok);
        Wire.WriteBytes(channelOut, dll);
    }
    else
    {
        channelOut.Write(Wire.Threw);
        Wire.WriteText(channelOut, result.Errors);
    }

    channelOut.Flush();
}

return 0;

static (byte[]? Dll, string Errors) Compile(IReadOnlyList<(string Path, string Text)> sources, string version, IReadOnlyList<MetadataReference> references)
{
    const string implicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;
    var parse = new CSharpParseOptions(LanguageVersion.Latest);
    var trees = sources.OrderBy(s => s.Path, StringComparer.Ordinal)
        .Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, path: s.Path, encoding: Encoding.UTF8))
        .Append(CSharpSyntaxTree.ParseText(implicitUsings + $"\n[assembly: System.Reflection.AssemblyVersion(\"{version}\")]\n", parse, path: "GlobalUsings.g.cs"))
        .ToList();
    var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
        optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: false);
    var compilation = CSharpCompilation.Create("DaseCV", trees, references, options);
    using var stream = new MemoryStream();
    var emitted = compilation.Emit(stream);
    if (emitted.Success)
        return (stream.ToArray(), "");
    var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
        .Select(d => $"{d.Location.GetLineSpan().Path}:{d.Location.GetLineSpan().StartLinePosition.Line + 1}: error {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}")
        .Distinct().Take(20);
    return (null, string.Join("\n", errors));
}
