using DaseCV.Runner.Coursework;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Coursework;

public sealed class HandoutTests
{
    public sealed class TheWriteMethod
    {
        private readonly string _repository = SyntheticCourse.Write();
        private readonly string _out = Path.Combine(TestPaths.NewTempDirectory(), "handout");

        private string Read(string relative) => File.ReadAllText(Path.Combine(_out, relative));

        [Fact]
        public void Should_Replace_Each_Region_By_A_Stub_Naming_Function_And_File_Below_The_Todo()
        {
            var summary = Handout.Write(_repository, _out, CourseLayout.Default, keepSvm: false);

            var loss = Read(SyntheticCourse.LossFile);
            Assert.Contains("// 需要完成的事: 计算损失和梯度。", loss);
            Assert.Contains("throw new NotImplementedException(\"not implemented yet: complete SoftmaxLoss.Naive in lib/DaseCV/Classifiers/Loss.cs", loss);
            Assert.Contains("complete SvmLoss.Naive in lib/DaseCV/Classifiers/Loss.cs", loss);
            Assert.Equal(2, SolutionMarkers.Find(loss, "Loss.cs").Count);
            Assert.Contains("lib/DaseCV/Classifiers/Loss.cs: SoftmaxLoss.Naive", summary.Stubbed);
        }

        [Fact]
        public void Should_Leave_No_Solution_Line_In_The_Release()
        {
            Handout.Write(_repository, _out, CourseLayout.Default, keepSvm: false);

            var solution = SolutionMarkers.Find(SyntheticCourse.LossSource, "Loss.cs").SelectMany(r => SolutionMarkers.SubstantialLines(r.Code)).ToList();
            var released = Read(SyntheticCourse.LossFile);
            Assert.NotEmpty(solution);
            Assert.All(solution, line => Assert.DoesNotContain(line, released));
            Assert.DoesNotContain(SyntheticCourse.TuningSolution, Read(CourseLayout.Default.Notebook));
        }

        [Fact]
        public void Should_Keep_The_Svm_Exercise_Solved_When_Asked()
        {
            var summary = Handout.Write(_repository, _out, CourseLayout.Default, keepSvm: true);

            var loss = Read(SyntheticCourse.LossFile);
            Assert.Contains("return w.Sum(v => Math.Max(0, v + 1.25));", loss);
            Assert.DoesNotContain("loss /= n;", loss);
            Assert.Equal(["lib/DaseCV/Classifiers/Loss.cs: SvmLoss.Naive"], summary.KeptSolved);
        }

        [Fact]
        public void Should_Clear_Outputs_Blank_Answers_And_Stub_The_Marked_Cell()
        {
            Handout.Write(_repository, _out, CourseLayout.Default, keepSvm: false);

            var notebook = IpynbNotebook.Load(Path.Combine(_out, CourseLayout.Default.Notebook));
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
            Assert.Contains("not implemented yet: complete the marked block of cell 3 in notebooks/softmax.ipynb", tuning);
            Assert.Contains("Console.WriteLine(bestSoftmax);", tuning);
        }

        [Fact]
        public void Should_Leave_Out_Instructor_Files_Build_Outputs_And_Data()
        {
            var summary = Handout.Write(_repository, _out, CourseLayout.Default, keepSvm: false);

            Assert.False(Directory.Exists(Path.Combine(_out, "lib/DaseCV.Grader")));
            Assert.False(File.Exists(Path.Combine(_out, "lib/DaseCV.Tests/Classifiers/LossTests.cs")));
            Assert.True(File.Exists(Path.Combine(_out, "lib/DaseCV.Tests/Data/DataTests.cs")));
            Assert.False(Directory.Exists(Path.Combine(_out, "lib/DaseCV/bin")));
            Assert.False(Directory.Exists(Path.Combine(_out, "data/cifar-10-batches-bin")));
            Assert.True(File.Exists(Path.Combine(_out, "data/README.md")));
            Assert.Equal(2, summary.FilesLeftOut);
            var solution = Read("DaseCV.slnx");
            Assert.DoesNotContain("DaseCV.Grader", solution);
            Assert.Contains("<Project Path=\"lib/DaseCV/DaseCV.csproj\" />", solution);
        }

        [Fact]
        public void Should_Refuse_A_Folder_That_Is_Not_Empty_And_Write_Nothing()
        {
            Directory.CreateDirectory(_out);
            File.WriteAllText(Path.Combine(_out, "keep.txt"), "mine");

            var e = Assert.Throws<UsageException>(() => Handout.Write(_repository, _out, CourseLayout.Default, keepSvm: false));

            Assert.Contains("is not empty", e.Message);
            Assert.Equal(["keep.txt"], Directory.EnumerateFileSystemEntries(_out).Select(Path.GetFileName));
        }

        [Fact]
        public void Should_Refuse_An_Output_Folder_That_Contains_The_Repository()
        {
            var e = Assert.Throws<UsageException>(() => Handout.Write(_repository, Path.GetDirectoryName(_repository)!, CourseLayout.Default, keepSvm: false));

            Assert.Contains("contains the repository", e.Message);
        }
    }
}
