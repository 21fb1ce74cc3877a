using System.Diagnostics;
using System.Text.Json.Nodes;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.EndToEnd;

/// <summary>
/// Issue 12's "losing or overwriting the user's work" classes, each run in a real runner process: no output over
/// an input, outputs checked before the first cell, the notebook saved after every cell, signals, a cell timeout
/// and <c>Environment.Exit</c> in a cell all writing both files, a full disk reported with nothing half-written,
/// malformed notebooks refused with exit 2. Each test checks the message, the exit code and the user's files.
/// </summary>
[Trait("Category", "EndToEnd")]
public static class RunReliabilityTests
{
    public const string Name = "Runner reliability processes";

    /// <summary>One test's own folder, deleted afterwards.</summary>
    [Trait("Category", "EndToEnd")]
    public abstract class Scenario : IDisposable
    {
        protected string Root { get; } = TestPaths.NewTempDirectory();

        /// <summary>A copy of a test notebook in this test's folder (subfolder <paramref name="folder"/>).</summary>
        protected string Copy(string name, string folder = "notebooks")
        {
            var target = Directory.CreateDirectory(Path.Combine(Root, folder)).FullName;
            var path = Path.Combine(target, name + ".ipynb");
            File.Copy(Path.Combine(TestPaths.TestData, name + ".ipynb"), path);
            return path;
        }

        public void Dispose()
        {
            Directory.Delete(Root, recursive: true);
            GC.SuppressFinalize(this);
        }
    }

    private static IpynbCell Cell(string ipynb, string id) => IpynbNotebook.Load(ipynb).Cells.Single(c => c.Id == id);

    private static string Status(string ipynb) =>
        IpynbNotebook.Load(ipynb).Metadata["dasecv_runner"]!["status"]!.GetValue<string>();

    private static JsonObject Error(IpynbCell cell) =>
        cell.Outputs.OfType<JsonObject>().Single(o => o["output_type"]!.GetValue<string>() == "error");

    private static void AssertCleanError(RunnerOutcome outcome, int exitCode)
    {
        Assert.True(exitCode == outcome.ExitCode, $"exit {outcome.ExitCode}, expected {exitCode}\n{outcome.StandardOutput}\n{outcome.StandardError}");
        Assert.Matches("(?m)^error: ", outcome.StandardError); // after any warnings
        Assert.DoesNotContain("   at ", outcome.StandardError); // no stack trace on the terminal
    }

    private static void AssertNoCellRan(RunnerOutcome outcome) => Assert.DoesNotContain("[1/", outcome.StandardOutput);

    [Trait("Category", "EndToEnd")]
    [Collection(Name)]
    public sealed class NoOutputOverAnInput : Scenario
    {
        [Fact]
        public async Task Should_Refuse_To_Export_Over_A_Hard_Link_To_The_Notebook()
        {
            // Another name for the same file: only the file's identity on disk tells.
            var notebook = Copy("failing");
            var before = File.ReadAllBytes(notebook);
            var hardLink = Path.Combine(Root, "failing.html");
            using (var ln = Process.Start("ln", [notebook, hardLink])!)
                ln.WaitForExit();

            var outcome = await RunnerProcess.RunAsync("export", notebook, "--out", hardLink);

            AssertCleanError(outcome, 2);
            Assert.Contains($"--out {hardLink}: the output {hardLink} is the input {notebook} (the same file on disk)", outcome.StandardError);
            Assert.Equal(before, File.ReadAllBytes(notebook));
        }

        [Fact]
        public async Task Should_Refuse_A_Run_Whose_Out_Folder_Reaches_The_Notebook_Through_A_Symlink()
        {
            var notebook = Copy("failing");
            var before = File.ReadAllBytes(notebook);
            var link = Path.Combine(Root, "out");
            Directory.CreateSymbolicLink(link, Path.GetDirectoryName(notebook)!);

            var outcome = await RunnerProcess.RunAsync("run", notebook, "--out", link);

            AssertCleanError(outcome, 2);
            Assert.Contains($"--out {link} would overwrite the input notebook {notebook}; choose another folder.", outcome.StandardError);
            AssertNoCellRan(outcome);
            Assert.Equal(before, File.ReadAllBytes(notebook));
            Assert.Equal(["failing.ipynb"], Directory.GetFiles(Path.GetDirectoryName(notebook)!).Select(Path.GetFileName));
        }
    }

