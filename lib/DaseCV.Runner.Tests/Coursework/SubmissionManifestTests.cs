using DaseCV.Runner.Coursework;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Coursework;

public sealed class SubmissionManifestTests
{
    public sealed class TheVerifyMethod
    {
        private readonly string _folder = SyntheticCourse.Write();
        private static readonly Exercise Softmax = CourseLayout.Default.Find("softmax");
        private readonly string _notebook = Softmax.Notebook;

        private string? Find(string relativePath) =>
            Path.Combine(_folder, relativePath) is var path && File.Exists(path) ? path : null;

        /// <summary>submission.json as submit writes it, for the folder's code as it is now.</summary>
        private void WriteManifest()
        {
            var file = SyntheticCourse.LossFile;
            var regions = SolutionMarkers.Find(File.ReadAllText(Path.Combine(_folder, file)), file).Select(r => (file, r)).Where(r => Softmax.Owns(r.r.Function));
            var hash = SubmissionManifest.CodeHash(regions, IpynbNotebook.Load(Path.Combine(_folder, _notebook)));
            File.WriteAllText(Path.Combine(_folder, SubmissionManifest.EntryName),
                SubmissionManifest.ToJson("张三", "2023001", [file], "submit", [new ExerciseEntry("softmax", _notebook, hash, null)]));
        }

        private string Verify() => SubmissionManifest.Verify(Find, [SyntheticCourse.LossFile], Softmax);

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
        public void Should_Not_Count_An_Edit_In_Another_Exercises_Region_Against_This_One()
        {
            WriteManifest();
            var path = Path.Combine(_folder, SyntheticCourse.LossFile);
            var text = File.ReadAllText(path);
            Assert.Contains("v + 1.25", text);
            File.WriteAllText(path, text.Replace("v + 1.25", "v + 2.5"));

            Assert.Contains("the outputs came from this code", Verify());
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
        public void Should_Read_Back_What_Is_Missing_And_What_Ran_For_Each_Exercise()
        {
            var json = SubmissionManifest.ToJson("张三", "2023001", ["lib/DaseCV/Classifiers/SoftmaxLoss.cs"], "submit",
            [
                new ExerciseEntry("svm", "notebooks/svm.ipynb", null, null, "没有运行 (not run)"),
                new ExerciseEntry("softmax", "notebooks/softmax.ipynb", new string('a', 64), State),
            ]);

            var read = SubmissionManifest.Read(json);

            Assert.Equal((SubmissionManifest.Format, "张三", "2023001", "submit"), (read.Format, read.StudentName, read.StudentId, read.ProducedBy));
            Assert.Equal(["svm", "softmax"], read.Exercises.Select(e => e.Id));
            Assert.False(read.Exercises[0].IsHandedIn);
            Assert.Equal("没有运行 (not run)", read.Exercises[0].NotHandedIn);
            var softmax = read.Exercises[1];
            Assert.True(softmax.IsHandedIn);
            Assert.Equal(new string('a', 64), softmax.CodeHash);
            Assert.NotNull(softmax.State);
            Assert.Equal(State.Missing, softmax.State.Missing);
            Assert.Equal(State.StoppedAt, softmax.State.StoppedAt);
            Assert.Equal("synthetic", softmax.State.Settings.Dataset);
            Assert.Equal(State.Settings.Parameters, softmax.State.Settings.Parameters);
            Assert.Equal(State.Settings.Differences, softmax.State.Settings.Differences);
            Assert.False(softmax.State.Settings.AreTheAssignments);
            Assert.Equal(["svm", "softmax: SoftmaxLoss.Vectorized", "softmax: tuning", "softmax: 问题 2"],
                System.Text.Json.Nodes.JsonNode.Parse(json)!["missing"]!.AsArray().Select(m => m!.GetValue<string>()));
            Assert.Contains("\"问题 2\"", json); // readable, not \u-escaped
        }

        [Fact]
        public void Should_Read_A_Format_2_Manifest_As_The_Softmax_Exercise()
        {
            var json = """{ "format": 2, "studentName": "张三", "studentId": "2023001", "notebook": "notebooks/softmax.ipynb", "files": [], "codeSha256": "x", "producedBy": "submit", "missing": ["tuning"] }""";

            var read = SubmissionManifest.Read(json);

            var softmax = Assert.Single(read.Exercises);
            Assert.Equal(("softmax", "x", true), (softmax.Id, softmax.CodeHash, softmax.IsHandedIn));
            Assert.Equal(["tuning"], softmax.State!.Missing);
        }

        [Fact]
        public void Should_Read_A_Format_1_Manifest_Without_A_State()
        {
            var json = """{ "format": 1, "studentName": "张三", "studentId": "2023001", "notebook": "n", "files": [], "codeSha256": "x", "producedBy": "executed" }""";

            var read = SubmissionManifest.Read(json);

            Assert.Equal(1, read.Format);
            Assert.Null(Assert.Single(read.Exercises).State);
        }

        [Theory]
        [InlineData("[1, 2]", "is not a JSON object")]
        [InlineData("{ \"format\": 2,", "is not valid JSON")]
        [InlineData("{ \"format\": 2, \"studentName\": 7, \"studentId\": \"1\", \"producedBy\": \"submit\" }", "\"studentName\" is missing or not a String")]
        [InlineData("{ \"format\": 3, \"studentName\": \"a\", \"studentId\": \"1\", \"producedBy\": \"submit\" }", "\"exercises\" is missing or not a list")]
        [InlineData("{ \"format\": 3, \"studentName\": \"a\", \"studentId\": \"1\", \"producedBy\": \"submit\", \"exercises\": [{ \"id\": \"svm\" }] }", "\"handedIn\" is missing")]
        public void Should_Name_What_Is_Wrong_With_A_Manifest(string json, string expected)
        {
            var e = Assert.Throws<InvalidDataException>(() => SubmissionManifest.Read(json));

            Assert.Contains(expected, e.Message);
        }
    }
}
