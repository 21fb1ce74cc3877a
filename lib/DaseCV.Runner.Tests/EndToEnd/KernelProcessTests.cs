using System.Text.Json.Nodes;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.EndToEnd;

/// <summary>
/// Issue 17's `run` classes, each in a real runner process: a crash of the kernel process (an exception on another
/// thread, an async void, a stack overflow, Environment.FailFast) still writes both files with the cell named and
/// exits 1; a huge output is cut with a note; output printed after a cell returned reaches that cell; memory does
/// not grow with what earlier cells displayed.
/// </summary>
[Trait("Category", "EndToEnd")]
public static class KernelProcessTests
{
    /// <summary>A notebook of code cells with ids c1, c2, ... in this test's folder.</summary>
    private static string Notebook(string root, string name, params string[] cells)
    {
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(root, "notebooks")).FullName, name + ".ipynb");
        var json = new JsonObject
        {
            ["cells"] = new JsonArray([.. cells.Select((source, i) => (JsonNode)new JsonObject
            {
                ["cell_type"] = "code",
                ["id"] = $"c{i + 1}",
                ["metadata"] = new JsonObject(),
                ["outputs"] = new JsonArray(),
                ["execution_count"] = null,
                ["source"] = source,
            })]),
            ["metadata"] = new JsonObject(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private static IpynbCell Cell(string ipynb, string id) => IpynbNotebook.Load(ipynb).Cells.Single(c => c.Id == id);

    private static string Text(IpynbCell cell, string stream = "stdout") => string.Concat(cell.Outputs.OfType<JsonObject>()
        .Where(o => o["output_type"]!.GetValue<string>() == "stream" && o["name"]!.GetValue<string>() == stream)
        .Select(o => IpynbNotebook.JoinText(o["text"])));

    private static string Status(string ipynb) =>
        IpynbNotebook.Load(ipynb).Metadata["dasecv_runner"]!["status"]!.GetValue<string>();

    [Trait("Category", "EndToEnd")]
    [Collection(RunReliabilityTests.Name)]
    public sealed class KernelCrashes : RunReliabilityTests.Scenario
    {
        [Theory]
        [InlineData("thread", "new System.Threading.Thread(() => throw new InvalidOperationException(\"boom on a thread\")).Start(); System.Threading.Thread.Sleep(5000);",
                    "InvalidOperationException", "boom on a thread")]
        [InlineData("async-void", "async void Later() { await Task.Yield(); throw new ArgumentException(\"boom in async void\"); } Later(); System.Threading.Thread.Sleep(5000);",
                    "ArgumentException", "boom in async void")]
        [InlineData("stack-overflow", "int Down(int n) => Down(n + 1) + 1; Down(0);", "StackOverflowException", "The call stack overflowed")]
        [InlineData("fail-fast", "Environment.FailFast(\"gave up on purpose\");", "FailFast", "gave up on purpose")]
        public async Task Should_Write_Both_Files_Name_The_Cell_And_Exit_One(string name, string crash, string ename, string evalue)
        {
            var notebook = Notebook(Root, name,
                "Console.WriteLine(\"first cell ran\");",
                "Console.WriteLine(\"second cell ran\");",
                "Console.WriteLine(\"before the crash\");\n" + crash,
                "Console.WriteLine(\"after\");");
            var outDir = Path.Combine(Root, "out");

            var outcome = await RunnerProcess.RunAsync("run", notebook, "--out", outDir);

            Assert.True(outcome.ExitCode == 1, $"exit {outcome.ExitCode}\n{outcome.StandardOutput}\n{outcome.StandardError}");
            Assert.Contains("error: cell 3 (id c3) crashed the kernel process; later cells were not run.", outcome.StandardError);
            Assert.Contains("错误：第 3 个单元格运行时内核进程崩溃", outcome.StandardError);
            Assert.Contains($"{ename}: {evalue}", outcome.StandardError);
            Assert.DoesNotContain("   at ", outcome.StandardError); // the runtime's report is a stack trace: --verbose only

            var ipynb = Path.Combine(outDir, name + ".ipynb");
            Assert.Equal("failed at cell 3: the kernel process crashed", Status(ipynb));
            Assert.Equal("first cell ran\n", Text(Cell(ipynb, "c1")));
            Assert.Equal("second cell ran\n", Text(Cell(ipynb, "c2")));
            var crashed = Cell(ipynb, "c3");
            Assert.Equal(3, crashed.Json["execution_count"]!.GetValue<int>());
            Assert.Equal("before the crash\n", Text(crashed));
            var error = crashed.Outputs.OfType<JsonObject>().Single(o => o["output_type"]!.GetValue<string>() == "error");
            Assert.Equal(ename, error["ename"]!.GetValue<string>());
            Assert.Contains(evalue, error["evalue"]!.GetValue<string>());
            Assert.Empty(Cell(ipynb, "c4").Outputs);
            var html = File.ReadAllText(Path.Combine(outDir, name + ".html"));
            Assert.Contains("failed at cell 3: the kernel process crashed", html);
            Assert.Contains(evalue, html);
            Assert.Equal([name + ".html", name + ".ipynb"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order());
        }

        [Fact]
        public async Task Should_Write_Both_Files_When_The_First_Cell_Crashes_Before_Anything_Was_Saved()
        {
            var notebook = Notebook(Root, "first", "Environment.FailFast(\"at once\");", "Console.WriteLine(\"after\");");
            var outDir = Directory.CreateDirectory(Path.Combine(Root, "out")).FullName;
            File.WriteAllText(Path.Combine(outDir, "first.ipynb"), "an earlier run's notebook");

            var outcome = await RunnerProcess.RunAsync("run", notebook, "--out", outDir);

            Assert.Equal(1, outcome.ExitCode);
            var ipynb = Path.Combine(outDir, "first.ipynb");
            Assert.Equal("failed at cell 1: the kernel process crashed", Status(ipynb));
            Assert.Equal("FailFast", Cell(ipynb, "c1").Outputs[0]!["ename"]!.GetValue<string>());
            Assert.Contains("error: cell 1 (id c1) crashed the kernel process", outcome.StandardError);
            Assert.True(File.Exists(Path.Combine(outDir, "first.html")));
        }

        [Fact]
        public async Task Should_Show_The_Runtimes_Report_With_Verbose()
        {
            var notebook = Notebook(Root, "verbose", "int Down(int n) => Down(n + 1) + 1; Down(0);");

            var outcome = await RunnerProcess.RunAsync("run", notebook, "--out", Path.Combine(Root, "out"), "--verbose");

            Assert.Equal(1, outcome.ExitCode);
            Assert.Contains("Stack overflow.", outcome.StandardError);
            Assert.Contains("   at Submission#", outcome.StandardError);
        }
    }

    [Trait("Category", "EndToEnd")]
    [Collection(RunReliabilityTests.Name)]
    public sealed class TheKernelProcess : RunReliabilityTests.Scenario
    {
        [Fact]
        public async Task Should_Run_The_Notebook_Apart_From_The_Runner_With_The_Runners_Settings()
        {
            var notebook = Notebook(Root, "settings",
                "Console.WriteLine(Environment.ProcessId);",
                "Console.WriteLine(AppContext.GetData(\"System.GC.LOHThreshold\"));",
                "Console.WriteLine(Environment.GetEnvironmentVariable(\"DASECV_RUNNER_JOURNAL\") ?? \"none\");");
            var outDir = Path.Combine(Root, "out");
            int deadPid;
            using (var gone = System.Diagnostics.Process.Start("true")!)
            {
                gone.WaitForExit();
                deadPid = gone.Id;
            }

            var killedRunsJournal = Path.Combine(Path.GetTempPath(), $"dasecv-run-{deadPid}-0123.jsonl");
            File.WriteAllText(killedRunsJournal, "{\"event\":\"saved\"}\n");
            using var runner = RunningRunner.Start(["run", notebook, "--out", outDir]);

            var outcome = await runner.WaitForExitAsync();

            Assert.Equal(0, outcome.ExitCode);
            var ipynb = Path.Combine(outDir, "settings.ipynb");
            Assert.NotEqual(runner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(Cell(ipynb, "c1")).Trim());
            Assert.Equal("8388608\n", Text(Cell(ipynb, "c2"))); // the GC setting of Directory.Build.props
            Assert.Equal("none\n", Text(Cell(ipynb, "c3"))); // the notebook's own processes do not see the journal
            Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $"dasecv-run-{runner.Id}-*"));
            Assert.False(File.Exists(killedRunsJournal), "the journal of a runner killed with SIGKILL is removed by the next run");
        }
    }

    [Trait("Category", "EndToEnd")]
    [Collection(RunReliabilityTests.Name)]
    public sealed class TerminalCtrlC : RunReliabilityTests.Scenario
    {
        [Fact]
        public async Task Should_Take_One_Ctrl_C_That_Reaches_Both_Processes_As_One()
        {
            // A terminal sends Ctrl-C to the whole foreground process group: the runner forwards it to the kernel
            // process as well, which must not take the second copy for a second Ctrl-C (that quits at once).
            var notebook = Path.Combine(Directory.CreateDirectory(Path.Combine(Root, "notebooks")).FullName, "endless.ipynb");
            File.Copy(Path.Combine(TestPaths.TestData, "endless.ipynb"), notebook);
            var outDir = Path.Combine(Root, "out");
            using var runner = RunningRunner.Start(["run", notebook, "--out", outDir]);
            await runner.WaitForOutputAsync("[2/3] cell 3");
            await Task.Delay(500);
            var kernel = File.ReadAllText($"/proc/{runner.Id}/task/{runner.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Single();

            using (var kill = System.Diagnostics.Process.Start("kill", ["-s", "INT", kernel, runner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
                await kill.WaitForExitAsync();
            var outcome = await runner.WaitForExitAsync();

            Assert.True(outcome.ExitCode == 130, $"exit {outcome.ExitCode}\n{outcome.StandardError}");
            Assert.Contains("interrupted (SIGINT) while cell 3 was running", outcome.StandardError);
            Assert.Equal("interrupted at cell 3", Status(Path.Combine(outDir, "endless.ipynb")));
            Assert.True(File.Exists(Path.Combine(outDir, "endless.html")));
        }
    }

    [Trait("Category", "EndToEnd")]
    [Collection(RunReliabilityTests.Name)]
    public sealed class ExitAfterTheFiles : RunReliabilityTests.Scenario
    {
        [Fact]
        public async Task Should_End_A_Kernel_Process_That_A_Cells_Foreground_Thread_Keeps_Alive_Once_Both_Files_Are_Written()
        {
            // A foreground thread keeps a .NET process alive after Main returns: the run must still end, with its result.
            var notebook = Notebook(Root, "foreground",
                "new System.Threading.Thread(() => { while (true) System.Threading.Thread.Sleep(100); }) { IsBackground = false }.Start();",
                "Console.WriteLine(\"next cell ran\");");
            var outDir = Path.Combine(Root, "out");

            var outcome = await RunnerProcess.RunAsync("run", notebook, "--out", outDir);

            Assert.True(outcome.ExitCode == 0, $"exit {outcome.ExitCode}\n{outcome.StandardError}");
            Assert.Contains("warning: both files were written but the kernel process had not exited 10 s later", outcome.StandardError);
            Assert.Equal("next cell ran\n", Text(Cell(Path.Combine(outDir, "foreground.ipynb"), "c2")));
            Assert.True(File.Exists(Path.Combine(outDir, "foreground.html")));
        }
    }

    [Trait("Category", "EndToEnd")]
    [Collection(RunReliabilityTests.Name)]
    public sealed class Outputs : RunReliabilityTests.Scenario
    {
        [Fact]
        public async Task Should_Cut_A_200_MB_Output_With_A_Note_And_Run_On()
        {
            var notebook = Notebook(Root, "huge",
                "Console.Write(new string('x', 200_000_000)); Console.WriteLine(\"the end\");",
                "Console.WriteLine(\"next cell ran\");");
            var outDir = Path.Combine(Root, "out");

            var outcome = await RunnerProcess.RunAsync("run", notebook, "--out", outDir);

            Assert.True(outcome.ExitCode == 0, $"exit {outcome.ExitCode}\n{outcome.StandardError}");
            var ipynb = Path.Combine(outDir, "huge.ipynb");
            var text = Text(Cell(ipynb, "c1"));
            Assert.StartsWith(new string('x', 1000), text);
            Assert.Contains("Output truncated: this cell wrote more than 1,000,000 characters to stdout; the remaining 199,000,008 were not kept.", text);
            Assert.InRange(text.Length, 1_000_000, 1_001_000);
            Assert.Equal("next cell ran\n", Text(Cell(ipynb, "c2")));
            Assert.InRange(new FileInfo(ipynb).Length, 1_000_000, 3_000_000);
            Assert.Contains("Output truncated", File.ReadAllText(Path.Combine(outDir, "huge.html")));
        }

        [Fact]
        public async Task Should_Put_Output_Printed_After_A_Cell_Returned_In_That_Cell()
        {
            var notebook = Notebook(Root, "late",
                "Console.WriteLine(\"one\"); _ = Task.Run(async () => { await Task.Delay(300); Console.WriteLine(\"late from one\"); });",
                "await Task.Delay(1500); Console.WriteLine(\"two\");",
                "_ = Task.Run(async () => { await Task.Delay(200); Console.Error.WriteLine(\"late from a silent cell\"); });",
                "System.Threading.Thread.Sleep(1500);");
            var outDir = Path.Combine(Root, "out");

            var outcome = await RunnerProcess.RunAsync("run", notebook, "--out", outDir);

            Assert.Equal(0, outcome.ExitCode);
            var ipynb = Path.Combine(outDir, "late.ipynb");
            Assert.Equal("one\nlate from one\n", Text(Cell(ipynb, "c1")));
            Assert.Equal("two\n", Text(Cell(ipynb, "c2")));
            // A cell that printed nothing itself is not known to the kernel's console: its text goes to the cell running.
            Assert.Equal("late from a silent cell\n", Text(Cell(ipynb, "c4"), "stderr"));
            Assert.DoesNotMatch("(?m)^late from", outcome.StandardOutput); // not on the terminal
        }
    }

    [Trait("Category", "EndToEnd")]
    [Collection(RunReliabilityTests.Name)]
    public sealed class Memory : RunReliabilityTests.Scenario
    {
        [Fact]
        public async Task Should_Not_Keep_What_Earlier_Cells_Displayed()
        {
            // Each cell displays a 2.5 MB object nothing else refers to and prints the heap after a full collection.
            // The runner used to keep every displayed object (to pair later updates with it): 2.7 MB a cell.
            const int Cells = 30;
            var notebook = Notebook(Root, "memory", [.. Enumerable.Repeat(
                "display(new System.Collections.BitArray(20_000_000)); Console.WriteLine(GC.GetTotalMemory(forceFullCollection: true));", Cells)]);
            var outDir = Path.Combine(Root, "out");

            var outcome = await RunnerProcess.RunAsync("run", notebook, "--out", outDir);

            Assert.Equal(0, outcome.ExitCode);
            var heap = IpynbNotebook.Load(Path.Combine(outDir, "memory.ipynb")).Cells
                .Select(c => long.Parse(Text(c).Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
            // From cell 10 on (the kernel's first compilations are done): the kernel's own submission chain and the
            // outputs kept grow a little per cell (0.2 MB measured), far below one displayed object.
            var perCell = (heap[Cells - 1] - heap[9]) / (double)(Cells - 10);
            Assert.True(perCell < 1_000_000, $"the heap grew {perCell / 1e6:0.00} MB a cell: {string.Join(", ", heap)}");
        }
    }
}
