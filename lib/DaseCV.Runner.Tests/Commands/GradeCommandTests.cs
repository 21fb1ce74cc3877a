using DaseCV.Runner.Coursework.Grading;
using DaseCV.Runner.Tests.Coursework;

namespace DaseCV.Runner.Tests.Commands;

[Collection(GradingRunsCollection.Name)]
public sealed class GradeCommandTests(GradingRuns runs)
{
    private static readonly string[] CodeChecks =
    [
        "naive-loss", "naive-large-scores", "vectorized-loss", "vectorized-large-scores", "naive-equals-vectorized",
        "naive-gradient-check", "vectorized-gradient-check", "vectorized-speed", "training-accuracy",
    ];

    private static GradedTest Test(GradingResults results, string id) =>
        results.Tests.Single(t => t.Name.Contains(Names[id], StringComparison.Ordinal));

    // Distinctive parts of each check's name (the grader's Catalog.cs declares them).
    private static readonly Dictionary<string, string> Names = new()
    {
        ["naive-loss"] = "SoftmaxLoss.Naive：损失与梯度", ["naive-large-scores"] = "SoftmaxLoss.Naive：数值稳定",
        ["vectorized-loss"] = "SoftmaxLoss.Vectorized：损失与梯度", ["vectorized-large-scores"] = "SoftmaxLoss.Vectorized：数值稳定",
        ["naive-equals-vectorized"] = "Naive 与 Vectorized 一致", ["naive-gradient-check"] = "SoftmaxLoss.Naive：数值梯度检验",
        ["vectorized-gradient-check"] = "SoftmaxLoss.Vectorized：数值梯度检验", ["vectorized-speed"] = "速度",
        ["training-accuracy"] = "Softmax.Train", ["answer-1"] = "问题 1", ["answer-2"] = "问题 2",
    };

    private GradingResults Of(string student) => runs.Class[student];

    private static double CodeScore(GradingResults results) => CodeChecks.Sum(id => Test(results, id).Score);

    private static void AssertFull(GradingResults results)
    {
        foreach (var test in results.Tests)
            Assert.True(test.Score == test.MaxScore, $"{test.Name}: {test.Score} / {test.MaxScore}: {test.Output}\n{results.Output}");
        Assert.Equal(100, results.Score);
    }

    private static void AssertZero(GradingResults results, string id, string because)
    {
        var test = Test(results, id);
        Assert.True(test.Score == 0, $"{id}: {test.Score} / {test.MaxScore}: {test.Output}");
        Assert.Contains(because, test.Output);
    }

    /// <summary>No more than the bare stub (which earns only the answers' points), with the reason shown.</summary>
    private void AssertNoMoreThanStub(string student, string reason)
    {
        var results = Of(student);
        Assert.True(results.Score <= Of("stub").Score, $"{student}: {results.Score} > stub's {Of("stub").Score}\n{results.Output}");
        Assert.Equal(0, CodeScore(results));
        Assert.Contains(reason, results.Output + "\n" + string.Join("\n", results.Tests.Select(t => t.Output)));
    }

    [Fact]
    public void The_Solution_Should_Get_Full_Marks_In_The_Sandbox_Before_And_After_The_Hostile_Submissions()
    {
        Assert.Equal(11, runs.Solution.Tests.Count);
        Assert.Equal(100, runs.Solution.MaxScore);
        AssertFull(runs.Solution);
        AssertFull(runs.SolutionAgain);
        Assert.StartsWith("sandbox: bubblewrap", runs.SolutionAgain.Output);
    }

    [Fact]
    public void The_CS231n_Solution_Ported_Line_By_Line_Should_Get_Full_Marks() => AssertFull(Of("cs231n-port"));

    [Fact]
    public void The_Stub_Should_Get_Only_The_Answers_With_Not_Implemented()
    {
        Assert.Equal(10, Of("stub").Score);
        foreach (var id in CodeChecks)
            AssertZero(Of("stub"), id, "not implemented");
    }

    [Fact]
    public void A_Naive_Gradient_Not_Divided_By_N_Should_Lose_The_Checks_That_See_It_And_Keep_The_Others()
    {
        var results = Of("planted-bug");
        AssertZero(results, "naive-loss", "dW differs");
        AssertZero(results, "naive-large-scores", "dW differs");
        AssertZero(results, "naive-equals-vectorized", "dW differs");
        AssertZero(results, "naive-gradient-check", "disagree with the numerical gradient");
        Assert.Equal(65, results.Score);
        Assert.DoesNotContain("expected", Test(results, "naive-loss").Output);  // no reference values for students
        Assert.Contains("expected loss", Test(results, "naive-loss").InstructorDetail);
    }

    [Fact]
    public void Returning_Zeros_Should_Score_No_More_Than_A_Stub() => AssertNoMoreThanStub("returns-zeros", "loss");

    [Fact]
    public void A_Loop_Over_Examples_In_Vectorized_Should_Lose_Speed_Points_Only()
    {
        var results = Of("loop-vectorized");
        var speed = Test(results, "vectorized-speed");
        Assert.True(speed.Score < speed.MaxScore, speed.Output);
        Assert.Contains("not loops over examples", speed.Output);
        Assert.Equal(100 - speed.MaxScore + speed.Score, results.Score);
    }

