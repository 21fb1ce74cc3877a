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
}
