using DaseCV.Runner.Coursework;
using DaseCV.Runner.IO;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Coursework;

public sealed class HandoutTests
{
    private static readonly IReadOnlyList<Exercise> All = CourseLayout.Default.Exercises;
    private static readonly IReadOnlyList<Exercise> Softmax = [CourseLayout.Default.Find("softmax")];
    private static readonly string SoftmaxNotebook = Softmax[0].Notebook;

    public sealed class TheWriteMethod
    {
        private readonly string _repository = TrackedCourse.Write();
        private readonly string _out = Path.Combine(TestPaths.NewTempDirectory(), "handout");

        private string Read(string relative) => File.ReadAllText(Path.Combine(_out, relative));

        [Fact]
        public void Should_Replace_Each_Region_By_A_Stub_Naming_Function_And_File_Below_The_Todo()
        {
            var summary = Handout.Write(_repository, _out, CourseLayout.Default, All);

            var loss = Read(SyntheticCourse.LossFile);
            Assert.Contains("// 需要完成的事: 计算损失和梯度。", loss);
            Assert.Contains("throw new NotImplementedException(\"尚未完成：请在 lib/DaseCV/Classifiers/Loss.cs 中完成 SoftmaxLoss.Naive", loss);
            Assert.Contains("(not implemented yet: complete SoftmaxLoss.Naive in lib/DaseCV/Classifiers/Loss.cs)", loss);
            Assert.Contains("complete SvmLoss.Naive in lib/DaseCV/Classifiers/Loss.cs", loss);
            Assert.Equal(2, SolutionMarkers.Find(loss, "Loss.cs").Count);
            Assert.Contains("lib/DaseCV/Classifiers/Loss.cs: SoftmaxLoss.Naive", summary.Stubbed);
        }

        [Fact]
        public void Should_Leave_No_Solution_Line_In_The_Release()
        {
            Handout.Write(_repository, _out, CourseLayout.Default, All);

            var solution = SolutionMarkers.Find(SyntheticCourse.LossSource, "Loss.cs").SelectMany(r => SolutionMarkers.SubstantialLines(r.Code)).ToList();
            var released = Read(SyntheticCourse.LossFile);
            Assert.NotEmpty(solution);
            Assert.All(solution, line => Assert.DoesNotContain(line, released));
            Assert.DoesNotContain(SyntheticCourse.TuningSolution, Read(SoftmaxNotebook));
        }

        [Fact]
        public void Should_Withhold_Another_Exercises_Solution_That_No_Released_Exercise_Calls()
        {
            var summary = Handout.Write(_repository, _out, CourseLayout.Default, Softmax);

            var loss = Read(SyntheticCourse.LossFile);
            Assert.DoesNotContain("return w.Sum(v => Math.Max(0, v + 1.25));", loss);
            Assert.Contains("complete SvmLoss.Naive in lib/DaseCV/Classifiers/Loss.cs", loss);
            Assert.DoesNotContain("loss /= n;", loss);
            Assert.Equal(["lib/DaseCV/Classifiers/Loss.cs: SvmLoss.Naive"], summary.Withheld);
            Assert.Empty(summary.KeptSolved);
            Assert.Equal(["lib/DaseCV/Classifiers/Loss.cs: SoftmaxLoss.Naive", "notebooks/softmax.ipynb: cell 3"], summary.Stubbed);
        }

        [Fact]
        public void Should_Clear_Outputs_Blank_Answers_And_Stub_The_Marked_Cell()
        {
            Handout.Write(_repository, _out, CourseLayout.Default, All);

            var notebook = IpynbNotebook.Load(Path.Combine(_out, SoftmaxNotebook));
            Assert.All(notebook.Cells.Where(c => c.Type == "code"), c =>
            {
                Assert.Empty(c.Outputs);
                Assert.Null(c.Json["execution_count"]);
            });
            Assert.Null(notebook.Metadata["dasecv_runner"]);
            var answer = Assert.Single(NotebookAnswers.Find(notebook));
            Assert.False(answer.IsAnswered);
            Assert.DoesNotContain(SyntheticCourse.AnswerText, notebook.ToJson());
            var tuning = notebook.Cells[2].Source;
            Assert.Contains("// 需要完成的事: 调整超参数。", tuning);
            // Named by its first line, as the student finds it; a quote in that line stays inside the C# string.
            Assert.Contains("throw new NotImplementedException(\"尚未完成：请在 notebooks/softmax.ipynb 中完成 单元（cell）“double[] learningRates = [1e-7, 2e-7];”", tuning);
            Assert.Contains("Console.WriteLine(bestSoftmax);", tuning);
        }

