using System.Runtime.Loader;
using DaseCV.Notebook;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DaseCV.Tests.Notebook;

// Each test builds a tiny library with Roslyn into its own folder and loads it into a collectible context, as the
// kernel loads a #r'd DLL; then rebuilds or deletes the file under it.
public sealed class LoadedLibraryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dasecv-loaded-").FullName;
    private readonly AssemblyLoadContext _context = new("loaded-library-test", isCollectible: true);

    public void Dispose()
    {
        _context.Unload();
        Directory.Delete(_dir, recursive: true);
    }

    private string Build(string name, string value)
    {
        var tree = CSharpSyntaxTree.ParseText($"namespace {name}; public static class M {{ public static string V => \"{value}\"; }}");
        var compilation = CSharpCompilation.Create(name, [tree],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, deterministic: true));
        string path = Path.Combine(_dir, name + ".dll");
        // Write beside and move over, as a new file: never rewrite a file a load context has mapped.
        string temp = path + ".new";
        var result = compilation.Emit(temp);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        File.Move(temp, path, overwrite: true);
        return path;
    }

    public sealed class TheThrowIfChangedMethod : IDisposable
    {
        private readonly LoadedLibraryTests _t = new();

        public void Dispose() => _t.Dispose();

        [Fact]
        public void Should_Pass_When_The_Loaded_Dll_Is_The_One_On_Disk()
        {
            _t._context.LoadFromAssemblyPath(_t.Build("LibA", "one"));

            LoadedLibrary.ThrowIfChanged(_t._dir);
            Assert.Empty(LoadedLibrary.FindChanged(_t._dir));
        }

        [Fact]
        public void Should_Pass_After_A_Rebuild_Of_The_Same_Code()
        {
            _t._context.LoadFromAssemblyPath(_t.Build("LibB", "one"));
            _t.Build("LibB", "one"); // deterministic: same code, same module version id

            LoadedLibrary.ThrowIfChanged(_t._dir);
        }

        [Fact]
        public void Should_Tell_To_Restart_The_Kernel_After_A_Rebuild_With_Other_Code()
        {
            _t._context.LoadFromAssemblyPath(_t.Build("LibC", "one"));
            _t.Build("LibC", "two");

            var ex = Assert.Throws<LibraryChangedException>(() => LoadedLibrary.ThrowIfChanged(_t._dir));

            Assert.StartsWith("库在本内核加载之后被修改过：请重启内核（Restart），然后 Run All（全部运行） (the library changed since this kernel loaded it: restart the kernel, then Run All)", ex.Message);
            Assert.Contains("LibC.dll", ex.Message);
            // The notebook shows ToString(): the message alone, no stack trace.
            Assert.Equal(ex.Message, ex.ToString());
        }

        [Fact]
        public void Should_Count_A_Deleted_Dll_As_Changed()
        {
            string path = _t.Build("LibD", "one");
            _t._context.LoadFromAssemblyPath(path);
            File.Delete(path);

            Assert.Equal(["LibD.dll"], LoadedLibrary.FindChanged(_t._dir));
        }

        [Fact]
        public void Should_Ignore_Assemblies_Loaded_From_Other_Folders()
        {
            string other = Directory.CreateTempSubdirectory("dasecv-other-").FullName;
            try
            {
                Assert.Empty(LoadedLibrary.FindChanged(other));
            }
            finally
            {
                Directory.Delete(other);
            }
        }
    }
}