    [Trait("Category", "EndToEnd")]
    [Collection(Name)]
    public sealed class OutputCheckedBeforeTheFirstCell : Scenario
    {
        [Fact]
        public async Task Should_Exit_Two_Before_Any_Cell_When_Out_Is_A_File()
        {
            var notebook = Copy("failing");
            var file = Path.Combine(Root, "results");
            File.WriteAllText(file, "the user's file");

            var outcome = await RunnerProcess.RunAsync("run", notebook, "--out", file);

            AssertCleanError(outcome, 2);
            Assert.Contains($"{file} is a file, so the output folder {file} cannot be created there.", outcome.StandardError);
            AssertNoCellRan(outcome);
            Assert.Equal("the user's file", File.ReadAllText(file));
        }

        [Fact]
        public async Task Should_Exit_Two_Before_Any_Cell_When_Out_Cannot_Be_Written_And_Keep_Earlier_Outputs()
        {
            var notebook = Copy("failing");
            var outDir = Directory.CreateDirectory(Path.Combine(Root, "artifacts")).FullName;
            File.WriteAllText(Path.Combine(outDir, "failing.ipynb"), "earlier result");
            Directory.CreateDirectory(Path.Combine(outDir, "failing.html")); // a folder where the HTML goes

            var outcome = await RunnerProcess.RunAsync("run", notebook, "--out", outDir);
            var unwritable = await RunnerProcess.RunAsync("run", notebook, "--out", "/sys/dasecv-out");

            AssertCleanError(outcome, 2);
            Assert.Contains($"the output {Path.Combine(outDir, "failing.html")} is a folder", outcome.StandardError);
            AssertNoCellRan(outcome);
            Assert.Equal("earlier result", File.ReadAllText(Path.Combine(outDir, "failing.ipynb")));
            AssertCleanError(unwritable, 2);
            Assert.Contains("--out /sys/dasecv-out: cannot create the output folder /sys/dasecv-out", unwritable.StandardError);
            AssertNoCellRan(unwritable);
        }
    }