        [Fact]
        public void Should_Leave_Out_Instructor_Files_Build_Outputs_And_Data()
        {
            var summary = Handout.Write(_repository, _out, CourseLayout.Default, All);

            Assert.False(Directory.Exists(Path.Combine(_out, "lib/DaseCV.Grader")));
            Assert.False(File.Exists(Path.Combine(_out, "lib/DaseCV.Tests/Classifiers/LossTests.cs")));
            Assert.False(File.Exists(Path.Combine(_out, "lib/DaseCV.Tests/Data/DataTests.cs"))); // the library's own tests are not the student's
            Assert.False(Directory.Exists(Path.Combine(_out, "lib/DaseCV/bin")));
            Assert.False(Directory.Exists(Path.Combine(_out, "data/cifar-10-batches-bin")));
            Assert.True(File.Exists(Path.Combine(_out, "data/README.md")));
            Assert.Equal(5, summary.FilesLeftOut); // the grader, two test files, both READMEs (the student's is written as README.md)
            Assert.True(File.Exists(Path.Combine(_out, ReleaseManifest.RelativePath)));
            var solution = Read("DaseCV.slnx");
            Assert.DoesNotContain("DaseCV.Grader", solution);
            Assert.Contains("<Project Path=\"lib/DaseCV/DaseCV.csproj\" />", solution);
        }

        [Fact]
        public void Should_Take_Only_Files_Git_Tracks()
        {
            // What an instructor's working tree collects: backups, merge leftovers, Jupyter checkpoints, grades.
            TrackedCourse.Put(_repository, "lib/DaseCV/Classifiers/Loss.cs~", SyntheticCourse.LossSource);
            TrackedCourse.Put(_repository, "lib/DaseCV/Classifiers/Loss.cs.orig", SyntheticCourse.LossSource);
            TrackedCourse.Put(_repository, "notebooks/.ipynb_checkpoints/softmax-checkpoint.ipynb", SyntheticCourse.AnswerText);
            TrackedCourse.Put(_repository, "grades/2023001.json", "{\"score\": 97}");

            Handout.Write(_repository, _out, CourseLayout.Default, Softmax);

            var files = Directory.EnumerateFiles(_out, "*", SearchOption.AllDirectories).Select(f => CourseLayout.ToRelative(_out, f)).Order(StringComparer.Ordinal).ToList();
            Assert.Equal([".dasecv/release.json", "DaseCV.slnx", "README.md", "data/README.md", "lib/DaseCV/Classifiers/Loss.cs",
                "lib/DaseCV/DaseCV.csproj", "lib/DaseCV/Plain.cs", "notebooks/softmax.ipynb"], files);
        }

        [Fact]
        public void Should_Write_The_Student_Readme_Instead_Of_The_Instructors()
        {
            Handout.Write(_repository, _out, CourseLayout.Default, Softmax);

            Assert.Equal(TrackedCourse.StudentReadmeText, Read("README.md"));
            Assert.False(File.Exists(Path.Combine(_out, CourseLayout.Default.StudentReadme)));
        }

        [Fact]
        public void Should_Refuse_A_Folder_That_Is_Not_A_Git_Checkout()
        {
            // The same refusal whether or not the temporary folder lies inside some git work tree (TMPDIR may).
            var e = Assert.Throws<UsageException>(() => Handout.Write(SyntheticCourse.Write(), _out, CourseLayout.Default, All));

            Assert.Contains("git's tracked files", e.Message);
            Assert.False(Directory.Exists(_out));
        }

