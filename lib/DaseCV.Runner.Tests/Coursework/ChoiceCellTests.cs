using System.Text.Json.Nodes;
using DaseCV.Classifiers;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Coursework.Grading;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Coursework;

public sealed class ChoiceCellTests
{
    public sealed class TheReadMethod
    {
        private const string Id = "a1c7e2f0b935";
        private static readonly ChoiceCell Net = ChoiceCell.TwoLayerNet("tuned-accuracy", Id);
        private static readonly ChoiceCell Svm = ChoiceCell.LinearSvm("svm-tuned", Id);

        private static IpynbNotebook Notebook(params (string Id, string Source)[] cells) => IpynbNotebook.Parse(
            new JsonObject
            {
                ["cells"] = new JsonArray([.. cells.Select(c => (JsonNode)new JsonObject
                {
                    ["cell_type"] = "code", ["id"] = c.Id, ["metadata"] = new JsonObject(), ["execution_count"] = null,
                    ["outputs"] = new JsonArray(), ["source"] = c.Source,
                })]),
                ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5,
            }.ToJsonString(), "two_layer_net.ipynb");

        [Fact]
        public void Should_Read_Named_And_Positional_Literals_Signed_Or_Not()
        {
            var (choice, problem) = Net.Read(Notebook((Id, "// 你选定的\nvar chosen = new TwoLayerNetChoice(200, LearningRateDecay: +0.9, LearningRate: 2e-3, Reg: 0);")));

            Assert.Null(problem);
            Assert.Equal(new DaseCV.Grader.Hyperparameters(2e-3, 0, 200, 0.9), choice);
        }

        [Fact]
        public void Should_Read_A_Target_Typed_New_And_The_Svms_Two_Values()
        {
            var (choice, problem) = Svm.Read(Notebook((Id, "LinearSvmChoice chosen = new(1e-2, Reg: 5e-2);")));

            Assert.Null(problem);
            Assert.Equal(new DaseCV.Grader.Hyperparameters(1e-2, 5e-2), choice);
        }

        [Fact]
        public void Should_Say_Which_Cell_Is_Missing()
        {
            var (choice, problem) = Net.Read(Notebook(("0123456789ab", "var chosen = new TwoLayerNetChoice(100, 1e-3, 0.95, 0.5);")));

            Assert.Null(choice);
            Assert.Contains($"the notebook has no cell {Id} (TwoLayerNetChoice)", problem, StringComparison.Ordinal);
            Assert.StartsWith("笔记本中没有", problem, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Refuse_A_Stub_Naming_The_Record()
        {
            var (choice, problem) = Net.Read(Notebook((Id, "throw new NotImplementedException(\"尚未完成\");")));

            Assert.Null(choice);
            Assert.Contains("should create exactly one new TwoLayerNetChoice(…); it has 0", problem, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("new TwoLayerNetChoice(5000, 1e-3, 0.95, 0.5)", "HiddenSize = 5000 is out of range (1 … 500, an integer)")]
        [InlineData("new TwoLayerNetChoice(100.5, 1e-3, 0.95, 0.5)", "HiddenSize = 100.5 is out of range")]
        [InlineData("new TwoLayerNetChoice(100, -1e-3, 0.95, 0.5)", "LearningRate = -0.001 is out of range (> 0, ≤ 10)")]
        [InlineData("new TwoLayerNetChoice(100, 1e-3, 1.5, 0.5)", "LearningRateDecay = 1.5 is out of range")]
        [InlineData("new TwoLayerNetChoice(100, 1e-3, 0.95, -1)", "Reg = -1 is out of range")]
        [InlineData("new TwoLayerNetChoice(100, lr, 0.95, 0.5)", "LearningRate = lr is not a number literal")]
        [InlineData("new TwoLayerNetChoice(100, 1e-3, 0.95)", "Reg is missing")]
        [InlineData("new TwoLayerNetChoice(100, 1e-3, 0.95, 0.5, 7)", "an extra argument 7")]
        public void Should_Refuse_A_Value_It_Cannot_Train_Naming_It(string creation, string expected)
        {
            var (choice, problem) = Net.Read(Notebook((Id, $"var chosen = {creation};")));

            Assert.Null(choice);
            Assert.Contains($"cell {Id} (TwoLayerNetChoice): " + expected, problem, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Name_The_Library_Records_And_Their_Parameters_As_They_Are()
        {
            foreach (var (cell, record) in new[] { (Net, typeof(TwoLayerNetChoice)), (Svm, typeof(LinearSvmChoice)) })
            {
                Assert.Equal(record.Name, cell.Record);
                Assert.Equal(record.GetConstructors().Single().GetParameters().Select(p => p.Name), cell.Parameters);
            }
        }

        [Fact]
        public void Should_Read_Every_Choice_Of_The_Instructors_Notebooks()
        {
            var cells = CourseLayout.Default.Exercises.SelectMany(e => e.ChoiceCells.Select(c => (Exercise: e, Cell: c))).ToList();
            Assert.Equal(["tuned-accuracy", "svm-tuned", "net-tuned"], cells.Select(c => c.Cell.Check));
            foreach (var (exercise, cell) in cells)
            {
                var (choice, problem) = cell.Read(IpynbNotebook.Load(Path.Combine(TestPaths.RepositoryRoot, exercise.Notebook)));
                Assert.True(choice is not null, $"{exercise.Notebook}: {problem}");
            }
        }
    }
}
