using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace DaseCV.Tests.Notebook;

/// <summary>
/// Runs code in the real .NET Interactive kernel the way VS Code's Polyglot Notebooks does: the final kernel
/// (the local tool Microsoft.dotnet-interactive 1.0.712001 of .config/dotnet-tools.json) started as
/// <c>dotnet-interactive stdio</c>, one <c>KernelCommandEnvelope</c> JSON line per command on its standard input,
/// one <c>KernelEventEnvelope</c> JSON line per event on its standard output.
/// </summary>
/// <remarks>
/// The kernel works in a temporary copy of the repository's layout: <c>notebooks/</c> as its working directory and the
/// library's DLLs (this test's build of them) in <c>lib/DaseCV.Notebook/bin/Release/net10.0/</c>, so the notebook's
/// own cells run unchanged and a test may change the library under the running kernel without touching the repository.
/// </remarks>
[Trait("Category", "EndToEnd")]
public sealed class KernelStdioTests(KernelStdioTests.StdioKernel kernel) : IClassFixture<KernelStdioTests.StdioKernel>
{
    private const string LibraryDirectory = "../lib/DaseCV.Notebook/bin/Release/net10.0";

    private static readonly string ReferenceLibrary =
        $"#r \"{LibraryDirectory}/DaseCV.dll\"\n#r \"{LibraryDirectory}/DaseCV.Notebook.dll\"\nusing DaseCV.Notebook;\n";

    [Fact]
    public async Task Progress_Should_Be_One_Output_Whose_Updates_Carry_Its_Value_Id()
    {
        // As the tuning cell does: a first report on the cell's thread, the others from Parallel.ForEach's workers.
        var events = await kernel.SubmitAsync(ReferenceLibrary + """
            var progress = ProgressDisplay.InNotebook("tuning");
            int done = 0;
            progress.Report(0, 6);
            System.Threading.Tasks.Parallel.For(0, 6, k =>
            {
                System.Threading.Thread.Sleep(300 * (k % 3 + 1));
                progress.Report(System.Threading.Interlocked.Increment(ref done), 6, $"config {k}");
            });
            """);

        AssertSucceeded(events);
        var produced = Assert.Single(events, e => e.Type == "DisplayedValueProduced");
        var updates = events.Where(e => e.Type == "DisplayedValueUpdated").ToList();
        Assert.NotEmpty(updates);
        string valueId = (string)produced.Event["valueId"]!;
        Assert.All(updates, u => Assert.Equal(valueId, (string?)u.Event["valueId"]));
        Assert.StartsWith("tuning 0/6 [", Text(produced));
        Assert.Matches(@"^tuning: 6/6 done in \d+ s$", Text(updates[^1]));
    }

    [Fact]
    public async Task Reference_Cell_Should_Stop_With_A_Restart_Message_Once_The_Library_Changed()
    {
        // The parameters cell, then tiny synthetic data inside the copy (as `run -p` injects values after it).
        var parameters = await kernel.SubmitAsync(NotebookCell(cell => SoftmaxNotebookTests.Tags(cell).Contains("parameters")) +
            "\ndataset = \"synthetic\"; dataDir = \"../data\"; numTraining = 40; numValidation = 10; numTest = 10; numDev = 10;");
        AssertSucceeded(parameters);
        string referenceCell = NotebookCell(cell => SoftmaxNotebookTests.Source(cell).StartsWith("#r ", StringComparison.Ordinal));

        AssertSucceeded(await kernel.SubmitAsync(referenceCell));
        kernel.ChangeLibrary("DaseCV.Notebook.dll");
        var rerun = await kernel.SubmitAsync(referenceCell);

        var failed = Assert.Single(rerun, e => e.Type == "CommandFailed");
        string message = (string)failed.Event["message"]!;
        Assert.StartsWith(DaseCV.Notebook.LoadedLibrary.ChangedMessage, message);
        Assert.StartsWith("库在本内核加载之后被修改过：请重启内核", message);
        Assert.Contains("(the library changed since this kernel loaded it: restart the kernel, then Run All)", message);
        Assert.DoesNotContain("   at ", message); // a plain message, no stack trace

        // A later cell, which would read the variables the #r cell never set, says the same instead of failing on nulls.
        var later = await kernel.SubmitAsync("var data = Cifar10.GetForLinearClassifier(cifarRoot, 10, 10, 10, 10); Console.WriteLine(data.XTrain.RowCount);");
        var laterFailed = Assert.Single(later, e => e.Type == "CommandFailed");
        Assert.Equal(message, (string)laterFailed.Event["message"]!);
        Assert.DoesNotContain(later, e => e.Type == "StandardOutputValueProduced");
    }

