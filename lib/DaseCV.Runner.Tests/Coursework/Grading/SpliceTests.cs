using DaseCV.Runner.Coursework;
using DaseCV.Runner.Coursework.Grading;

namespace DaseCV.Runner.Tests.Coursework.Grading;

/// <summary>
/// One exercise spliced at a time: the student's regions of that exercise in, the instructor's code in every other
/// exercise's regions, so a slip (here, text that is not C#) in one exercise cannot reach another's grade.
/// </summary>
public sealed class SpliceTests
{
    public sealed class TheRunMethod
    {
        private const string Slip = "this is not C# at all";
        private readonly string _course = TrackedCourse.Write((SyntheticCourse.ClassifierFile, SyntheticCourse.ClassifierSource));
        private readonly string _submission = TestPaths.NewTempDirectory();

        /// <summary>The student's copy: SoftmaxLoss.Naive done their own way, SvmLoss.Naive broken.</summary>
        public TheRunMethod()
        {
            foreach (var file in new[] { SyntheticCourse.LossFile, SyntheticCourse.ClassifierFile })
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_submission, file))!);
                File.Copy(Path.Combine(_course, file), Path.Combine(_submission, file));
            }

            var loss = Path.Combine(_submission, SyntheticCourse.LossFile);
            var text = File.ReadAllText(loss);
            File.WriteAllText(loss, SolutionMarkers.Replace(text, SolutionMarkers.Find(text, SyntheticCourse.LossFile),
                r => r.Function == "SvmLoss.Naive" ? r.Indent + Slip : r.Indent + "return (42, w); // the student's"));
        }

        private (IReadOnlyList<StudentFile> Files, IReadOnlyDictionary<string, string> Sources) Run(string exercise)
        {
            using var submission = Submission.Open(_submission);
            return Splice.Run(_course, CourseLayout.Default, submission, CourseLayout.Default.Find(exercise));
        }

        private static string Region(IReadOnlyDictionary<string, string> sources, string function) =>
            SolutionMarkers.Find(sources[SyntheticCourse.LossFile], SyntheticCourse.LossFile).Single(r => r.Function == function).Code;

        [Fact]
        public void Should_Put_Each_Of_A_Functions_Regions_Where_It_Stands_When_The_Function_Has_Two()
        {
            const string file = "lib/DaseCV/Classifiers/KNearestNeighbor.cs";
            const string start = "// *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****";
            const string end = "// *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****";
            string Source(string first, string second) => $$"""
                namespace DaseCV.Classifiers;

                public class KNearestNeighbor
                {
                    public int[] PredictLabels(int k)
                    {
                        int[] closestY = [];
                        {{start}}
                        {{first}}
                        {{end}}
                        var y = 0;
                        {{start}}
                        {{second}}
                        {{end}}
                        return [y];
                    }
                }
                """;
            var course = TrackedCourse.Write((file, Source("closestY = [1];", "y = 1;")));
            var submission = TestPaths.NewTempDirectory();
            Directory.CreateDirectory(Path.Combine(submission, "lib/DaseCV/Classifiers"));
            File.WriteAllText(Path.Combine(submission, file), Source("closestY = [2]; // first, the student's", "y = 2; // second, the student's"));

            using var opened = Submission.Open(submission);
            var (_, sources) = Splice.Run(course, CourseLayout.Default, opened, CourseLayout.Default.Find("knn"));

            var regions = SolutionMarkers.Find(sources[file], file);
            Assert.Equal(["KNearestNeighbor.PredictLabels", "KNearestNeighbor.PredictLabels"], regions.Select(r => r.Function));
            Assert.Contains("first, the student's", regions[0].Code);
            Assert.Contains("second, the student's", regions[1].Code);
        }

        [Fact]
        public void Should_Take_Only_The_Softmax_Regions_From_The_Student_For_Softmax()
        {
            var (files, sources) = Run("softmax");

            var file = Assert.Single(files);
            Assert.Null(file.Problem);
            Assert.Equal(["SoftmaxLoss.Naive"], file.Regions.Select(r => r.Function));
            Assert.Contains("the student's", Region(sources, "SoftmaxLoss.Naive"));
            Assert.DoesNotContain(Slip, sources[SyntheticCourse.LossFile]);
            Assert.Contains("return w.Sum(v => Math.Max(0, v + 1.25));", Region(sources, "SvmLoss.Naive"));
        }

        [Fact]
        public void Should_Take_Only_The_Svm_Regions_From_The_Student_For_Svm_Where_The_Slip_Costs()
        {
            var (files, sources) = Run("svm");

            Assert.Equal([SyntheticCourse.ClassifierFile, SyntheticCourse.LossFile], files.Select(f => f.RelativePath).Order(StringComparer.Ordinal));
            // The slip is not C#: the svm exercise's function throws, naming the problem; softmax's stays the instructor's.
            Assert.NotNull(files.Single(f => f.RelativePath == SyntheticCourse.LossFile).Problem);
            Assert.Contains("throw new NotImplementedException(", Region(sources, "SvmLoss.Naive"));
            Assert.DoesNotContain("the student's", sources[SyntheticCourse.LossFile]);
            Assert.Contains("loss /= n;", Region(sources, "SoftmaxLoss.Naive"));
        }

        [Fact]
        public void Should_Take_Nothing_From_The_Student_For_An_Exercise_Without_Regions()
        {
            var (files, sources) = Run("features");

            Assert.Empty(files);
            Assert.Equal(File.ReadAllText(Path.Combine(_course, SyntheticCourse.LossFile)), sources[SyntheticCourse.LossFile]);
        }
    }
}