    [Fact]
    public void Calling_Or_Reading_The_Reference_Should_Score_No_More_Than_A_Stub_And_Leak_Nothing()
    {
        AssertNoMoreThanStub("calls-reference", "nothing to read");
        Assert.DoesNotContain(Of("calls-reference").Tests, t => t.Output.Contains("START OF YOUR CODE", StringComparison.Ordinal));
    }

    [Fact]
    public void Forging_A_Result_Should_Score_No_More_Than_A_Stub() => AssertNoMoreThanStub("forges-result", "Naive");

    [Fact]
    public void A_Process_Left_Behind_Should_Score_No_More_Than_A_Stub_And_Be_Gone()
    {
        AssertNoMoreThanStub("leaves-process", "left a process");
        Assert.Empty(runs.LeftoverProcesses);
    }

    [Fact]
    public void Editing_The_Grader_The_Library_Or_The_Results_Should_Change_Nothing_And_Score_No_More_Than_A_Stub()
    {
        AssertNoMoreThanStub("edits-work-folder", "edited");
        Assert.Equal(runs.TrustedBefore.Count, runs.TrustedAfter.Count);
        foreach (var (file, hash) in runs.TrustedBefore)
            Assert.True(runs.TrustedAfter.TryGetValue(file, out var after) && after == hash, $"{file} changed during grading");
        Assert.Equal(Of("edits-work-folder").Score,
            GradingResults.FromJson(File.ReadAllText(Path.Combine(runs.ClassOut, "edits-work-folder", "results.json"))).Score);
    }

    [Fact]
    public void A_Comment_Spanning_Two_Regions_Should_Be_Refused_As_Code_Outside_The_Regions() =>
        AssertNoMoreThanStub("comment-spans-regions", "changes the file outside the markers");

    [Fact]
    public void Symbolic_Links_And_Link_Loops_Should_Be_Refused_With_Results()
    {
        AssertNoMoreThanStub("symlink", "symbolic link");
        AssertNoMoreThanStub("symlink-loop", "symbolic link");
        Assert.True(File.Exists(Path.Combine(runs.ClassOut, "symlink-loop", "results.json")));
    }

    [Fact]
    public void A_Zip_With_Backslash_Paths_Should_Be_Graded_Like_The_Folder() => AssertFull(Of("backslash-zip"));

    [Fact]
    public void A_Zip_With_A_Duplicated_Entry_Should_Be_Refused_With_Results()
    {
        AssertNoMoreThanStub("duplicate-entry", "in the zip twice");
        Assert.True(File.Exists(Path.Combine(runs.ClassOut, "duplicate-entry", "results.json")));
    }

    [Fact]
    public void A_70_KB_Message_Should_Be_Cut_Short_In_The_Results()
    {
        var results = Of("huge-message");
        AssertZero(results, "naive-loss", "threw InvalidOperationException: xxxx");
        Assert.All(results.Tests, t => Assert.True(t.Output.Length < 2000, $"{t.Name}: {t.Output.Length} characters"));
        Assert.True(new FileInfo(Path.Combine(runs.ClassOut, "huge-message", "results.json")).Length < 40_000);
    }

    [Fact]
    public void An_Unjoined_Foreground_Thread_Should_Not_Cost_Marks() => AssertFull(Of("foreground-thread"));

    [Fact]
    public void An_Endless_Loop_And_Environment_Exit_Should_Each_Get_Zero_And_Grading_Should_Go_On()
    {
        AssertZero(Of("loop-and-exit"), "naive-loss", "timed out");
        AssertZero(Of("loop-and-exit"), "vectorized-loss", "before replying");
        Assert.Equal(10, Of("loop-and-exit").Score);
    }

    [Fact]
    public void A_Class_Folder_Should_Give_One_Result_Per_Student_A_Gradebook_And_A_Skipped_List_And_Leave_Other_Files_Alone()
    {
        // Every entry but the notes is graded: folders, zips, the loose notebook, the zip named like the gradebook.
        var entries = Directory.EnumerateFileSystemEntries(runs.ClassFolder).Count();
        Assert.Equal(entries - 1, runs.Class.Count);
        Assert.Contains(runs.Skipped, s => s.Name == "export-notes.txt");
        Assert.Contains("export-notes.txt", File.ReadAllText(Path.Combine(runs.ClassOut, "skipped.txt")));
        var gradebook = Csv.Read(File.ReadAllText(Path.Combine(runs.ClassOut, "gradebook.csv")), "gradebook.csv").Select(r => r.Fields).ToList();
        Assert.Equal(["student", "name", "id", "naive-loss"], gradebook[0].Take(4));
        Assert.Equal(runs.Class.Count + 1, gradebook.Count);
        Assert.Equal("cs231n-port,,,15,5,15,5,5,10,10,10,15,5,5,100,100,full", string.Join(",", gradebook.Single(r => r[0] == "cs231n-port").Take(17)));
        Assert.Contains("symbolic link", gradebook.Single(r => r[0] == "symlink")[^1]);
        Assert.Equal(["100", "100", "full"], gradebook.Single(r => r[0] == "gradebook.csv-2").Skip(14).Take(3));
        // The loose notebook alone: its answers count, its code is missing.
        Assert.Equal(10, Of("carol_softmax").Score);
        foreach (var student in runs.Class.Keys)
        {
            Assert.True(File.Exists(Path.Combine(runs.ClassOut, student, "results.json")), student);
            Assert.True(File.Exists(Path.Combine(runs.ClassOut, student, "report.html")), student);
        }

        Assert.Equal("not the grader's", File.ReadAllText(runs.ForeignFile));
        Assert.All(runs.Rows, r => Assert.Null(r.Fault));
    }