        [Fact]
        public void Should_Refuse_A_Course_Folder_Inside_Another_Git_Work_Tree_That_Does_Not_Track_It()
        {
            var outer = TestPaths.NewTempDirectory();
            TrackedCourse.Git(outer, "init", "-q");
            var course = Path.Combine(outer, "unpacked");
            Directory.Move(SyntheticCourse.Write(), course);

            var e = Assert.Throws<UsageException>(() => Handout.Write(course, _out, CourseLayout.Default, All));

            Assert.Contains("git tracks no file under", e.Message);
            Assert.False(Directory.Exists(_out));
        }

        [Fact]
        public void Should_List_A_Function_With_Two_Marked_Regions_Once()
        {
            // SvmLoss.Naive's code split in two regions, as LinearClassifier.Train is.
            TrackedCourse.Put(_repository, SyntheticCourse.LossFile, SyntheticCourse.LossSource.Replace("return w.Sum(v => Math.Max(0, v + 1.25));",
                $"var margin = 1.25;\n{SolutionMarkers.End}\n{SolutionMarkers.Start}\nreturn w.Sum(v => Math.Max(0, v + margin));"));
            Assert.Equal(3, SolutionMarkers.Find(File.ReadAllText(Path.Combine(_repository, SyntheticCourse.LossFile)), "Loss.cs").Count);

            var kept = Handout.Write(_repository, _out, CourseLayout.Default, Softmax).Withheld;
            var stubbed = Handout.Write(_repository, _out + "-combined", CourseLayout.Default, All).Stubbed;

            Assert.Equal(["lib/DaseCV/Classifiers/Loss.cs: SvmLoss.Naive"], kept); // withheld from the softmax release
            Assert.Single(stubbed, s => s.EndsWith("SvmLoss.Naive", StringComparison.Ordinal));
        }

        [Fact]
        public void Should_Refuse_A_Folder_That_Is_Not_Empty_And_Write_Nothing()
        {
            Directory.CreateDirectory(_out);
            File.WriteAllText(Path.Combine(_out, "keep.txt"), "mine");

            var e = Assert.Throws<UsageException>(() => Handout.Write(_repository, _out, CourseLayout.Default, All));

            Assert.Contains("is not empty", e.Message);
            Assert.Equal(["keep.txt"], Directory.EnumerateFileSystemEntries(_out).Select(Path.GetFileName));
        }

        [Fact]
        public void Should_Refuse_An_Output_Folder_That_Contains_The_Repository()
        {
            var e = Assert.Throws<UsageException>(() => Handout.Write(_repository, Path.GetDirectoryName(_repository)!, CourseLayout.Default, All));

            Assert.Contains("contains the repository", e.Message);
        }
    }

    /// <summary>A course of two exercises: softmax (SoftmaxLoss.Naive), and svm (SvmLoss.Naive, LinearClassifier.Train, which softmax calls).</summary>
    public sealed class TheWriteMethodForChosenExercises
    {
        private readonly string _repository = TrackedCourse.Write(
            (SyntheticCourse.ClassifierFile, SyntheticCourse.ClassifierSource), ("notebooks/svm.ipynb", SyntheticCourse.SvmNotebook().ToJson()));
        private readonly string _out = Path.Combine(TestPaths.NewTempDirectory(), "handout");

        private string Read(string relative) => File.ReadAllText(Path.Combine(_out, relative));

        private IReadOnlyList<string> Released() => ReleaseManifest.Read(_out, CourseLayout.Default).Select(e => e.Id).ToList();

