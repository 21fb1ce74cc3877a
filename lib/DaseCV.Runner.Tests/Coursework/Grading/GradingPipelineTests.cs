using DaseCV.Grader;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Coursework.Grading;
using DaseCV.Runner.IO;

namespace DaseCV.Runner.Tests.Coursework.Grading;

public sealed class GradingPipelineTests
{
    /// <summary>Which exercises a grading covers, and what the grader is asked for: each exercise with checks, by its id.</summary>
    public sealed class TheGradedMethod
    {
        private static CatalogEntry Check(string exercise, string id = "c", string kind = "code") => new(id, "n", 1, "visible", kind, "t", exercise);

        [Fact]
        public void Should_Grade_Every_Exercise_With_Checks_In_The_Courses_Order_By_Default()
        {
            var graded = GradingPipeline.Graded(CourseLayout.Default, [Check("softmax"), Check("knn"), Check("features", "answer-1", "answer")], null);

            Assert.Equal(["knn", "softmax", "features"], graded.Select(e => e.Id));
        }

        [Fact]
        public void Should_Grade_The_Exercises_Asked_For()
        {
            var graded = GradingPipeline.Graded(CourseLayout.Default, [Check("softmax"), Check("knn"), Check("svm")], ["svm,knn"]);

            Assert.Equal(["knn", "svm"], graded.Select(e => e.Id));
        }

        [Fact]
        public void Should_Refuse_An_Exercise_The_Grader_Has_No_Checks_For()
        {
            var e = Assert.Throws<UsageException>(() => GradingPipeline.Graded(CourseLayout.Default, [Check("softmax")], ["knn"]));

            Assert.Contains("the grader has no checks for the exercise knn; it grades softmax", e.Message);
        }

        [Fact]
        public void Should_Call_A_Catalog_Of_Unknown_Exercises_The_Machines_Fault()
        {
            var e = Assert.Throws<InfrastructureException>(() => GradingPipeline.Graded(CourseLayout.Default, [Check("softmax"), Check("cnn")], null));

            Assert.Contains("(cnn)", e.Message);
        }

        [Fact]
        public void Should_Call_An_Answer_Check_Without_A_Question_Number_The_Machines_Fault()
        {
            var e = Assert.Throws<InfrastructureException>(() => GradingPipeline.Graded(CourseLayout.Default, [Check("knn", "answer-1", "answer"), Check("svm", "written", "answer")], null));

            Assert.Contains("'written' (svm) names no question", e.Message);
        }

        [Fact]
        public void Should_Call_An_Answer_Check_For_A_Question_The_Notebook_Does_Not_Ask_The_Machines_Fault()
        {
            // two_layer_net.ipynb asks 问题 2 only (its first numbered question is the tuning description).
            var e = Assert.Throws<InfrastructureException>(() => GradingPipeline.Graded(CourseLayout.Default, [Check("two_layer_net", "answer-2", "answer"), Check("two_layer_net", "answer-1", "answer")], null));

            Assert.Contains("'answer-1' (two_layer_net) names a question the exercise's notebook does not ask", e.Message);
        }
    }
}
