using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using DaseCV.Runner.Commands;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.IO;
using DaseCV.Runner.Ipynb;

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

    /// <summary>Gives code cell <paramref name="index"/> (0-based, code cells only) the error output a failing cell gets.</summary>
    private static IpynbNotebook Failing(IpynbNotebook notebook, int index, string ename, string evalue)
    {
        var cell = notebook.Cells.Where(c => c.Type == "code").ElementAt(index);
        cell.Outputs.Add(new JsonObject { ["output_type"] = "error", ["ename"] = ename, ["evalue"] = evalue, ["traceback"] = new JsonArray($"{ename}: {evalue}") });
        return notebook;
    }

    private static readonly UnfinishedPart Vectorized = new("SoftmaxLoss.Vectorized", "lib/DaseCV/Classifiers/SoftmaxLoss.cs",
        SolutionMarkers.StubKey("SoftmaxLoss.Vectorized", "lib/DaseCV/Classifiers/SoftmaxLoss.cs"));

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

        [Fact]
        public void Should_Return_Where_A_Run_Stopped_At_The_Stub_Of_An_Unfinished_Part()
        {
            var notebook = Failing(Executed((1, false), (2, false), (null, false), (null, false)), 1, "NotImplementedException",
                SolutionMarkers.StubMessage("SoftmaxLoss.Vectorized", "lib/DaseCV/Classifiers/SoftmaxLoss.cs"));

            var stop = SubmitCommand.RefuseIncompleteRun(notebook, "softmax.ipynb", [Vectorized]);

            Assert.NotNull(stop);
            Assert.Equal("SoftmaxLoss.Vectorized", stop.Part);
            Assert.Equal(2, stop.CellsNotRun);
            Assert.Equal("单元（cell）“Console.WriteLine(1);”", stop.Cell);
            Assert.Null(SubmitCommand.RefuseIncompleteRun(Executed((1, false), (2, false)), "softmax.ipynb", [Vectorized]));
        }

        [Fact]
        public void Should_Read_A_Stub_Error_As_A_Jupyter_Front_End_Saves_It()
        {
            var notebook = Failing(Executed((1, false), (null, false)), 0, "Error",
                "System.NotImplementedException: " + SolutionMarkers.StubMessage("SoftmaxLoss.Vectorized", "lib/DaseCV/Classifiers/SoftmaxLoss.cs") + "\n   at Submission#7.<<Initialize>>d__0.MoveNext()");

            Assert.Equal("SoftmaxLoss.Vectorized", SubmitCommand.RefuseIncompleteRun(notebook, "softmax.ipynb", [Vectorized])?.Part);
        }

        [Theory]
        [InlineData("InvalidOperationException", "boom")]
        [InlineData("NotImplementedException", "not implemented yet: complete SoftmaxLoss.Naive in lib/DaseCV/Classifiers/SoftmaxLoss.cs")] // a finished part's stub, copied
        [InlineData("IndexOutOfRangeException", "not implemented yet: complete SoftmaxLoss.Vectorized in lib/DaseCV/Classifiers/SoftmaxLoss.cs")]
        public void Should_Refuse_A_Failure_That_Is_Not_The_Stub_Of_An_Unfinished_Part(string ename, string evalue)
        {
            var notebook = Failing(Executed((1, false), (null, false)), 0, ename, evalue);

            var e = Assert.Throws<UsageException>(() => SubmitCommand.RefuseIncompleteRun(notebook, "softmax.ipynb", [Vectorized]));

            Assert.Contains("ended with an error", e.Message);
        }

        [Fact]
        public void Should_Refuse_Outputs_Of_An_Earlier_Run_After_The_Stub_That_Stopped_It()
        {
            var notebook = Failing(Executed((1, false), (2, false), (9, false)), 1, "NotImplementedException",
                SolutionMarkers.StubMessage("SoftmaxLoss.Vectorized", "lib/DaseCV/Classifiers/SoftmaxLoss.cs"));

            var e = Assert.Throws<UsageException>(() => SubmitCommand.RefuseIncompleteRun(notebook, "softmax.ipynb", [Vectorized]));

            Assert.StartsWith("softmax.ipynb：notebook 在单元（cell）“Console.WriteLine(1);”停下了", e.Message);
            Assert.Contains("Clear All Outputs", e.Message);
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

        /// <summary>The assignment's settings as the notebook's parameters cell declares them.</summary>
        private const string AssignmentSettings = """
            string Param(string name, string fallback) => Environment.GetEnvironmentVariable("DASECV_" + name) ?? fallback;
            string dataset = Param("DATASET", "cifar10");
            int numIters = int.Parse(Param("NUM_ITERS", "2000"));
            int numTraining = int.Parse(Param("NUM_TRAINING", "49000"));
            int numValidation = int.Parse(Param("NUM_VALIDATION", "1000"));
            int numTest = int.Parse(Param("NUM_TEST", "1000"));
            int numDev = int.Parse(Param("NUM_DEV", "500"));
            """;

        /// <summary>
        /// The synthetic course with a parameters cell naming the student (and <paramref name="settings"/>), run before
        /// the other cells; its marked cell has the real tuning cell's id.
        /// </summary>
        private static string Course(string name = "张三", string id = "2023001", string settings = AssignmentSettings)
        {
            var repository = SyntheticCourse.Write();
            var path = Path.Combine(repository, CourseLayout.Default.Find("softmax").Notebook);
            var notebook = IpynbNotebook.Load(path);
            var parameters = IpynbCell.NewCode($"{settings}\nstring studentName = \"{name}\";\nstring studentId = \"{id}\";");
            parameters.Json["metadata"] = new JsonObject { ["tags"] = new JsonArray("parameters") };
            var count = 1;
            var cells = (JsonArray)notebook.Root["cells"]!;
            cells.Insert(0, parameters.Json);
            foreach (var cell in cells.OfType<JsonObject>().Where(c => c["cell_type"]!.GetValue<string>() == "code"))
                cell["execution_count"] = count++;
            cells.OfType<JsonObject>().Last()["id"] = CourseLayout.Default.Find("softmax").TuningCell;
            notebook.Save(path);
            return repository;
        }

        /// <summary>
        /// The course as a student leaves it who stopped early: <paramref name="stub"/> changes the loss file, code cell
        /// <paramref name="failing"/> failed with <paramref name="evalue"/>, the cells after it never ran. The code is
        /// older than the notebook, as after a Run All; <paramref name="editCells"/> changes each cell's source.
        /// </summary>
        private static string Stopped(Func<string, string> stub, int failing, string ename, string evalue, Func<string, string>? editCells = null)
        {
            var repository = Course();
            var loss = Path.Combine(repository, SyntheticCourse.LossFile);
            File.WriteAllText(loss, stub(File.ReadAllText(loss)));
            File.SetLastWriteTimeUtc(loss, DateTime.UtcNow.AddMinutes(-1));
            var path = Path.Combine(repository, CourseLayout.Default.Find("softmax").Notebook);
            var notebook = IpynbNotebook.Load(path);
            foreach (var cell in notebook.Cells)
                cell.Json["source"] = (editCells ?? (t => t))(cell.Source);
            foreach (var cell in notebook.Cells.Where(c => c.Type == "code").Skip(failing + 1))
            {
                cell.Json["execution_count"] = null;
                cell.Outputs.Clear();
            }

            Failing(notebook, failing, ename, evalue).Save(path);
            return repository;
        }

        private static string StubNaive(string source) =>
            source.Replace("for (int i = 0; i < w.Length; i++) loss += SecretSquare(w[i]);\n        loss /= n;",
                $"throw new NotImplementedException(\"{SolutionMarkers.StubMessage("SoftmaxLoss.Naive", SyntheticCourse.LossFile)}\");");

        private static JsonNode Manifest(string zip)
        {
            using var archive = ZipFile.OpenRead(zip);
            using var reader = new StreamReader(archive.GetEntry(SubmissionManifest.EntryName)!.Open());
            return JsonNode.Parse(reader.ReadToEnd())!;
        }

        /// <summary>The softmax exercise's entry in a manifest.</summary>
        private static JsonNode Softmax(JsonNode manifest) => Exercise(manifest, "softmax");

        private static JsonNode Exercise(JsonNode manifest, string id) => manifest["exercises"]!.AsArray().Single(e => e!["id"]!.GetValue<string>() == id)!;

        /// <summary>The course of <see cref="Course"/> with the SVM exercise's notebook too, run and answered (and <paramref name="edit"/>ed).</summary>
        private static string TwoExercises(Func<IpynbNotebook, IpynbNotebook>? edit = null)
        {
            var repository = Course();
            var svm = Path.Combine(repository, CourseLayout.Default.Find("svm").Notebook);
            (edit ?? (n => n))(SyntheticCourse.SvmNotebook()).Save(svm);
            File.SetLastWriteTimeUtc(Path.Combine(repository, SyntheticCourse.LossFile), DateTime.UtcNow.AddMinutes(-1));
            return repository;
        }

        [Fact]
        public async Task Should_Hand_In_The_Exercises_Given_And_List_One_Not_Run_As_Missing()
        {
            var repository = TwoExercises();
            var zip = NewZip();

            var (exitCode, output) = await Submit(repository, "--executed", "notebooks/softmax.ipynb", "--out", zip);

            Assert.True(exitCode == 0, output);
            Assert.Contains("警告：练习 svm 不会被提交", output);
            using (var archive = ZipFile.OpenRead(zip))
                Assert.Equal(["lib/DaseCV/Classifiers/Loss.cs", "notebooks/softmax.ipynb", "softmax.html", "submission.json"],
                    archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
            var manifest = Manifest(zip);
            Assert.Equal(["svm", "softmax"], manifest["exercises"]!.AsArray().Select(e => e!["id"]!.GetValue<string>()));
            Assert.Equal(["svm"], manifest["missing"]!.AsArray().Select(m => m!.GetValue<string>()));
            var svm = Exercise(manifest, "svm");
            Assert.False(svm["handedIn"]!.GetValue<bool>());
            Assert.Contains("no --executed svm.ipynb was given", svm["reason"]!.GetValue<string>());
            Assert.True(Softmax(manifest)["handedIn"]!.GetValue<bool>());
        }

        [Fact]
        public async Task Should_Hand_In_Both_Exercises_With_Their_Own_Hashes_And_Pages()
        {
            var repository = TwoExercises();
            var zip = NewZip();

            var (exitCode, output) = await Submit(repository, "--executed", "notebooks/softmax.ipynb", "--executed", "notebooks/svm.ipynb", "--out", zip);

            Assert.True(exitCode == 0, output);
            using (var archive = ZipFile.OpenRead(zip))
                Assert.Equal(["lib/DaseCV/Classifiers/Loss.cs", "notebooks/softmax.ipynb", "notebooks/svm.ipynb", "softmax.html", "submission.json", "svm.html"],
                    archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
            var manifest = Manifest(zip);
            Assert.Empty(manifest["missing"]!.AsArray());
            Assert.NotEqual(Softmax(manifest)["codeSha256"]!.GetValue<string>(), Exercise(manifest, "svm")["codeSha256"]!.GetValue<string>());
        }

        [Fact]
        public async Task Should_Hand_In_The_Finished_Exercise_When_Another_Failed_Not_At_A_Stub()
        {
            var repository = TwoExercises(n => Failing(n, 1, "IndexOutOfRangeException", "Index was outside the bounds of the array."));
            var zip = NewZip();

            var (exitCode, output) = await Submit(repository, "--executed", "notebooks/softmax.ipynb", "--executed", "notebooks/svm.ipynb", "--out", zip);

            Assert.True(exitCode == 0, output);
            var svm = Exercise(Manifest(zip), "svm");
            Assert.False(svm["handedIn"]!.GetValue<bool>());
            Assert.Contains("ended with an error", svm["reason"]!.GetValue<string>());
            Assert.True(Softmax(Manifest(zip))["handedIn"]!.GetValue<bool>());
        }

        [Fact]
        public async Task Should_Hand_In_Another_Exercise_Alone_Given_By_Its_Path()
        {
            var repository = TwoExercises();
            var zip = NewZip();

            var (exitCode, output) = await Submit(repository, "--executed", Path.Combine(repository, "notebooks/svm.ipynb"), "--out", zip);

            Assert.True(exitCode == 0, output);
            Assert.Equal(["softmax"], Manifest(zip)["missing"]!.AsArray().Select(m => m!.GetValue<string>()));
        }

        [Fact]
        public async Task Should_Hand_In_Only_The_Exercises_Chosen()
        {
            var repository = TwoExercises();
            var zip = NewZip();

            var (exitCode, output) = await Submit(repository, "--exercise", "svm", "--executed", "notebooks/svm.ipynb", "--out", zip);
            var (refused, why) = await Submit(repository, "--exercise", "knn", "--out", NewZip());

            Assert.True(exitCode == 0, output);
            var svmOnly = Manifest(zip);
            Assert.Equal(["softmax"], svmOnly["missing"]!.AsArray().Select(m => m!.GetValue<string>()));
            Assert.Contains("not chosen: submit --exercise svm", Softmax(svmOnly)["reason"]!.GetValue<string>());
            Assert.Equal(2, refused);
            Assert.Contains("the exercise knn is not in your copy of the assignment: svm, softmax", why);
        }

        [Fact]
        public async Task Should_Refuse_When_No_Exercise_Can_Be_Handed_In_Naming_Each_Reason()
        {
            var repository = TwoExercises(n => Failing(n, 1, "IndexOutOfRangeException", "Index was outside the bounds of the array."));
            var zip = NewZip();

            var (exitCode, output) = await Submit(repository, "--executed", "notebooks/svm.ipynb", "--out", zip);

            Assert.Equal(2, exitCode);
            Assert.Contains("no exercise can be handed in", output);
            Assert.Contains("svm: ", output);
            Assert.Contains("softmax: ", output);
            Assert.DoesNotContain("   at ", output);
            Assert.False(File.Exists(zip));
        }

        [Fact]
        public async Task Should_Refuse_Two_Notebooks_For_One_Exercise_And_A_Notebook_Of_No_Exercise()
        {
            var repository = TwoExercises();
            var zip = NewZip();

            var (twice, why) = await Submit(repository, "--executed", Path.Combine(repository, "notebooks/svm.ipynb"), "--executed", "notebooks/svm.ipynb", "--out", zip);
            File.Copy(Path.Combine(repository, "notebooks/svm.ipynb"), Path.Combine(repository, "notebooks/mine.ipynb"));
            var (other, whyOther) = await Submit(repository, "--executed", "notebooks/mine.ipynb", "--out", zip);

            Assert.Equal((2, 2), (twice, other));
            Assert.Contains("--executed names two notebooks for svm", why);
            Assert.Contains("notebooks/mine.ipynb is not the notebook of a released exercise: svm.ipynb, softmax.ipynb", whyOther);
            Assert.False(File.Exists(zip));
        }

        private static string NewZip() => Path.Combine(TestPaths.NewTempDirectory(), "submission.zip");

        /// <summary>submit --executed of <paramref name="repository"/>: refused (exit 2) with <paramref name="expected"/> in its output, no zip written.</summary>
        private static async Task AssertRefused(string repository, string expected)
        {
            var zip = NewZip();

            var (exitCode, output) = await Submit(repository, "--executed", "notebooks/softmax.ipynb", "--out", zip);

            Assert.Equal(2, exitCode);
            Assert.Contains(expected, output);
            Assert.False(File.Exists(zip));
        }

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
            Assert.Equal(SubmissionManifest.Format, manifest["format"]!.GetValue<int>());
            Assert.Equal("张三", manifest["studentName"]!.GetValue<string>());
            Assert.Equal("2023001", manifest["studentId"]!.GetValue<string>());
            Assert.Equal("executed", manifest["producedBy"]!.GetValue<string>());
            // The hash covers the exercise's own regions (SoftmaxLoss.Naive), not the SVM exercise's in the same file.
            var regions = SolutionMarkers.Find(Entry(SyntheticCourse.LossFile), SyntheticCourse.LossFile).Select(r => (SyntheticCourse.LossFile, r)).ToList();
            var notebook = IpynbNotebook.Parse(Entry(CourseLayout.Default.Find("softmax").Notebook), "softmax.ipynb");
            var hash = Softmax(manifest)["codeSha256"]!.GetValue<string>();
            Assert.Equal(SubmissionManifest.CodeHash(regions.Where(r => r.r.Function.StartsWith("SoftmaxLoss.", StringComparison.Ordinal)), notebook), hash);
            Assert.Matches("^[0-9a-f]{64}$", hash);
            // Another region's code gives another hash.
            Assert.NotEqual(SubmissionManifest.CodeHash(regions.Select(r => (r.Item1, r.r with { Code = r.r.Code + " " })), notebook), hash);
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
        public async Task Should_Refuse_An_Empty_Name_Or_Id(string name, string id, string expected) => await AssertRefused(Course(name, id), expected);

        [Fact]
        public async Task Should_Refuse_Code_Edited_After_The_Notebook_Was_Saved()
        {
            var repository = Course();
            File.SetLastWriteTimeUtc(Path.Combine(repository, SyntheticCourse.LossFile), DateTime.UtcNow.AddMinutes(1));

            await AssertRefused(repository, "changed after the notebook was saved");
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
            // The appendix is this exercise's code: SoftmaxLoss.Naive, not the SVM exercise's function in the same file.
            Assert.Contains("<code>SoftmaxLoss.Naive</code> — <code>lib/DaseCV/Classifiers/Loss.cs</code>", text);
            Assert.DoesNotContain("<code>SvmLoss.Naive</code>", text);
            // The code is highlighted: its text is there once the markup is taken away.
            Assert.Contains("SecretSquare(w[i])", System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(text, "<[^>]+>", "")));
        }

        [Fact]
        public async Task Should_Refuse_A_Release_Whose_Notebook_Has_Not_Run()
        {
            var release = Path.Combine(TestPaths.NewTempDirectory(), "handout");
            Handout.Write(TrackedCourse.Write(), release, CourseLayout.Default, CourseLayout.Default.Exercises);
            var zip = Path.Combine(TestPaths.NewTempDirectory(), "submission.zip");

            var (exitCode, output) = await Submit(release, "-p", "studentName=张三", "-p", "studentId=2023001", "--executed", "notebooks/softmax.ipynb", "--out", zip);

            Assert.Equal(2, exitCode);
            Assert.DoesNotContain("   at ", output);
            Assert.False(File.Exists(zip));
        }

        [Fact]
        public async Task Should_Hand_In_Unfinished_Work_After_A_Warning_And_List_What_Is_Missing()
        {
            // Naive is still the stub, so the first cell that calls it failed and the run stopped there; 问题 1 is blank.
            var repository = Stopped(StubNaive, 1, "NotImplementedException", SolutionMarkers.StubMessage("SoftmaxLoss.Naive", SyntheticCourse.LossFile),
                source => source.Replace(SyntheticCourse.AnswerText.Trim('*'), NotebookAnswers.PlaceholderText));
            var zip = NewZip();

            var (exitCode, output) = await Submit(repository, "--executed", "notebooks/softmax.ipynb", "--out", zip);

            Assert.True(exitCode == 0, output);
            var warning = output.IndexOf("警告：练习 softmax 还没有全部完成", StringComparison.Ordinal);
            Assert.True(warning >= 0 && warning < output.IndexOf("(warning: the exercise softmax is unfinished", StringComparison.Ordinal), output);
            Assert.Contains("SoftmaxLoss.Naive（lib/DaseCV/Classifiers/Loss.cs）：还是抛出 NotImplementedException 的桩代码", output);
            Assert.Contains("问题 1：还没有回答", output);
            var manifest = Manifest(zip);
            Assert.Equal(["softmax: SoftmaxLoss.Naive", "softmax: 问题 1"], manifest["missing"]!.AsArray().Select(m => m!.GetValue<string>()));
            var softmax = Softmax(manifest);
            Assert.Equal(["SoftmaxLoss.Naive", "问题 1"], softmax["missing"]!.AsArray().Select(m => m!.GetValue<string>()));
            Assert.Equal("SoftmaxLoss.Naive", softmax["stoppedAt"]!["part"]!.GetValue<string>());
            Assert.Equal(1, softmax["stoppedAt"]!["cellsNotRun"]!.GetValue<int>());
            Assert.Equal("单元（cell）“Console.WriteLine(1);”", softmax["stoppedAt"]!["cell"]!.GetValue<string>());
        }

        [Fact]
        public async Task Should_Name_The_Unfinished_Tuning_Cell_Tuning()
        {
            var stub = SolutionMarkers.StubMessage("单元（cell）“double[] learningRates = [1e-7, 2e-7];”", CourseLayout.Default.Find("softmax").Notebook);
            var repository = Stopped(source => source, 2, "NotImplementedException", stub,
                source => source.Replace(SyntheticCourse.TuningSolution, $"throw new NotImplementedException(\"{stub}\");"));
            var zip = NewZip();

            var (exitCode, output) = await Submit(repository, "--executed", "notebooks/softmax.ipynb", "--out", zip);

            Assert.True(exitCode == 0, output);
            var manifest = Softmax(Manifest(zip));
            Assert.Equal(["tuning"], manifest["missing"]!.AsArray().Select(m => m!.GetValue<string>()));
            Assert.Equal("tuning", manifest["stoppedAt"]!["part"]!.GetValue<string>());
            Assert.Equal(0, manifest["stoppedAt"]!["cellsNotRun"]!.GetValue<int>());
        }

        [Fact]
        public async Task Should_Refuse_Unfinished_Work_That_Failed_For_Another_Reason() =>
            await AssertRefused(Stopped(StubNaive, 1, "InvalidCastException", "Unable to cast object"), "“Console.WriteLine(1);” ended with an error");

        [Fact]
        public async Task Should_Record_A_Complete_Run_With_The_Assignments_Settings()
        {
            var zip = NewZip();

            var (exitCode, output) = await Submit(Course(), "--executed", "notebooks/softmax.ipynb", "--out", zip);

            Assert.True(exitCode == 0, output);
            Assert.DoesNotContain("警告", output);
            Assert.Empty(Manifest(zip)["missing"]!.AsArray());
            var manifest = Softmax(Manifest(zip));
            Assert.True(manifest["handedIn"]!.GetValue<bool>());
            Assert.Empty(manifest["missing"]!.AsArray());
            Assert.Null(manifest["stoppedAt"]);
            Assert.Equal("cifar10", manifest["dataset"]!.GetValue<string>());
            Assert.Equal("2000", manifest["parameters"]!["numIters"]!.GetValue<string>());
            Assert.True(manifest["assignmentSettings"]!.GetValue<bool>());
        }

        [Fact]
        public async Task Should_Warn_About_And_Record_A_Run_Not_On_The_Assignments_Settings()
        {
            var zip = NewZip();
            var repository = Course(settings: AssignmentSettings.Replace("\"cifar10\"", "\"synthetic\"").Replace("\"2000\"", "\"100\""));

            var (exitCode, output) = await Submit(repository, "--executed", "notebooks/softmax.ipynb", "--out", zip);

            Assert.True(exitCode == 0, output);
            Assert.Contains("警告：softmax 这次运行没有使用作业的设置：dataset=synthetic (cifar10), numIters=100 (2000)", output);
            Assert.Contains("(warning: this run of softmax did not use the assignment's settings", output);
            var manifest = Softmax(Manifest(zip));
            Assert.Equal("synthetic", manifest["dataset"]!.GetValue<string>());
            Assert.False(manifest["assignmentSettings"]!.GetValue<bool>());
            Assert.Equal(["dataset", "numIters"], manifest["settingsDiffer"]!.AsArray().Select(d => d!["name"]!.GetValue<string>()));
        }
    }
}