    [Fact]
    public async Task Build_Cell_Should_Print_Nothing_On_Success_And_The_Log_On_Failure()
    {
        // The build cell builds ../lib/DaseCV.Notebook; here that folder holds a tiny project instead of the real one.
        string buildCell = NotebookCell(cell => SoftmaxNotebookTests.Source(cell).Contains("dotnet\", \"build ../lib/DaseCV.Notebook"));
        kernel.WriteBuildProject("public static class Tiny { public static int One => 1; }");

        var success = await kernel.SubmitAsync(buildCell);

        AssertSucceeded(success);
        Assert.DoesNotContain(success, e => e.Type == "StandardOutputValueProduced");

        kernel.WriteBuildProject("public static class Tiny { public static int One => ; }");
        var failure = await kernel.SubmitAsync(buildCell);

        Assert.Single(failure, e => e.Type == "CommandFailed");
        Assert.Contains("error CS", string.Concat(failure.Where(e => e.Type == "StandardOutputValueProduced").Select(Text)));
    }

    [Fact]
    public async Task Formatters_Should_Print_A_Matrix_As_Numpy_And_A_Chart_As_Plotly_Json_And_Html()
    {
        AssertSucceeded(await kernel.SubmitAsync(ReferenceLibrary + "NotebookFormatters.Register();"));

        var matrix = await kernel.SubmitAsync(
            "MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(new double[,] { { 1.0, 2.25 }, { -3.5, 100.0 } })");
        var chart = await kernel.SubmitAsync("Charts.LossHistory([250.0, 20.0, 2.1])");

        var value = Assert.Single(matrix, e => e.Type == "ReturnValueProduced");
        Assert.Equal("array([[  1.  ,   2.25],\n       [ -3.5 , 100.  ]])", Text(value));
        var formats = Assert.Single(chart, e => e.Type == "ReturnValueProduced").Event["formattedValues"]!.AsArray();
        Assert.Equal(["application/vnd.plotly.v1+json", "text/html"], formats.Select(f => (string)f!["mimeType"]!).Order());
        Assert.Contains("\"type\":\"log\"", (string)formats.First(f => (string)f!["mimeType"]! == "text/html")!["value"]!);
    }

    private static string NotebookCell(Func<JsonElement, bool> match) =>
        SoftmaxNotebookTests.Source(Assert.Single(SoftmaxNotebookTests.Cells, cell => match(cell)));

    private static string Text(KernelEvent e) =>
        (string)e.Event["formattedValues"]!.AsArray().First(f => (string)f!["mimeType"]! == "text/plain")!["value"]!;

    private static void AssertSucceeded(IReadOnlyList<KernelEvent> events)
    {
        var failed = events.FirstOrDefault(e => e.Type == "CommandFailed");
        Assert.True(failed is null, $"the kernel failed the command: {failed?.Event["message"]}");
        Assert.Equal("CommandSucceeded", events[^1].Type);
    }

    /// <summary>One event of the kernel: its type (<c>eventType</c>) and body (<c>event</c>).</summary>
    public sealed record KernelEvent(string Type, JsonNode Event);

    /// <summary>One kernel process for the class's tests, in a temporary copy of the repository's layout.</summary>
    [Trait("Category", "EndToEnd")]
    public sealed class StdioKernel : IAsyncLifetime
    {
        private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
        private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);

        private readonly string _root = Directory.CreateTempSubdirectory("dasecv-kernel-").FullName;
        private readonly Channel<JsonNode> _events = Channel.CreateUnbounded<JsonNode>();
        private readonly System.Text.StringBuilder _stderr = new();
        private Process? _process;

        private string LibraryPath => Path.Combine(_root, "lib", "DaseCV.Notebook", "bin", "Release", "net10.0");

        public async Task InitializeAsync()
        {
            RestoreTools();
            Directory.CreateDirectory(Path.Combine(_root, "notebooks"));
            Directory.CreateDirectory(LibraryPath);
            // The library and its packages as this test project built them; not the test runner's own DLLs.
            foreach (var dll in Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
            {
                string name = Path.GetFileName(dll);
                if (name.StartsWith("Microsoft.", StringComparison.Ordinal) || name.StartsWith("xunit", StringComparison.Ordinal)
                    || name is "testhost.dll" or "DaseCV.Tests.dll") continue;
                File.Copy(dll, Path.Combine(LibraryPath, name));
            }

            var start = new ProcessStartInfo("dotnet")
            {
                // The tool manifest is found from the repository root; the kernel then moves to the copy's notebooks/.
                WorkingDirectory = RepositoryPaths.Root,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { "tool", "run", "dotnet-interactive", "--", "stdio", "--working-dir", Path.Combine(_root, "notebooks") })
                start.ArgumentList.Add(arg);
            // The test host's MSBuild and test-platform variables would leak into the build cell's `dotnet build`;
            // VS Code starts the kernel from a user's environment without them.
            foreach (var name in start.Environment.Keys.Where(IsTestHostVariable).ToList()) start.Environment.Remove(name);
            start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";

            _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
            _process.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
            _process.BeginErrorReadLine();
            _ = Task.Run(ReadEventsAsync);

            using var timeout = new CancellationTokenSource(StartTimeout);
            try
            {
                while ((string?)(await _events.Reader.ReadAsync(timeout.Token))["eventType"] != "KernelReady") { }
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                throw new InvalidOperationException($"dotnet-interactive stdio sent no KernelReady within {StartTimeout}. Its standard error:\n{StandardError}", e);
            }
        }

        public Task DisposeAsync()
        {
            if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
            _process?.Dispose();
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // A build server may still hold a file of the tiny project; the folder is in the temp directory.
            }
            return Task.CompletedTask;
        }

