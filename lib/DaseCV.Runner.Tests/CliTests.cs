using DaseCV.Runner.Commands;
using DaseCV.Runner.IO;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests;

/// <summary>The command line in this process: parsing, help, errors. Nothing here starts a kernel.</summary>
public sealed class CliTests
{
    public sealed class TheInvokeAsyncMethod : IDisposable
    {
        private readonly string _root = TestPaths.NewTempDirectory();
        private readonly StringWriter _out = new();
        private readonly StringWriter _err = new();

        public void Dispose() => Directory.Delete(_root, recursive: true);

        private int Invoke(params string[] args) => Cli.InvokeAsync(args, _out, _err).GetAwaiter().GetResult();

        /// <summary>Stderr from its English line on, after checking that a Chinese line comes first (bilingual errors).</summary>
        private string English()
        {
            var text = _err.ToString();
            Assert.StartsWith("错误：", text);
            return text[text.IndexOf("\nerror: ", StringComparison.Ordinal)..].TrimStart('\n');
        }

        /// <summary>A copy of TestData/parameters.ipynb in a fresh folder (its parameters cell declares
        /// string dataset, int numIters, var learningRate = 1e-7, bool verbose).</summary>
        private string ParametersNotebook()
        {
            var path = Path.Combine(_root, "parameters.ipynb");
            File.Copy(Path.Combine(TestPaths.TestData, "parameters.ipynb"), path);
            return path;
        }

        [Theory]
        [InlineData(new[] { "--help" }, "dotnet run --project lib/DaseCV.Runner -- [command] [options]")]
        [InlineData(new[] { "-h" }, "Exit codes: 0 success, 1 a cell failed (also: timed out, called Environment.Exit, crashed the kernel")]
        [InlineData(new[] { "run", "--help" }, "dotnet run --project lib/DaseCV.Runner -- run <NOTEBOOK.ipynb> [options]")]
        [InlineData(new[] { "run", "-h" }, "-p, --parameter <NAME=VALUE>")]
        [InlineData(new[] { "run", "--help" }, "--cell-timeout <TIME>")]
        [InlineData(new[] { "run", "--help" }, "-p dataset synthetic -p numIters 200")]
        [InlineData(new[] { "export", "--help" }, "-o, --out <FILE.html|DIR>")]
        [InlineData(new[] { "export", "--help" }, "(writes artifacts/softmax.html)")]
        [InlineData(new[] { "get-data", "-h" }, "--data-dir <DIR>")]
        public void Should_Print_Help_At_The_Root_And_For_Each_Command(string[] args, string expected)
        {
            Assert.Equal(ExitCode.Success, Invoke(args));

            Assert.Contains(expected, _out.ToString());
            Assert.Equal("", _err.ToString());
        }

        [Fact]
        public void Should_Write_The_Parameterised_Notebook_Without_Running_It_With_Prepare_Only()
        {
            var outDir = Path.Combine(_root, "prepared");

            Assert.Equal(ExitCode.Success, Invoke("run", ParametersNotebook(), "--prepare-only", "--out", outDir, "-p", "numIters=7"));

            var prepared = IpynbNotebook.Load(Path.Combine(outDir, "parameters.ipynb"));
            Assert.Contains("numIters = 7;", prepared.Cells.Single(NotebookParameters.IsInjected).Source);
            Assert.All(prepared.Cells.Where(c => c.Type == "code"), c => Assert.Empty(c.Outputs));
            Assert.False(File.Exists(Path.Combine(outDir, "parameters.html")));
            Assert.Contains("parameterised, not run", _out.ToString());
        }

        [Fact]
        public void The_Kernel_Host_Command_Should_Not_Be_Offered_In_Help()
        {
            Assert.Equal(ExitCode.Success, Invoke("--help"));

            Assert.DoesNotContain("kernel-host", _out.ToString());
        }

        [Fact]
        public void Should_Print_The_Overview_But_Fail_Without_Arguments()
        {
            Assert.Equal(ExitCode.UsageError, Invoke());

            Assert.Contains("Commands:", _out.ToString());
        }

        [Fact]
        public void Should_Print_The_Version_With_The_Kernel_And_Runtime()
        {
            Assert.Equal(ExitCode.Success, Invoke("--version"));

            Assert.Matches(@"^DaseCV\.Runner \S+ \(kernel Microsoft\.DotNet\.Interactive 1\.0\.0-beta\.\d+\.\d+, \.NET 10", _out.ToString());
        }

