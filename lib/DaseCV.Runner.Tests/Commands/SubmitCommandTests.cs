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

            Assert.Contains("has not run top to bottom: 单元（cell）“Console.WriteLine(1);” has not run", e.Message);
            Assert.StartsWith("softmax.ipynb 没有从头到尾运行", e.Message);
        }

        [Fact]
        public void Should_Refuse_Cells_Run_Out_Of_Order()
        {
            var e = Assert.Throws<UsageException>(() => SubmitCommand.RefuseIncompleteRun(Executed((1, false), (5, false), (3, false)), "softmax.ipynb"));

            Assert.Contains("“Console.WriteLine(1);” ran as [3] after [5]", e.Message);
        }

        [Fact]
        public void Should_Refuse_A_Cell_That_Failed()
        {
            var e = Assert.Throws<UsageException>(() => SubmitCommand.RefuseIncompleteRun(Executed((1, false), (2, true)), "softmax.ipynb"));

            Assert.Contains("“Console.WriteLine(1);” ended with an error", e.Message);
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

        /// <summary>The synthetic course with a parameters cell naming the student, run before the other cells.</summary>
        private static string Course(string name = "张三", string id = "2023001")
        {
            var repository = SyntheticCourse.Write();
            var path = Path.Combine(repository, CourseLayout.Default.Notebook);
            var notebook = IpynbNotebook.Load(path);
            var parameters = IpynbCell.NewCode($"string studentName = \"{name}\";\nstring studentId = \"{id}\";");
            parameters.Json["metadata"] = new JsonObject { ["tags"] = new JsonArray("parameters") };
            var count = 1;
            var cells = (JsonArray)notebook.Root["cells"]!;
            cells.Insert(0, parameters.Json);
            foreach (var cell in cells.OfType<JsonObject>().Where(c => c["cell_type"]!.GetValue<string>() == "code"))
                cell["execution_count"] = count++;
            notebook.Save(path);
            return repository;
        }

        private static string NewZip() => Path.Combine(TestPaths.NewTempDirectory(), "submission.zip");

        [Fact]
        public async Task Should_Record_Name_Id_And_The_Hash_Of_The_Code_In_The_Manifest()
        {
            var repository = Course();
            var zip = NewZip();

            var (exitCode, output) = await Submit(repository, "--executed", "notebooks/softmax.ipynb", "--out", zip);

            Assert.True(exitCode == 0, output);
            using var archive = ZipFile.OpenRead(zip);
            string Entry(string name)
            {
                using var reader = new StreamReader(archive.GetEntry(name)!.Open());
                return reader.ReadToEnd();
            }

            var manifest = JsonNode.Parse(Entry(SubmissionManifest.EntryName))!;
            Assert.Equal(1, manifest["format"]!.GetValue<int>());
            Assert.Equal("张三", manifest["studentName"]!.GetValue<string>());
            Assert.Equal("2023001", manifest["studentId"]!.GetValue<string>());
            Assert.Equal("executed", manifest["producedBy"]!.GetValue<string>());
            var regions = SolutionMarkers.Find(Entry(SyntheticCourse.LossFile), SyntheticCourse.LossFile).Select(r => (SyntheticCourse.LossFile, r));
            var notebook = IpynbNotebook.Parse(Entry(CourseLayout.Default.Notebook), "softmax.ipynb");
            Assert.Equal(SubmissionManifest.CodeHash(regions, notebook), manifest["codeSha256"]!.GetValue<string>());
            Assert.Matches("^[0-9a-f]{64}$", manifest["codeSha256"]!.GetValue<string>());
            // Another region's code gives another hash.
            Assert.NotEqual(SubmissionManifest.CodeHash(regions.Select(r => (r.Item1, r.r with { Code = r.r.Code + " " })), notebook), manifest["codeSha256"]!.GetValue<string>());
        }

        [Theory]
        [InlineData("notebooks/softmax.ipynb")]
        [InlineData("lib/DaseCV/Classifiers/Loss.cs")]
        [InlineData("notes.txt")]
        public async Task Should_Never_Write_Over_An_Input_Or_A_Source_File(string target)
        {
            var repository = Course();
            var path = Path.Combine(repository, target);
            if (!File.Exists(path))
                File.WriteAllText(path, "my notes");
            var before = File.ReadAllBytes(path);

            var (exitCode, output) = await Submit(repository, "--executed", "notebooks/softmax.ipynb", "--out", target);

            Assert.Equal(2, exitCode);
            Assert.Contains(".zip", output);
            Assert.Equal(before, File.ReadAllBytes(path));
        }

        [Fact]
        public async Task Should_Refuse_An_Existing_File_Named_Zip_That_Is_Not_One()
        {
            var repository = Course();
            var zip = NewZip();
            File.WriteAllText(zip, "not a zip: my essay");

            var (exitCode, output) = await Submit(repository, "--executed", "notebooks/softmax.ipynb", "--out", zip);

            Assert.Equal(2, exitCode);
            Assert.Contains("不是 zip 文件", output);
            Assert.Equal("not a zip: my essay", File.ReadAllText(zip));
        }

        [Fact]
        public async Task Should_Replace_An_Earlier_Submission()
        {
            var repository = Course();
            var zip = NewZip();
            Assert.Equal(0, (await Submit(repository, "--executed", "notebooks/softmax.ipynb", "--out", zip)).ExitCode);

            var (exitCode, output) = await Submit(repository, "--executed", "notebooks/softmax.ipynb", "--out", zip);

            Assert.True(exitCode == 0, output);
            Assert.Contains("已写出", output);
        }

        [Theory]
        [InlineData("", "2023001", "姓名 studentName 是空的")]
        [InlineData("张三", " ", "学号 studentId 是空的")]
        public async Task Should_Refuse_An_Empty_Name_Or_Id(string name, string id, string expected)
        {
            var zip = NewZip();

            var (exitCode, output) = await Submit(Course(name, id), "--executed", "notebooks/softmax.ipynb", "--out", zip);

            Assert.Equal(2, exitCode);
            Assert.Contains(expected, output);
            Assert.False(File.Exists(zip));
        }

        [Fact]
        public async Task Should_Refuse_Code_Edited_After_The_Notebook_Was_Saved()
        {
            var repository = Course();
            File.SetLastWriteTimeUtc(Path.Combine(repository, SyntheticCourse.LossFile), DateTime.UtcNow.AddMinutes(1));
            var zip = NewZip();

            var (exitCode, output) = await Submit(repository, "--executed", "notebooks/softmax.ipynb", "--out", zip);

            Assert.Equal(2, exitCode);
            Assert.Contains("changed after the notebook was saved", output);
            Assert.False(File.Exists(zip));
        }

        [Fact]
        public async Task Should_Not_Need_The_Svm_Exercise()
        {
            var repository = Course();
            var loss = Path.Combine(repository, SyntheticCourse.LossFile);
            File.WriteAllText(loss, File.ReadAllText(loss).Replace("return w.Sum(v => Math.Max(0, v + 1.25));", "throw new NotImplementedException();"));
            File.SetLastWriteTimeUtc(loss, DateTime.UtcNow.AddMinutes(-1));
            var zip = NewZip();

            var (exitCode, output) = await Submit(repository, "--executed", "notebooks/softmax.ipynb", "--out", zip);

            Assert.True(exitCode == 0, output);
        }

        [Fact]
        public async Task Should_Zip_The_Executed_Notebook_Its_Html_With_The_Code_And_The_Marked_Files()
        {
            var repository = Course();
            var zip = Path.Combine(TestPaths.NewTempDirectory(), "submission.zip");

            var (exitCode, output) = await Submit(repository, "--executed", "notebooks/softmax.ipynb", "--out", zip);

            Assert.True(exitCode == 0, output);
            using var archive = ZipFile.OpenRead(zip);
            Assert.Equal(["lib/DaseCV/Classifiers/Loss.cs", "notebooks/softmax.ipynb", "softmax.html", "submission.json"], archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
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
            Handout.Write(TrackedCourse.Write(), release, CourseLayout.Default, includeSvmExercise: true);
            var zip = Path.Combine(TestPaths.NewTempDirectory(), "submission.zip");

            var (exitCode, output) = await Submit(release, "--executed", "notebooks/softmax.ipynb", "--out", zip);

            Assert.Equal(2, exitCode);
            Assert.Contains("SoftmaxLoss.Naive（lib/DaseCV/Classifiers/Loss.cs）", output);
            Assert.DoesNotContain("SvmLoss.Naive", output); // stubbed too in this combined release, but not softmax's
            Assert.Contains("单元（cell）“double[] learningRates = [1e-7, 2e-7];”（notebooks/softmax.ipynb）", output);
            Assert.DoesNotContain("   at ", output);
            Assert.False(File.Exists(zip));
        }
    }
}