        private string StandardError
        {
            get { lock (_stderr) return _stderr.ToString(); }
        }

        /// <summary>Submits code as VS Code submits a cell and returns the events of that command, the last one CommandSucceeded or CommandFailed.</summary>
        public async Task<IReadOnlyList<KernelEvent>> SubmitAsync(string code)
        {
            string token = Guid.NewGuid().ToString("N");
            var envelope = new JsonObject
            {
                ["token"] = token,
                ["commandType"] = "SubmitCode",
                ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = "csharp" },
            };
            await _process!.StandardInput.WriteLineAsync(envelope.ToJsonString());
            await _process.StandardInput.FlushAsync();

            var events = new List<KernelEvent>();
            using var timeout = new CancellationTokenSource(CommandTimeout);
            while (true)
            {
                JsonNode line;
                try
                {
                    line = await _events.Reader.ReadAsync(timeout.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
                {
                    throw new InvalidOperationException(
                        $"The kernel did not finish the command within {CommandTimeout}. Events so far: {string.Join(", ", events.Select(ev => ev.Type))}. Standard error:\n{StandardError}", e);
                }
                // Child commands (the kernel splits a submission) carry the token with a suffix: "token.1".
                string? eventToken = (string?)line["command"]?["token"];
                if (eventToken is null || !(eventToken == token || eventToken.StartsWith(token + ".", StringComparison.Ordinal))) continue;
                var kernelEvent = new KernelEvent((string)line["eventType"]!, line["event"]!);
                events.Add(kernelEvent);
                if (eventToken == token && kernelEvent.Type is "CommandSucceeded" or "CommandFailed") return events;
            }
        }

        /// <summary>Replaces a DLL of the copied library by a rebuilt one: the same code with a new module version id.</summary>
        public void ChangeLibrary(string fileName)
        {
            string path = Path.Combine(LibraryPath, fileName);
            var bytes = File.ReadAllBytes(path);
            using (var pe = new System.Reflection.PortableExecutable.PEReader(new MemoryStream(bytes)))
            {
                var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
                var mvid = metadata.GetGuid(metadata.GetModuleDefinition().Mvid).ToByteArray();
                int at = bytes.AsSpan().IndexOf(mvid);
                Assert.True(at >= 0, $"no module version id in {path}");
                bytes[at] ^= 0xFF;
            }
            // A new file moved over the old one, as a build replaces its output; the loaded file stays intact.
            File.WriteAllBytes(path + ".new", bytes);
            File.Move(path + ".new", path, overwrite: true);
        }

        /// <summary>Puts a one-file project with <paramref name="code"/> where the build cell looks for lib/DaseCV.Notebook.</summary>
        public void WriteBuildProject(string code)
        {
            string dir = Path.Combine(_root, "lib", "DaseCV.Notebook");
            File.WriteAllText(Path.Combine(dir, "Tiny.csproj"),
                "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>");
            File.WriteAllText(Path.Combine(dir, "Tiny.cs"), code);
        }

        private async Task ReadEventsAsync()
        {
            // The kernel prints a welcome banner before its first event: only JSON lines are events.
            while (await _process!.StandardOutput.ReadLineAsync() is { } line)
            {
                if (!line.StartsWith('{')) continue;
                try
                {
                    if (JsonNode.Parse(line) is JsonObject json && json["eventType"] is not null) _events.Writer.TryWrite(json);
                }
                catch (JsonException)
                {
                    // Not an event line.
                }
            }
            _events.Writer.TryComplete();
        }

        private static bool IsTestHostVariable(string name) =>
            name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase) || name is "DOTNET_HOST_PATH" or "DOTNET_CLI_UI_LANGUAGE";

        // `dotnet test` alone (the README's command) may run before `dotnet tool restore`: restore here, or say why not.
        private static void RestoreTools()
        {
            var restore = new ProcessStartInfo("dotnet", "tool restore")
            {
                WorkingDirectory = RepositoryPaths.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(restore) ?? throw new InvalidOperationException("dotnet did not start.");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException(
                    "These tests need the kernel tool Microsoft.dotnet-interactive of .config/dotnet-tools.json, and " +
                    $"`dotnet tool restore` failed with exit code {process.ExitCode}:\n{output.Result}{errors.Result}");
        }
    }
}