    [Trait("Category", "EndToEnd")]
    [Collection(Name)]
    public sealed class SavedAfterEveryCell : Scenario
    {
        [Theory]
        [InlineData("INT", 130)]
        [InlineData("TERM", 143)]
        public async Task Should_Write_Both_Files_With_Later_Cells_Not_Run_On_A_Signal(string signal, int exitCode)
        {
            var notebook = Copy("endless");
            var outDir = Directory.CreateDirectory(Path.Combine(Root, "out")).FullName;
            File.WriteAllText(Path.Combine(outDir, "endless.html"), "earlier HTML");
            using var runner = RunningRunner.Start(["run", notebook, "--out", outDir]);

            await runner.WaitForOutputAsync("[2/3] cell 3");
            await Task.Delay(500);
            runner.Signal(signal);
            var outcome = await runner.WaitForExitAsync();

            AssertCleanError(outcome, exitCode);
            Assert.Contains($"interrupted (SIG{signal}) while cell 3 was running", outcome.StandardError);
            var ipynb = Path.Combine(outDir, "endless.ipynb");
            Assert.Equal("interrupted at cell 3", Status(ipynb));
            Assert.Contains("first cell ran", IpynbNotebook.JoinText(Cell(ipynb, "first").Outputs[0]!["text"]));
            var endless = Cell(ipynb, "endless");
            Assert.Contains("endless cell started", IpynbNotebook.JoinText(endless.Outputs[0]!["text"]));
            Assert.Equal("Interrupted", Error(endless)["ename"]!.GetValue<string>());
            var after = Cell(ipynb, "after");
            Assert.Null(after.Json["execution_count"]);
            Assert.Empty(after.Outputs);
            var html = File.ReadAllText(Path.Combine(outDir, "endless.html"));
            Assert.Contains("interrupted at cell 3", html);
            Assert.Contains("not run", html);
            Assert.Equal(["endless.html", "endless.ipynb"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order());
        }

        [Fact]
        public async Task Should_Leave_A_Valid_Notebook_Complete_Up_To_The_Last_Finished_Cell_After_Kill_9()
        {
            var notebook = Copy("endless");
            var outDir = Directory.CreateDirectory(Path.Combine(Root, "out")).FullName;
            File.WriteAllText(Path.Combine(outDir, "endless.html"), "earlier HTML");
            using var runner = RunningRunner.Start(["run", notebook, "--out", outDir]);

            await runner.WaitForOutputAsync("[2/3] cell 3");
            await Task.Delay(500);
            runner.Signal("KILL");
            var outcome = await runner.WaitForExitAsync();

            Assert.Equal(137, outcome.ExitCode);
            var ipynb = Path.Combine(outDir, "endless.ipynb");
            Assert.Equal("incomplete: saved after cell 2; the run had not finished, later cells not run", Status(ipynb));
            Assert.Equal(1, Cell(ipynb, "first").Json["execution_count"]!.GetValue<int>());
            Assert.Null(Cell(ipynb, "endless").Json["execution_count"]);
            Assert.Empty(Cell(ipynb, "endless").Outputs);
            // Earlier outputs are not deleted at the start; no temporary file is left.
            Assert.Equal("earlier HTML", File.ReadAllText(Path.Combine(outDir, "endless.html")));
            Assert.Equal(["endless.html", "endless.ipynb"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order());
        }

        [Fact]
        public async Task Should_Remove_Temp_Files_That_Killed_Runs_Left_Behind()
        {
            var notebook = Copy("failing");
            var outDir = Directory.CreateDirectory(Path.Combine(Root, "out")).FullName;
            int deadPid;
            using (var gone = Process.Start("true")!)
            {
                gone.WaitForExit();
                deadPid = gone.Id;
            }

            var stale = Path.Combine(outDir, $"failing.ipynb.tmp-{deadPid}");
            File.WriteAllText(stale, "{\"cells\": [");
            File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-1));

            var outcome = await RunnerProcess.RunAsync("run", notebook, "--out", outDir);

            Assert.Equal(1, outcome.ExitCode); // failing.ipynb fails at its second cell
            Assert.Contains($"Removed temporary files left by killed runs: failing.ipynb.tmp-{deadPid}", outcome.StandardOutput);
            Assert.Equal(["failing.html", "failing.ipynb"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order());
        }
    }

    [Trait("Category", "EndToEnd")]
    [Collection(Name)]
    public sealed class CellsThatDoNotEndWell : Scenario
    {
        [Fact]
        public async Task Should_Fail_A_Cell_That_Runs_Past_The_Timeout_And_Write_Both_Files()
        {
            var notebook = Copy("endless");
            var outDir = Path.Combine(Root, "out");

            var outcome = await RunnerProcess.RunAsync("run", notebook, "--out", outDir, "--cell-timeout", "15s");

            AssertCleanError(outcome, 1);
            Assert.Contains("error: cell 3 timed out after 15.0 s (--cell-timeout); the run stopped there.", outcome.StandardError);
            var ipynb = Path.Combine(outDir, "endless.ipynb");
            Assert.Equal("failed at cell 3: timed out", Status(ipynb));
            var error = Error(Cell(ipynb, "endless"));
            Assert.Equal("TimeoutException", error["ename"]!.GetValue<string>());
            Assert.StartsWith("TimeoutException: cell 3 timed out after 15.0 s", error["traceback"]![0]!.GetValue<string>());
            Assert.Empty(Cell(ipynb, "after").Outputs);
            Assert.Contains("failed at cell 3: timed out", File.ReadAllText(Path.Combine(outDir, "endless.html")));
        }