        [Fact]
        public void Should_Release_Softmax_Alone_With_The_Classifier_It_Calls_Solved()
        {
            var summary = Handout.Write(_repository, _out, CourseLayout.Default, CourseLayout.Default.Choose(["softmax"]));

            Assert.Equal(["softmax"], Released());
            Assert.False(File.Exists(Path.Combine(_out, "notebooks/svm.ipynb")));
            Assert.True(File.Exists(Path.Combine(_out, "notebooks/softmax.ipynb")));
            Assert.Contains("return 6 * 7;", Read(SyntheticCourse.ClassifierFile));
            Assert.Equal(["lib/DaseCV/Classifiers/LinearClassifier.cs: LinearClassifier.Train"], summary.KeptSolved);
            Assert.Equal(["lib/DaseCV/Classifiers/Loss.cs: SvmLoss.Naive"], summary.Withheld);
        }

        [Fact]
        public void Should_Release_Svm_Alone_With_Its_Parts_Stubbed_And_Softmax_Withheld()
        {
            var summary = Handout.Write(_repository, _out, CourseLayout.Default, CourseLayout.Default.Choose(["svm"]));

            Assert.Equal(["svm"], Released());
            Assert.False(File.Exists(Path.Combine(_out, "notebooks/softmax.ipynb")));
            var notebook = IpynbNotebook.Load(Path.Combine(_out, "notebooks/svm.ipynb"));
            Assert.DoesNotContain(SyntheticCourse.SvmTuningSolution, notebook.ToJson());
            Assert.All(notebook.Cells.Where(c => c.Type == "code"), c => Assert.Empty(c.Outputs));
            Assert.False(Assert.Single(NotebookAnswers.Find(notebook)).IsAnswered);
            Assert.DoesNotContain("return 6 * 7;", Read(SyntheticCourse.ClassifierFile));
            Assert.Equal(["lib/DaseCV/Classifiers/LinearClassifier.cs: LinearClassifier.Train", "lib/DaseCV/Classifiers/Loss.cs: SvmLoss.Naive", "notebooks/svm.ipynb: cell 3"],
                summary.Stubbed.Order(StringComparer.Ordinal));
            Assert.Equal(["lib/DaseCV/Classifiers/Loss.cs: SoftmaxLoss.Naive"], summary.Withheld);
            Assert.Empty(summary.KeptSolved);
        }

        [Fact]
        public void Should_Release_Every_Exercise_By_Default_With_Nothing_Solved()
        {
            var summary = Handout.Write(_repository, _out, CourseLayout.Default, CourseLayout.Default.Choose([]));

            Assert.Equal(CourseLayout.Default.Exercises.Select(e => e.Id), Released());
            Assert.True(File.Exists(Path.Combine(_out, "notebooks/svm.ipynb")));
            Assert.True(File.Exists(Path.Combine(_out, "notebooks/softmax.ipynb")));
            Assert.Empty(summary.KeptSolved);
            Assert.Empty(summary.Withheld);
            Assert.Equal(5, summary.Stubbed.Count);
        }

        [Fact]
        public void Should_Name_An_Unknown_Exercise_And_The_Courses()
        {
            var e = Assert.Throws<UsageException>(() => CourseLayout.Default.Choose(["svm,cnn"]));

            Assert.Contains("'cnn'", e.Message);
            Assert.Contains("knn, svm, softmax, two_layer_net, features", e.Message);
        }
    }
}

/// <summary><see cref="SyntheticCourse"/> as a git checkout with every file tracked, plus an instructor README and the student README.</summary>
internal static class TrackedCourse
{
    public const string StudentReadmeText = "# 学生的 README\n";

    /// <param name="extra">More files (path, text), tracked too.</param>
    public static string Write(params (string Path, string Text)[] extra)
    {
        var root = SyntheticCourse.Write();
        foreach (var (path, text) in extra)
            Put(root, path, text);
        Put(root, "README.md", "# For instructors\n");
        Put(root, CourseLayout.Default.StudentReadme, StudentReadmeText);
        Git(root, "init", "-q");
        Git(root, "add", "-A");
        // data/ and bin/ are ignored by the real repository's .gitignore; force them in to check the release's own filter.
        Git(root, "add", "-f", "data", "lib/DaseCV/bin");
        return root;
    }

    public static void Put(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public static void Git(string root, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var git = System.Diagnostics.Process.Start(start)!;
        var errors = git.StandardError.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', arguments)}: {errors}");
    }
}
