using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Ipynb;
using DaseCV.Runner.Commands;

namespace DaseCV.Runner.Tests.Coursework;

public sealed class SubmitCommandTests
{
    private static IpynbNotebook Executed(params (int? Count, bool Error)[] cells)
    {
        var array = new JsonArray();
        foreach (var (count, error) in cells)
        {
            var cell = IpynbCell.NewCode("Console.WriteLine(1);");
            cell.Json["execution_count"] = count;
            if (error)
                cell.Outputs.Add(new JsonObject { ["output_type"] = "error", ["ename"] = "E", ["evalue"] = "boom", ["traceback"] = new JsonArray() });
            array.Add(cell.Json);
        }

        var root = new JsonObject { ["cells"] = array, ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5 };
        return IpynbNotebook.Parse(root.ToJsonString(), "softmax.ipynb");
    }

    public sealed class TheRefuseIncompleteRunMethod
    {
        [Fact]
        public void Should_Accept_A_Notebook_Run_Top_To_Bottom()
        {
            SubmitCommand.RefuseIncompleteRun(Executed((1, false), (2, false), (3, false)), "softmax.ipynb");
        }

        [Fact]
        public void Should_Refuse_A_Cell_That_Has_Not_Run()
        {
            var e = Assert.Throws<UsageException>(() => SubmitCommand.RefuseIncompleteRun(Executed((1, false), (null, false)), "softmax.ipynb"));

            Assert.Contains("has not run top to bottom: cell 2 has not run", e.Message);
        }

        [Fact]
        public void Should_Refuse_Cells_Run_Out_Of_Order()
        {
            var e = Assert.Throws<UsageException>(() => SubmitCommand.RefuseIncompleteRun(Executed((1, false), (5, false), (3, false)), "softmax.ipynb"));

            Assert.Contains("cell 3 ran as [3] after [5]", e.Message);
        }

        [Fact]
        public void Should_Refuse_A_Cell_That_Failed()
        {
            var e = Assert.Throws<UsageException>(() => SubmitCommand.RefuseIncompleteRun(Executed((1, false), (2, true)), "softmax.ipynb"));

            Assert.Contains("cell 2 ended with an error", e.Message);
        }
    }

    public sealed class TheWithCodeAppendixMethod
    {
        [Fact]
        public void Should_Put_Each_Region_Named_By_Function_And_File_Before_The_End_Of_The_Body()
        {
            var region = SolutionMarkers.Find(SyntheticCourse.LossSource, SyntheticCourse.LossFile)[0];

            var html = SubmitCommand.WithCodeAppendix("<html><body><main>notebook</main></body></html>", [(SyntheticCourse.LossFile, region)]);

            Assert.Matches("notebook</main><section id=\"student-code\"[^>]*>", html);
            Assert.Contains("<code>SoftmaxLoss.Naive</code> — <code>lib/DaseCV/Classifiers/Loss.cs</code>", html);
            Assert.Contains("loss /= n;", html);
            Assert.EndsWith("</section>\n</body></html>", html);
        }
    }

    public sealed class TheCommand
    {
        private static async Task<(int ExitCode, string Output)> Submit(string workingDirectory, params string[] args)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = workingDirectory,
            };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "DaseCV.Runner.dll"), "submit" }.Concat(args))
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout + await stderr);
        }

        [Fact]
        public async Task Should_Zip_The_Executed_Notebook_Its_Html_With_The_Code_And_The_Marked_Files()
        {
            var repository = SyntheticCourse.Write();
            var zip = Path.Combine(TestPaths.NewTempDirectory(), "submission.zip");

            var (exitCode, output) = await Submit(repository, "--executed", "notebooks/softmax.ipynb", "--out", zip);

            Assert.True(exitCode == 0, output);
            using var archive = ZipFile.OpenRead(zip);
            Assert.Equal(["lib/DaseCV/Classifiers/Loss.cs", "notebooks/softmax.ipynb", "softmax.html"], archive.Entries.Select(e => e.FullName).Order());
            using var html = new StreamReader(archive.GetEntry("softmax.html")!.Open());
            var text = await html.ReadToEndAsync();
            Assert.Contains("<code>SvmLoss.Naive</code> — <code>lib/DaseCV/Classifiers/Loss.cs</code>", text);
            // The code is highlighted: its text is there once the markup is taken away.
            Assert.Contains("SecretSquare(w[i])", System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(text, "<[^>]+>", "")));
        }

        [Fact]
        public async Task Should_Refuse_While_A_Stub_Remains_Naming_Function_And_File()
        {
            var release = Path.Combine(TestPaths.NewTempDirectory(), "handout");
            Handout.Write(SyntheticCourse.Write(), release, CourseLayout.Default, keepSvm: false);
            var zip = Path.Combine(TestPaths.NewTempDirectory(), "submission.zip");

            var (exitCode, output) = await Submit(release, "--executed", "notebooks/softmax.ipynb", "--out", zip);

            Assert.Equal(2, exitCode);
            Assert.Contains("SoftmaxLoss.Naive in lib/DaseCV/Classifiers/Loss.cs", output);
            Assert.DoesNotContain("   at ", output);
            Assert.False(File.Exists(zip));
        }
    }
}