        [Fact]
        public async Task Should_Not_Exit_Zero_Without_Files_When_A_Cell_Calls_Environment_Exit()
        {
            var notebook = Copy("exits");
            var outDir = Path.Combine(Root, "out");

            var outcome = await RunnerProcess.RunAsync("run", notebook, "--out", outDir);

            AssertCleanError(outcome, 1);
            Assert.Contains("error: cell 3 (id exit) stopped the run: This cell called Environment.Exit(0)", outcome.StandardError);
            var ipynb = Path.Combine(outDir, "exits.ipynb");
            Assert.Equal("failed at cell 3: it called Environment.Exit", Status(ipynb));
            var exit = Cell(ipynb, "exit");
            Assert.Contains("about to exit", IpynbNotebook.JoinText(exit.Outputs[0]!["text"]));
            Assert.Equal("EnvironmentExit", Error(exit)["ename"]!.GetValue<string>());
            Assert.Empty(Cell(ipynb, "after").Outputs);
            Assert.Contains("failed at cell 3: it called Environment.Exit", File.ReadAllText(Path.Combine(outDir, "exits.html")));
        }

        [Fact]
        public async Task Should_Number_A_Failing_Cell_As_The_User_Does_With_Parameters_Injected()
        {
            var path = Path.Combine(Directory.CreateDirectory(Path.Combine(Root, "notebooks")).FullName, "params.ipynb");
            File.WriteAllText(path, """
                {"cells": [
                  {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": "intro"},
                  {"cell_type": "code", "id": "params", "metadata": {"tags": ["parameters"]}, "outputs": [], "execution_count": null, "source": "int n = 1;"},
                  {"cell_type": "code", "id": "boom", "metadata": {}, "outputs": [], "execution_count": null, "source": "throw new Exception($\"n is {n}\");"}],
                 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
                """);

            var outcome = await RunnerProcess.RunAsync("run", path, "--out", Path.Combine(Root, "out"), "-p", "n=2");

            AssertCleanError(outcome, 1);
            Assert.Contains("error: cell 3 (id boom) failed; later cells were not run.\nException: n is 2", outcome.StandardError);
            Assert.Contains("[2/3] the injected parameters cell", outcome.StandardOutput);
            Assert.Equal("failed at cell 3", Status(Path.Combine(Root, "out", "params.ipynb")));
        }
    }

    [Trait("Category", "EndToEnd")]
    [Collection(Name)]
    public sealed class FullDisk : Scenario
    {
        /// <summary>
        /// Runs the runner with <paramref name="outDir"/> on a 64 KiB tmpfs holding <paramref name="earlier"/> files
        /// and <paramref name="fillBytes"/> of filler, mounted in a private user and mount namespace (no root
        /// needed); the outcome's stdout ends with the folder's files and the content of each earlier file.
        /// </summary>
        private static async Task<RunnerOutcome> RunOnSmallDiskAsync(string outDir, int fillBytes, string[] earlier, params string[] args)
        {
            Skip.IfNot(UnshareWorks(), "this machine does not allow user namespaces (unshare -rm), so no small disk can be mounted");
            const string script = """
                out="$1"; fill="$2"; earlier="$3"; shift 3
                mount -t tmpfs -o size=64k tmpfs "$out" || exit 99
                for f in $earlier; do printf "earlier $f" > "$out/$f"; done
                head -c "$fill" /dev/zero > "$out/filler" 2>/dev/null
                "$@"; rc=$?
                echo "files: $(ls -A "$out" | tr '\n' ' ')"
                for f in $earlier; do echo "kept: $(cat "$out/$f" 2>/dev/null)"; done
                exit $rc
                """;
            return await RunningRunner.RunAsync(
                args, ["unshare", "-rm", "sh", "-c", script, "sh", outDir, fillBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(' ', earlier)]);
        }

