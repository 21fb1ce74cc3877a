using DaseCV.Runner.Coursework;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Coursework;

public sealed class UnfinishedWorkTests
{
    private static readonly Exercise Softmax = CourseLayout.Default.Find("softmax");

    public sealed class TheFindMethod
    {
        [Fact]
        public void Should_List_Softmax_Stubs_The_Tuning_Cell_And_Unanswered_Questions_But_Not_The_Svm_Exercise()
        {
            // The whole assignment's release: every region is a stub, the answer a placeholder.
            var release = Path.Combine(TestPaths.NewTempDirectory(), "handout");
            Handout.Write(TrackedCourse.Write(), release, CourseLayout.Default, CourseLayout.Default.Exercises);
            var notebook = IpynbNotebook.Load(Path.Combine(release, Softmax.Notebook));
            var exercise = Softmax with { TuningCell = notebook.Cells[2].Id! };

            var parts = UnfinishedWork.Find(CourseLayout.Default.MarkedRegions(release), exercise, notebook);

            Assert.Equal(["SoftmaxLoss.Naive", UnfinishedWork.TuningPart, "问题 1"], parts.Select(p => p.Name));
            Assert.Equal(SolutionMarkers.StubKey("SoftmaxLoss.Naive", SyntheticCourse.LossFile), parts[0].StubKey);
            Assert.Contains("“double[] learningRates = [1e-7, 2e-7];”", parts[1].Where);
            Assert.True(parts[2].IsAnswer);
        }

        [Fact]
        public void Should_Find_Nothing_In_Finished_Work()
        {
            var course = SyntheticCourse.Write();
            var notebook = IpynbNotebook.Load(Path.Combine(course, Softmax.Notebook));

            Assert.Empty(UnfinishedWork.Find(CourseLayout.Default.MarkedRegions(course), Softmax, notebook));
        }
    }
}
