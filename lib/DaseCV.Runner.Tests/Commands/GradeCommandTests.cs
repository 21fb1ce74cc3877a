using DaseCV.Runner.Coursework.Grading;
using DaseCV.Runner.Tests.Coursework;

namespace DaseCV.Runner.Tests.Commands;

[Trait("Category", "EndToEnd")]
[Collection(GradingRunsCollection.Name)]
public sealed class GradeCommandTests(GradingRuns runs)
{
    private static readonly string[] CodeChecks =
    [
        "naive-loss", "naive-gradient", "naive-large-scores", "vectorized-loss", "vectorized-gradient", "vectorized-large-scores",
        "naive-equals-vectorized", "naive-gradient-check", "vectorized-gradient-check", "vectorized-speed", "training-accuracy",
    ];

    private static GradedTest Test(GradingResults results, string id) =>
        results.Tests.Single(t => t.Name.StartsWith(SoftmaxPrefix, StringComparison.Ordinal) && t.Name.Contains(Names[id], StringComparison.Ordinal));

    // These submissions differ from the solution in the softmax exercise only: its tests are what the slips cost.
    private const string SoftmaxPrefix = "softmax · ";

    /// <summary>The softmax exercise's points (every other exercise in these submissions is the solution's).</summary>
    private static double Softmax(GradingResults results) => results.Tests.Where(t => t.Name.StartsWith(SoftmaxPrefix, StringComparison.Ordinal)).Sum(t => t.Score);

    // Distinctive parts of each check's name (the grader's Catalog.cs declares them).
    private static readonly Dictionary<string, string> Names = new()
    {
        ["naive-loss"] = "SoftmaxLoss.Naive：损失", ["naive-gradient"] = "SoftmaxLoss.Naive：梯度 ", ["naive-large-scores"] = "SoftmaxLoss.Naive：数值稳定",
        ["vectorized-loss"] = "SoftmaxLoss.Vectorized：损失", ["vectorized-gradient"] = "SoftmaxLoss.Vectorized：梯度 ", ["vectorized-large-scores"] = "SoftmaxLoss.Vectorized：数值稳定",
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
        Assert.Equal(results.MaxScore, results.Score);
        Assert.Equal(100, Softmax(results));
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
        Assert.True(Softmax(results) <= Softmax(Of("stub")), $"{student}: {Softmax(results)} > stub's {Softmax(Of("stub"))}\n{results.Output}");
        Assert.Equal(0, CodeScore(results));
        Assert.Contains(reason, results.Output + "\n" + string.Join("\n", results.Tests.Select(t => t.Output)));
    }