    [Theory]
    [InlineData("shared-memory", "memory limit")]
    [InlineData("threads", "threads or processes")]
    [InlineData("forks", "kernel")]
    public void What_Only_The_Kernel_Can_Stop_Should_Be_Stopped_At_Its_Limit_And_Cost_Only_That_Check(string student, string reason)
    {
        AssertZero(Of(student), "naive-loss", reason);
        Assert.Contains("kernel", Test(Of(student), "naive-loss").Output);
        // The other checks run in a harness started again: Vectorized is the solution's.
        Assert.Equal(15, Test(Of(student), "vectorized-loss").Score);
    }

    [Fact]
    public void A_Full_Tmp_Should_Fail_That_Check_At_The_Size_Of_The_Sandbox_Tmpfs() =>
        AssertZero(Of("fills-tmp"), "naive-loss", "IOException");

    [Fact]
    public void Text_That_Overflowed_The_Parser_Or_Passes_The_Size_Cap_Should_Be_That_Students_Row()
    {
        Assert.Equal(0, CodeScore(Of("deep-parens")));
        Assert.Contains("compile", Of("deep-parens").Output + string.Join("\n", Of("deep-parens").Tests.Select(t => t.Output)));
        AssertNoMoreThanStub("huge-region", "longer than 64 KB");
    }

    [Fact]
    public async Task Regrading_The_Class_Should_Regrade_Only_What_Changed()
    {
        var (items, skipped) = ClassInputs.Find([runs.ClassFolder], asClass: null);
        var lines = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var again = await runs.Pipeline.GradeClassAsync(items!.Where(i => i.Student is "stub" or "cs231n-port").ToList(), skipped, runs.ClassOut, jobs: 2, lines.Add);
        Assert.Equal(2, lines.Count(l => l.Contains("unchanged, not regraded", StringComparison.Ordinal)));
        Assert.Equal(Of("cs231n-port").Score, again.Single(a => a.Student == "cs231n-port").Results.Score);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{clock.Elapsed}");
    }

    [Fact]
    public async Task Without_Bubblewrap_As_Root_Student_Code_Should_Run_As_An_Own_User_And_Leave_No_Process()
    {
        Environment.SetEnvironmentVariable("DASECV_GRADE_SANDBOX", "own-user");
        try
        {
            await using var pipeline = await GradingPipeline.StartAsync(TestPaths.RepositoryRoot, DaseCV.Runner.Coursework.CourseLayout.Default, GradingRuns.Limits, selfTest: false);
            var honest = (await pipeline.GradeOneAsync(runs.SolutionSubmission, Path.Combine(runs.ClassOut, "..", "own-user-solution"))).Results;
            Assert.StartsWith("sandbox: an unprivileged user (uid ", honest.Output);
            AssertFull(honest);
            var leaving = (await pipeline.GradeOneAsync(Path.Combine(runs.ClassFolder, "leaves-process"), Path.Combine(runs.ClassOut, "..", "own-user-leaves"))).Results;
            Assert.Equal(Of("stub").Score, leaving.Score);
            for (var wait = 0; wait < 50 && GradingRuns.ProcessesOf(uid => uid is >= 61000 and < 65000).Count > 0; wait++)
                await Task.Delay(100);  // SIGKILLed processes take a moment to go
            Assert.Empty(GradingRuns.ProcessesOf(uid => uid is >= 61000 and < 65000));
        }
        finally
        {
            Environment.SetEnvironmentVariable("DASECV_GRADE_SANDBOX", null);
        }
    }

    [Fact]
    public void Should_Write_Gradescope_Results_And_A_Report_With_The_Students_Code()
    {
        var json = File.ReadAllText(Path.Combine(runs.SolutionOut, "results.json"));
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(100, root.GetProperty("score").GetDouble());
        Assert.True(root.GetProperty("execution_time").GetDouble() > 0);
        foreach (var test in root.GetProperty("tests").EnumerateArray())
            foreach (var field in new[] { "name", "score", "max_score", "output", "visibility" })
                Assert.True(test.TryGetProperty(field, out _), $"a test without {field}: {test}");

        var report = File.ReadAllText(Path.Combine(runs.SolutionOut, "report.html"));
        Assert.Contains("100 / 100", report);
        Assert.Contains("SoftmaxLoss.Naive", report);
    }
}