        [SkippableFact]
        public async Task Should_Report_A_Full_Disk_And_Leave_The_Earlier_Notebook_Whole()
        {
            var notebook = Copy("failing");
            var outDir = Directory.CreateDirectory(Path.Combine(Root, "disk")).FullName;

            var outcome = await RunOnSmallDiskAsync(outDir, 1_000_000, ["failing.ipynb"], "run", notebook, "--out", outDir);

            AssertCleanError(outcome, 3);
            Assert.Contains($"error: could not write {Path.Combine(outDir, "failing.ipynb")}: No space left on device. The run stopped; the earlier failing.ipynb (if any) is unchanged.", outcome.StandardError);
            Assert.Contains("files: failing.ipynb filler \n", outcome.StandardOutput); // no temporary file, no HTML
            Assert.Contains("kept: earlier failing.ipynb", outcome.StandardOutput);
        }

        [SkippableFact]
        public async Task Should_Report_A_Disk_That_Fills_Up_At_The_Html_And_Remove_The_Earlier_Html()
        {
            // 16 pages: the earlier HTML 1, filler 13; the notebook (1 page, 2 while replaced) fits, the HTML (2) does not.
            var notebook = Copy("failing");
            var outDir = Directory.CreateDirectory(Path.Combine(Root, "disk")).FullName;

            var outcome = await RunOnSmallDiskAsync(outDir, 13 * 4096, ["failing.html"], "run", notebook, "--out", outDir);

            AssertCleanError(outcome, 3);
            Assert.Contains($"error: could not write {Path.Combine(outDir, "failing.html")}: No space left on device. ", outcome.StandardError);
            Assert.Contains("the earlier failing.html was removed so that it cannot pass for it.", outcome.StandardError);
            Assert.Contains("files: failing.ipynb filler \n", outcome.StandardOutput);
        }

        [SkippableFact]
        public async Task Should_Report_A_Full_Disk_On_Export_And_Keep_The_Earlier_Html()
        {
            var notebook = Copy("failing");
            var outDir = Directory.CreateDirectory(Path.Combine(Root, "disk")).FullName;

            var outcome = await RunOnSmallDiskAsync(outDir, 1_000_000, ["failing.html"], "export", notebook, "--out", Path.Combine(outDir, "failing.html"));

            AssertCleanError(outcome, 3);
            Assert.Contains($"error: could not write {Path.Combine(outDir, "failing.html")}: No space left on device. The earlier file (if any) is unchanged.", outcome.StandardError);
            Assert.Contains("files: failing.html filler \n", outcome.StandardOutput);
            Assert.Contains("kept: earlier failing.html", outcome.StandardOutput);
        }

        private static bool UnshareWorks()
        {
            try
            {
                using var probe = Process.Start(new ProcessStartInfo("unshare", ["-rm", "true"]) { RedirectStandardError = true })!;
                probe.WaitForExit();
                return probe.ExitCode == 0;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }
    }

    [Trait("Category", "EndToEnd")]
    [Collection(Name)]
    public sealed class MalformedNotebooks : Scenario
    {
        [Fact]
        public async Task Should_Exit_Two_Naming_The_File_And_The_Json_Path_For_Run_And_Export()
        {
            var path = Path.Combine(Directory.CreateDirectory(Path.Combine(Root, "notebooks")).FullName, "typed.ipynb");
            File.WriteAllText(path, """{"cells": [{"cell_type": "code", "source": ["x", 1]}], "metadata": {}, "nbformat": 4}""");
            var outDir = Path.Combine(Root, "out");

            var run = await RunnerProcess.RunAsync("run", path, "--out", outDir);
            var export = await RunnerProcess.RunAsync("export", path, "--out", Path.Combine(outDir, "typed.html"));

            foreach (var outcome in new[] { run, export })
            {
                AssertCleanError(outcome, 2);
                Assert.Contains($"{path}: $.cells[0].source[1] is the number 1; expected a string. (That is cell 1 of the notebook.)", outcome.StandardError);
            }

            Assert.False(File.Exists(Path.Combine(outDir, "typed.ipynb")));
            Assert.False(File.Exists(Path.Combine(outDir, "typed.html")));
        }
    }
}

[Trait("Category", "EndToEnd")]
[CollectionDefinition(RunReliabilityTests.Name, DisableParallelization = true)]
public sealed class RunReliabilityCollection
{
}