        [Theory]
        [InlineData(new[] { "run" }, "error: Required argument 'NOTEBOOK.ipynb' missing for command: 'run'.", "run --help")]
        [InlineData(new[] { "run", "a.ipynb", "b.ipynb" }, "error: Unrecognized command or argument 'b.ipynb'.", "run --help")]
        [InlineData(new[] { "run", "a.ipynb", "--bogus" }, "error: Unrecognized command or argument '--bogus'.", "run --help")]
        [InlineData(new[] { "run", "a.ipynb", "--out" }, "error: Required argument missing for option: '--out'.", "run --help")]
        [InlineData(new[] { "run", "a.ipynb", "--cell-timeout", "abc" }, "error: --cell-timeout: 'abc' is not a time limit", "run --help")]
        [InlineData(new[] { "run", "a.ipynb", "-p", "novalue" }, "error: -p expects NAME=VALUE or NAME VALUE, got 'novalue'.", "run --help")]
        [InlineData(new[] { "export" }, "error: Required argument 'EXECUTED.ipynb' missing for command: 'export'.", "export --help")]
        [InlineData(new[] { "bogus" }, "error: Required command was not provided.", "--help")]
        public void Should_Report_Bad_Usage_On_Stderr_With_Exit_Two(string[] args, string message, string hint)
        {
            Assert.Equal(ExitCode.UsageError, Invoke(args));

            Assert.StartsWith(message, English());
            Assert.Contains($"Run `dotnet run --project lib/DaseCV.Runner -- {hint}` for usage.", _err.ToString());
            Assert.DoesNotContain("   at ", _err.ToString());
            Assert.Equal("", _out.ToString());
        }

        [Fact]
        public void Should_Name_A_Missing_Notebook_Without_A_Stack_Trace_Unless_Verbose()
        {
            var missing = Path.Combine(_root, "nosuch.ipynb");

            Assert.Equal(ExitCode.UsageError, Invoke("run", missing));
            var quiet = English();
            _err.GetStringBuilder().Clear();
            Assert.Equal(ExitCode.UsageError, Invoke("run", missing, "--verbose"));

            Assert.Equal($"error: Notebook not found: {missing}", quiet.Trim());
            Assert.StartsWith("错误：找不到文件", _err.ToString());
            Assert.StartsWith($"error: Notebook not found: {missing}", English());
            Assert.Contains("   at DaseCV.Runner.Execution.RunRequest.Prepare", _err.ToString());
        }

        [Fact]
        public void Should_Name_A_Notebook_That_Is_Not_Json()
        {
            var path = Path.Combine(_root, "broken.ipynb");
            File.WriteAllText(path, "{\"cells\": [");

            Assert.Equal(ExitCode.UsageError, Invoke("run", path, "--out", Path.Combine(_root, "out")));

            Assert.StartsWith($"error: {path} is not valid JSON", English());
            Assert.False(Directory.Exists(Path.Combine(_root, "out")));
        }

        [Theory]
        [InlineData(new[] { "-p", "numIters=abc" }, "error: numIters is declared int in the parameters cell; 'abc' is not an int.")]
        [InlineData(new[] { "-p", "numIters", "abc" }, "error: numIters is declared int in the parameters cell; 'abc' is not an int.")]
        [InlineData(new[] { "-p", "learningRate", "fast" }, "error: learningRate is declared double in the parameters cell; 'fast' is not a double.")]
        [InlineData(new[] { "-p", "verbose=yes" }, "error: verbose is declared bool in the parameters cell; 'yes' is not a bool (true or false).")]
        [InlineData(new[] { "-p", "numIters", "200", "--parameter", "numIters=300" }, "error: -p numIters is given twice ('200' and '300'); give each parameter once.")]
        [InlineData(new[] { "-p", "numIter=200" }, "error: -p numIter: the parameters cell (cell 2) declares no 'numIter'; it declares: dataset, numIters, learningRate, verbose.")]
        public void Should_Check_Every_Parameter_Before_Anything_Is_Run_Or_Written(string[] parameters, string message)
        {
            var notebook = ParametersNotebook();
            var before = File.ReadAllText(notebook);
            var outDir = Path.Combine(_root, "out");

            Assert.Equal(ExitCode.UsageError, Invoke(["run", notebook, "--out", outDir, .. parameters]));

            Assert.StartsWith(message + Environment.NewLine, English());
            Assert.DoesNotContain("   at ", _err.ToString());
            Assert.False(Directory.Exists(outDir), "nothing may be written for a bad parameter");
            Assert.Equal(before, File.ReadAllText(notebook));
        }

        [Fact]
        public void Should_Refuse_An_Output_Folder_That_Reaches_The_Notebook_Through_A_Link()
        {
            var notebook = ParametersNotebook();
            var before = File.ReadAllText(notebook);
            var link = Path.Combine(_root, "link");
            Directory.CreateSymbolicLink(link, _root);

            Assert.Equal(ExitCode.UsageError, Invoke("run", notebook, "--out", link));

            Assert.StartsWith($"error: --out {link} would overwrite the input notebook {notebook}; choose another folder.", English());
            Assert.Equal(before, File.ReadAllText(notebook));
            Assert.False(File.Exists(Path.Combine(_root, "parameters.html")));
        }

        [Fact]
        public void Should_Not_Read_A_Value_Starting_With_At_As_A_Response_File()
        {
            var file = Path.Combine(_root, "arguments.txt");
            File.WriteAllText(file, "numIters=200");

            Assert.Equal(ExitCode.UsageError, Invoke("run", ParametersNotebook(), "--out", Path.Combine(_root, "out"), "-p", "@" + file));

            Assert.StartsWith($"error: -p expects NAME=VALUE or NAME VALUE, got '@{file}'.", English());
        }
    }
}
