using DaseCV.Runner.Coursework.Grading;

namespace DaseCV.Runner.Tests.Coursework;

[Collection(GradingRunsCollection.Name)]
public sealed class GradeCommandTests(GradingRuns runs)
{
    private static GradedTest Test(GradingResults results, string id) =>
        results.Tests.Single(t => t.Name == CheckCatalog.Find(id)!.Name);

    private static void AssertFull(GradingResults results, params string[] ids)
    {
        foreach (var id in ids)
        {
            var test = Test(results, id);
            Assert.True(test.Score == test.MaxScore, $"{id}: {test.Score} / {test.MaxScore}: {test.Output}");
        }
    }

    private static void AssertZero(GradingResults results, string id, string because)
    {
        var test = Test(results, id);
        Assert.True(test.Score == 0, $"{id}: {test.Score} / {test.MaxScore}: {test.Output}");
        Assert.Contains(because, test.Output);
    }

    [Fact]
    public void The_Solution_Should_Get_Full_Marks_On_Every_Check()
    {
        Assert.Equal(CheckCatalog.All.Select(c => c.Name), runs.Solution.Tests.Select(t => t.Name));
        AssertFull(runs.Solution, CheckCatalog.All.Select(c => c.Id).ToArray());
        Assert.Equal(100, runs.Solution.Score);
        Assert.Equal(runs.Solution.MaxScore, runs.Solution.Score);
    }

    [Fact]
    public void The_Bare_Handout_Should_Get_Zero_With_Not_Implemented_On_Every_Check()
    {
        Assert.Equal(0, runs.Handout.Score);
        Assert.All(runs.Handout.Tests, t =>
        {
            Assert.Equal(0, t.Score);
            Assert.Contains("not implemented", t.Output);
        });
        Assert.Contains("SoftmaxLoss.Naive in lib/DaseCV/Classifiers/SoftmaxLoss.cs", Test(runs.Handout, "naive-loss").Output);
    }

    [Fact]
    public void A_Naive_Gradient_Not_Divided_By_N_Should_Lose_The_Checks_That_See_It_And_Keep_The_Others()
    {
        AssertZero(runs.PlantedBug, "naive-loss", "dW differs");
        AssertZero(runs.PlantedBug, "naive-large-scores", "dW differs");
        AssertZero(runs.PlantedBug, "naive-equals-vectorized", "dW differs");
        AssertZero(runs.PlantedBug, "naive-gradient-check", "disagree with the numerical gradient");
        AssertFull(runs.PlantedBug, "vectorized-loss", "vectorized-large-scores", "vectorized-gradient-check", "vectorized-speed", "predict", "training-accuracy", "answer-1", "answer-2");
    }

    [Fact]
    public void An_Endless_Loop_Environment_Exit_And_A_Throw_Should_Each_Get_Zero_And_Grading_Should_Go_On()
    {
        AssertZero(runs.LoopExitThrow, "naive-loss", "timed out");
        AssertZero(runs.LoopExitThrow, "vectorized-loss", "before reporting a result");
        AssertZero(runs.LoopExitThrow, "training-accuracy", "threw InvalidOperationException: hostile submission");
        AssertFull(runs.LoopExitThrow, "predict", "answer-1", "answer-2");
    }

    [Fact]
    public void Printing_Megabytes_And_Writing_The_Results_File_Should_Each_Get_Zero_And_The_Grader_Should_Write_The_Results()
    {
        AssertZero(runs.SpamAndTamper, "naive-loss", "printed more than 1024 KB");
        AssertZero(runs.SpamAndTamper, "vectorized-loss", "wrote into the results folder (results.json)");
        AssertFull(runs.SpamAndTamper, "predict", "answer-1", "answer-2");

        var written = GradingResults.FromJson(File.ReadAllText(Path.Combine(runs.SpamAndTamperOut, "results.json")));
        Assert.Equal(runs.SpamAndTamper.Score, written.Score);
        Assert.Equal(CheckCatalog.All.Count, written.Tests.Count);
        Assert.True(written.Score < 100);
    }

    [Fact]
    public void Should_Write_Gradescope_Results_And_A_Report_With_The_Students_Code()
    {
        var json = File.ReadAllText(Path.Combine(runs.SolutionOut, "results.json"));
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(100, root.GetProperty("score").GetDouble());
        Assert.True(root.GetProperty("execution_time").GetDouble() > 0);
        Assert.Equal(System.Text.Json.JsonValueKind.String, root.GetProperty("output").ValueKind);
        foreach (var test in root.GetProperty("tests").EnumerateArray())
            foreach (var field in new[] { "name", "score", "max_score", "output", "visibility" })
                Assert.True(test.TryGetProperty(field, out _), $"a test without {field}: {test}");

        var report = File.ReadAllText(Path.Combine(runs.SolutionOut, "report.html"));
        Assert.Contains("100 / 100", report);
        Assert.Contains("SoftmaxLoss.Naive", report);
        Assert.Contains("lib/DaseCV/Classifiers/SoftmaxLoss.cs", report);
    }
}