    [Fact]
    public void The_Solution_Should_Get_Full_Marks_In_The_Sandbox_Before_And_After_The_Hostile_Submissions()
    {
        Assert.Equal(13, runs.Solution.Tests.Count(t => t.Name.StartsWith(SoftmaxPrefix, StringComparison.Ordinal)));
        AssertFull(runs.Solution);
        AssertFull(runs.SolutionAgain);
        Assert.StartsWith("sandbox: bubblewrap", runs.SolutionAgain.Output);
        // Every exercise the grader has checks for is graded, each to its full marks.
        Assert.Contains(runs.Pipeline.Exercises, e => e.Id == "softmax");
        Assert.All(runs.Pipeline.Exercises, e => Assert.Contains(runs.Solution.Tests, t => t.Name.StartsWith(e.Id + " · ", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_Slip_In_Another_Exercises_Region_Should_Cost_Only_That_Exercise()
    {
        var results = Of("svm-does-not-compile");

        Assert.Equal(100, Softmax(results));
        // Graded with the svm exercise's own checks (where the grader has them): that exercise alone loses, and says why.
        foreach (var test in results.Tests.Where(t => t.Name.StartsWith("svm · ", StringComparison.Ordinal) && t.Output.Contains("not run", StringComparison.Ordinal)))
            Assert.Contains("does not compile", test.Output);
        Assert.Equal(runs.Pipeline.Exercises.Any(e => e.Id == "svm"), results.Output.Contains("[svm] ", StringComparison.Ordinal));
        Assert.All(runs.Rows, r => Assert.Null(r.Fault));
    }

    [Fact]
    public void An_Exercise_Not_Handed_In_Should_Score_Zero_With_The_Reason_And_Cost_Nothing_Else()
    {
        var results = Of("softmax-not-handed-in");

        var softmax = results.Tests.Where(t => t.Name.StartsWith(SoftmaxPrefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(13, softmax.Count);
        Assert.All(softmax, t =>
        {
            Assert.Equal(0, t.Score);
            Assert.Contains("未提交练习 softmax", t.Output);
            Assert.Contains("the exercise softmax (notebooks/softmax.ipynb) is not in this submission and scores 0", t.Output);
            Assert.Contains("not run: no --executed softmax.ipynb was given", t.Output);
        });
        Assert.All(results.Tests.Except(softmax), t => Assert.Equal(t.MaxScore, t.Score));
        Assert.Null(runs.Rows.Single(r => r.Student == "softmax-not-handed-in").Fault);
        Assert.Contains("handed in unfinished: softmax", results.ExtraData!["run"]);
    }

    [Fact]
    public void The_CS231n_Solution_Ported_Line_By_Line_Should_Get_Full_Marks() => AssertFull(Of("cs231n-port"));

    [Fact]
    public void The_Stub_Should_Get_Only_The_Answers_With_Not_Implemented()
    {
        Assert.Equal(10, Softmax(Of("stub")));
        foreach (var id in CodeChecks)
            AssertZero(Of("stub"), id, "not implemented");
    }

    [Fact]
    public void A_Naive_Gradient_Not_Divided_By_N_Should_Lose_Only_The_Gradient_Checks_And_Say_Divide_By_N()
    {
        var results = Of("planted-bug");
        AssertZero(results, "naive-gradient", "dW 未除以 N");
        AssertZero(results, "naive-gradient-check", "disagree with the numerical gradient");
        AssertZero(results, "naive-equals-vectorized", "dW differs");
        Assert.Equal(100 - 7 - 10 - 5, Softmax(results));
        Assert.DoesNotContain("expected", Test(results, "naive-loss").Output);  // no reference values for students
    }

    [Fact]
    public void Each_Realistic_Slip_Should_Cost_Once_And_Be_Named()
    {
        // No row maximum: only the stability points.
        Assert.Equal(90, Softmax(Of("no-max-shift")));
        AssertZero(Of("no-max-shift"), "naive-large-scores", "subtract each row's maximum");
        // dW not divided by N in both: the gradient points only (at most 34), speed kept, the slip named.
        var notDivided = Of("dw-not-divided");
        Assert.True(Softmax(notDivided) >= 50, $"{Softmax(notDivided)}");
        Assert.Equal(10, Test(notDivided, "vectorized-speed").Score);
        Assert.Equal(16 + 10 + 5, Test(notDivided, "naive-loss").Score + Test(notDivided, "vectorized-loss").Score + Test(notDivided, "naive-large-scores").Score
            + Test(notDivided, "vectorized-large-scores").Score + Test(notDivided, "naive-equals-vectorized").Score);
        Assert.Contains("除以 N", Test(notDivided, "vectorized-gradient").Output);
        // Only Naive finished: every Naive point kept.
        Assert.Equal(8 + 7 + 5 + 10 + 10, Softmax(Of("naive-only")));
        // A correct loss with a zero gradient: no gradient point, no agreement point.
        foreach (var id in new[] { "naive-gradient", "vectorized-gradient", "naive-gradient-check", "vectorized-gradient-check", "naive-equals-vectorized" })
            Assert.Equal(0, Test(Of("zero-gradient"), id).Score);
        Assert.Equal(16, Test(Of("zero-gradient"), "naive-loss").Score + Test(Of("zero-gradient"), "vectorized-loss").Score);
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
        Assert.Equal(100 - speed.MaxScore + speed.Score, Softmax(results));
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
        Assert.Equal(10, Softmax(Of("loop-and-exit")));
    }

    [Fact]
    public void A_Class_Folder_Should_Give_One_Result_Per_Student_A_Gradebook_And_A_Skipped_List_And_Leave_Other_Files_Alone()
    {
        // Every entry but the notes is graded: folders, zips, the loose notebook, the zip named like the gradebook.
        var entries = Directory.EnumerateFileSystemEntries(runs.ClassFolder).Count();
        Assert.Equal(entries - 1, runs.Class.Count);
        Assert.Contains(runs.Skipped, s => s.Name == "export-notes.txt");
        Assert.Contains("export-notes.txt", File.ReadAllText(Path.Combine(runs.ClassOut, "skipped.txt")));
        var gradebook = CsvFile.Read(File.ReadAllText(Path.Combine(runs.ClassOut, "gradebook.csv")), "gradebook.csv").Select(r => r.Fields).ToList();
        var exercises = runs.Pipeline.Exercises.Select(e => e.Id).ToList();
        // A total per graded exercise, then each check as exercise/id.
        Assert.Equal(["student", "name", "id", .. exercises], gradebook[0].Take(3 + exercises.Count));
        // The checks follow in the course's order: the first exercise's first check comes first.
        Assert.Equal($"{exercises[0]}/", gradebook[0][3 + exercises.Count][..(exercises[0].Length + 1)]);
        Assert.Contains("softmax/naive-loss", gradebook[0]);
        Assert.Equal(runs.Class.Count + 1, gradebook.Count);
        string Cell(string student, string column) => gradebook.Single(r => r[0] == student)[gradebook[0].ToList().IndexOf(column)];
        // The automatic points, then the final ones with the TA's hand mark for softmax's 问题 1 (3 of 5).
        Assert.Equal(["8", "7", "5", "8", "7", "5", "5", "10", "10", "10", "15", "5", "5"],
            gradebook[0].Select((c, k) => (c, k)).Where(c => c.c.StartsWith("softmax/", StringComparison.Ordinal)).Select(c => Cell("cs231n-port", c.c)));
        Assert.Equal("98", Cell("cs231n-port", "softmax"));
        Assert.Equal((Of("cs231n-port").Score - 2).ToString(System.Globalization.CultureInfo.InvariantCulture), Cell("cs231n-port", "final"));
        Assert.Equal("full", Cell("cs231n-port", "status"));
        Assert.Contains("symbolic link", Cell("symlink", "reason"));
        Assert.Equal(("100", "full"), (Cell("gradebook.csv-2", "softmax"), Cell("gradebook.csv-2", "status")));
        // The loose notebook alone: its answers count, its code is missing.
        Assert.Equal(10, Softmax(Of("carol_softmax")));
        foreach (var student in runs.Class.Keys)
        {
            Assert.True(File.Exists(Path.Combine(runs.ClassOut, student, "results.json")), student);
            Assert.True(File.Exists(Path.Combine(runs.ClassOut, student, "report.html")), student);
        }

        Assert.Equal("not the grader's", File.ReadAllText(runs.ForeignFile));
        Assert.All(runs.Rows, r => Assert.Null(r.Fault));
    }

    [Fact]
    public void The_TA_Should_Get_An_Overview_With_The_Roster_Hand_Marks_And_LMS_Files()
    {
        var index = File.ReadAllText(Path.Combine(runs.ClassOut, "index.html"));
        Assert.Contains("href=\"cs231n-port/report.html\"", index);
        Assert.Contains("李四 (2023999)", index);  // on the roster, no submission
        Assert.DoesNotContain("张三 (planted-bug)", index);  // matched by the file name
        Assert.Contains("Content-Security-Policy", index);
        // The roster's student for a file name, and a flag where the file names no one.
        var gradebook = CsvFile.Read(File.ReadAllText(Path.Combine(runs.ClassOut, "gradebook.csv")), "gradebook.csv").Select(r => r.Fields).ToList();
        Assert.Equal("", gradebook.Single(r => r[0] == "planted-bug")[^1]);
        Assert.Contains("names no one on the roster", gradebook.Single(r => r[0] == "stub")[^1]);
        // Canvas and Moodle files carry the final points and the TA's comment.
        var canvas = CsvFile.Read(File.ReadAllText(Path.Combine(runs.ClassOut, "canvas.csv")), "canvas.csv");
        Assert.Equal(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", .. runs.Pipeline.Exercises.Select(e => e.Id)], canvas[0].Fields);
        Assert.Contains(canvas, r => r.Fields[5 + runs.Pipeline.Exercises.ToList().FindIndex(e => e.Id == "softmax")] == "98");
        Assert.Contains("softmax 问题 1: 思路对, 但不完整", File.ReadAllText(Path.Combine(runs.ClassOut, "moodle.csv")));
        // The TA's file is never overwritten.
        Assert.Contains("思路对", File.ReadAllText(Path.Combine(runs.ClassOut, "hand-marks.csv")));
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
        Assert.Equal(8, Test(Of(student), "vectorized-loss").Score);
    }

    [Fact]
    public void A_Full_Tmp_Should_Fail_That_Check_At_The_Size_Of_The_Sandbox_Tmpfs() =>
        AssertZero(Of("fills-tmp"), "naive-loss", "IOException");

    [Fact]
    public void Text_That_Overflowed_The_Parser_Or_Passes_The_Size_Cap_Should_Be_That_Students_Row()
    {
        var deep = Of("deep-parens");
        // Roslyn may finish deep recursion on a fresh thread (CI once compiled it): then `loss = (((0)))` is judged as
        // any wrong loss; otherwise the compiler's error is the row's reason. Either way it is this student's row.
        if (CodeScore(deep) > 0)
            Assert.Equal(0, Test(deep, "naive-loss").Score);
        else
            Assert.Contains("compile", deep.Output + string.Join("\n", deep.Tests.Select(t => t.Output)));
        AssertNoMoreThanStub("huge-region", "longer than 64 KB");
    }

    [Fact]
    public async Task Regrading_The_Class_Should_Regrade_Only_What_Changed()
    {
        var (items, skipped) = ClassInputs.Find([runs.ClassFolder], asClass: null);
        var lines = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // In a copy of the two students' results, so that the class's own files stay as the other tests read them.
        var regrade = Path.GetFullPath(Path.Combine(runs.ClassOut, "..", "out-regrade"));
        foreach (var student in new[] { "stub", "cs231n-port" })
        {
            Directory.CreateDirectory(Path.Combine(regrade, student));
            foreach (var file in Directory.EnumerateFiles(Path.Combine(runs.ClassOut, student)))
                File.Copy(file, Path.Combine(regrade, student, Path.GetFileName(file)));
        }

        var again = await runs.Pipeline.GradeClassAsync(items!.Where(i => i.Student is "stub" or "cs231n-port").ToList(), skipped, regrade, jobs: 2, lines.Add);
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
            GradingResults honest, leaving;
            // The class's compiler runs as such a user too, until the pipeline ends.
            await using (var pipeline = await GradingPipeline.StartAsync(TestPaths.RepositoryRoot, DaseCV.Runner.Coursework.CourseLayout.Default, GradingRuns.Limits, selfTest: false,
                             dataDir: TestPaths.TuningData))
            {
                honest = (await pipeline.GradeOneAsync(runs.SolutionSubmission, Path.Combine(runs.ClassOut, "..", "own-user-solution"))).Results;
                leaving = (await pipeline.GradeOneAsync(Path.Combine(runs.ClassFolder, "leaves-process"), Path.Combine(runs.ClassOut, "..", "own-user-leaves"))).Results;
            }

            Assert.StartsWith("sandbox: an unprivileged user (a uid of each run's own", honest.Output);
            AssertFull(honest);
            Assert.Equal(Softmax(Of("stub")), Softmax(leaving));
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
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]  // the grading tests need bubblewrap: Linux
    public async Task A_Private_TMPDIR_Should_Still_Grade_The_Solution_Fully_And_Say_Where_The_Sandbox_Worked()
    {
        // A 0700 folder above TMPDIR, as multi-user hosts and CI runners have: the sandbox's user cannot reach it.
        var parent = Path.GetFullPath(Path.Combine(runs.ClassOut, "..", "private"));
        var tmp = Path.Combine(parent, "tmp");
        Directory.CreateDirectory(tmp);
        File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var output = Path.GetFullPath(Path.Combine(runs.ClassOut, "..", "out-private-tmpdir"));

        var outcome = await DaseCV.Runner.Tests.EndToEnd.RunnerProcess.RunAsync(new Dictionary<string, string> { ["TMPDIR"] = tmp },
            "grade", runs.SolutionSubmission, "--out", output, "--time-limit", "40", "--data-dir", TestPaths.TuningData);

        Assert.True(outcome.ExitCode == 0, outcome.StandardOutput + outcome.StandardError);
        var results = GradingResults.FromJson(File.ReadAllText(Path.Combine(output, "results.json")));
        AssertFull(results);
        Assert.Contains($"{tmp} cannot be reached by other users ({parent} is 0700); using /tmp instead", results.Output);
    }

    [Fact]
    public void Should_Write_Gradescope_Results_And_A_Report_With_The_Students_Code()
    {
        var json = File.ReadAllText(Path.Combine(runs.SolutionOut, "results.json"));
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(runs.Solution.MaxScore, root.GetProperty("score").GetDouble());
        Assert.True(root.GetProperty("execution_time").GetDouble() > 0);
        foreach (var test in root.GetProperty("tests").EnumerateArray())
            foreach (var field in new[] { "name", "score", "max_score", "output", "visibility" })
                Assert.True(test.TryGetProperty(field, out _), $"a test without {field}: {test}");

        var report = File.ReadAllText(Path.Combine(runs.SolutionOut, "report.html"));
        Assert.Contains("softmax: <strong>100 / 100</strong>", report);
        Assert.Contains("SoftmaxLoss.Naive", report);
    }

    [Fact]
    public void The_TA_Should_Read_The_Students_Notebook_As_Our_Sanitised_Rendering_Linked_From_The_Report()
    {
        var folder = Path.Combine(runs.ClassOut, "hostile-notebook");
        AssertFull(Of("hostile-notebook"));
        var report = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.Contains("href=\"notebook-softmax.html\"", report);
        Assert.Contains("<span class=\"k\">", report);  // the student's code, highlighted
        Assert.Contains("Content-Security-Policy", report);

        var page = File.ReadAllText(Path.Combine(folder, "notebook-softmax.html"));
        Assert.DoesNotContain("pwned", page, StringComparison.Ordinal);
        Assert.DoesNotContain("onerror", page, StringComparison.Ordinal);
        Assert.Contains("[U+202E]思路反过来了", page);
        Assert.DoesNotContain("\u202E", page, StringComparison.Ordinal);
        Assert.Contains("student-code", page);  // the graded code as the appendix
        Assert.DoesNotContain(runs.ClassFolder, page, StringComparison.Ordinal);
    }
}
