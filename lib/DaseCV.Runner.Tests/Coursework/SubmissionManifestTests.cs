using DaseCV.Runner.Coursework;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Coursework;

public sealed class SubmissionManifestTests
{
    public sealed class TheVerifyMethod
    {
        private readonly string _folder = SyntheticCourse.Write();
        private readonly string _notebook = CourseLayout.Default.Notebook;

        private string? Find(string relativePath) =>
            Path.Combine(_folder, relativePath) is var path && File.Exists(path) ? path : null;

        /// <summary>submission.json as submit writes it, for the folder's code as it is now.</summary>
        private void WriteManifest()
        {
            var file = SyntheticCourse.LossFile;
            var regions = SolutionMarkers.Find(File.ReadAllText(Path.Combine(_folder, file)), file).Select(r => (file, r));
            var hash = SubmissionManifest.CodeHash(regions, IpynbNotebook.Load(Path.Combine(_folder, _notebook)));
            File.WriteAllText(Path.Combine(_folder, SubmissionManifest.EntryName),
                SubmissionManifest.ToJson(hash, "张三", "2023001", _notebook, [file], "submit"));
        }

        private string Verify() => SubmissionManifest.Verify(Find, [SyntheticCourse.LossFile], _notebook);

        [Fact]
        public void Should_Say_The_Outputs_Came_From_This_Code_When_The_Hash_Matches()
        {
            WriteManifest();

            Assert.Contains("the outputs came from this code", Verify());
        }

        [Fact]
        public void Should_Say_The_Code_Changed_When_A_Region_Was_Edited_After_The_Run()
        {
            WriteManifest();
            var path = Path.Combine(_folder, SyntheticCourse.LossFile);
            var text = File.ReadAllText(path);
            Assert.Contains("loss /= n;", text);
            File.WriteAllText(path, text.Replace("loss /= n;", "loss /= 2 * n;"));

            Assert.Contains("the code or notebook changed after the run", Verify());
        }

        [Fact]
        public void Should_Say_When_The_Submission_Was_Not_Made_By_Submit()
        {
            Assert.Contains("not made by submit", Verify());
        }
    }

    public sealed class TheReadMethod
    {
        private static readonly SubmissionState State = new(
            ["SoftmaxLoss.Vectorized", "tuning", "问题 2"],
            new RunStop("单元（cell）“SoftmaxLoss.Naive(W, XDev, yDev, 0.000005);”", "47486440c9bb", "SoftmaxLoss.Vectorized", 9),
            new RunSettings("synthetic", new Dictionary<string, string> { ["dataset"] = "synthetic", ["numIters"] = "100" },
                [new RunSettings.Difference("dataset", "synthetic", "cifar10"), new RunSettings.Difference("numTraining", null, "49000")]));

        [Fact]
        public void Should_Read_Back_What_Is_Missing_And_What_Ran()
        {
            var json = SubmissionManifest.ToJson(new string('a', 64), "张三", "2023001", "notebooks/softmax.ipynb", ["lib/DaseCV/Classifiers/SoftmaxLoss.cs"], "submit", State);

            var read = SubmissionManifest.Read(json);

            Assert.Equal((SubmissionManifest.Format, "张三", "2023001", "submit"), (read.Format, read.StudentName, read.StudentId, read.ProducedBy));
            Assert.NotNull(read.State);
            Assert.Equal(State.Missing, read.State.Missing);
            Assert.Equal(State.StoppedAt, read.State.StoppedAt);
            Assert.Equal("synthetic", read.State.Settings.Dataset);
            Assert.Equal(State.Settings.Parameters, read.State.Settings.Parameters);
            Assert.Equal(State.Settings.Differences, read.State.Settings.Differences);
            Assert.False(read.State.Settings.AreTheAssignments);
            Assert.Contains("\"问题 2\"", json); // readable, not \u-escaped
        }

        [Fact]
        public void Should_Read_A_Format_1_Manifest_Without_A_State()
        {
            var json = """{ "format": 1, "studentName": "张三", "studentId": "2023001", "notebook": "n", "files": [], "codeSha256": "x", "producedBy": "executed" }""";

            var read = SubmissionManifest.Read(json);

            Assert.Equal(1, read.Format);
            Assert.Null(read.State);
        }

        [Theory]
        [InlineData("[1, 2]", "is not a JSON object")]
        [InlineData("{ \"format\": 2,", "is not valid JSON")]
        [InlineData("{ \"format\": 2, \"studentName\": 7, \"studentId\": \"1\", \"producedBy\": \"submit\" }", "\"studentName\" is missing or not a String")]
        public void Should_Name_What_Is_Wrong_With_A_Manifest(string json, string expected)
        {
            var e = Assert.Throws<InvalidDataException>(() => SubmissionManifest.Read(json));

            Assert.Contains(expected, e.Message);
        }
    }
}
