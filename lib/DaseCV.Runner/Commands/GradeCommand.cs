using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DaseCV.Runner.Coursework.Grading;
using DaseCV.Runner.Ipynb;
using DaseCV.Runner.IO;
using DaseCV.Runner.Coursework;

namespace DaseCV.Runner.Commands;

/// <summary>
/// <c>grade SUBMISSION [--out DIR] [--work DIR] [--time-limit SECONDS] [--memory-limit MB]</c>: builds the student's
/// library once in a scratch copy of this repository, runs every check as its own process of that build, and writes
/// DIR/results.json (Gradescope's format) and DIR/report.html. Only this process writes them.
/// </summary>
internal static class GradeCommand
{
    /// <summary>The command for the runner's parser; its action calls <see cref="RunAsync(string, string?, string?, double?, long?)"/>.</summary>
    public static Command CommandLine()
    {
        var submission = new Argument<string>("SUBMISSION") { Description = "The zip from submit, or a folder (e.g. /autograder/submission)." };
        var outDir = new Option<string>("--out", "-o") { Description = "Folder for results.json and report.html [default: artifacts/grade].", HelpName = "DIR" };
        var workDir = new Option<string>("--work") { Description = "The scratch copy, reused across gradings [default: a folder in the system temp folder].", HelpName = "DIR" };
        var timeLimit = new Option<double?>("--time-limit") { Description = "Seconds per check [default: 60].", HelpName = "SECONDS" };
        var memoryLimit = new Option<long?>("--memory-limit") { Description = "Megabytes per check [default: 2048].", HelpName = "MB" };
        timeLimit.Validators.Add(r => { if (r.GetValueOrDefault<double?>() is not (> 0 and < 86400)) r.AddError("--time-limit must be a number of seconds > 0."); });
        memoryLimit.Validators.Add(r => { if (r.GetValueOrDefault<long?>() is not (> 0 and < 1L << 20)) r.AddError("--memory-limit must be a number of megabytes > 0."); });
        var command = new Command("grade", "Grade one submission: results.json (Gradescope format) and report.html.")
        {
            submission, outDir, workDir, timeLimit, memoryLimit,
        };
        command.SetAction((result, _) => RunAsync(result.GetRequiredValue(submission), result.GetValue(outDir), result.GetValue(workDir),
            result.GetValue(timeLimit), result.GetValue(memoryLimit)));
        return command;
    }

    /// <summary>The command with parsed values; null takes the default.</summary>
    /// <param name="submission">The zip from <c>submit</c>, or a folder.</param>
    /// <param name="outDir">Where results.json and report.html go (default artifacts/grade).</param>
    /// <param name="workDir">The scratch copy, reusable across submissions (default: a folder under the system temp folder).</param>
    /// <param name="timeLimitSeconds">Per check (default 60).</param>
    /// <param name="memoryLimitMegabytes">Per check (default 2048).</param>
    public static async Task<int> RunAsync(string submission, string? outDir, string? workDir, double? timeLimitSeconds, long? memoryLimitMegabytes)
    {
        var root = CourseLayout.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var limits = CheckLimits.Default with
        {
            Time = timeLimitSeconds is double t ? TimeSpan.FromSeconds(t) : CheckLimits.Default.Time,
            MemoryBytes = memoryLimitMegabytes is long m ? m << 20 : CheckLimits.Default.MemoryBytes,
        };
        var results = await GradeAsync(root, CourseLayout.Default, submission, outDir ?? "artifacts/grade",
            workDir ?? Path.Combine(Path.GetTempPath(), "dasecv-grade-work"), limits, Console.WriteLine);
        Console.WriteLine($"Score: {results.Score.ToString("0.##", CultureInfo.InvariantCulture)} / {results.MaxScore.ToString("0.##", CultureInfo.InvariantCulture)}");
        return Cli.Success;
    }

    /// <summary>Grades <paramref name="submissionPath"/> against the repository at <paramref name="repositoryRoot"/>.</summary>
    public static async Task<GradingResults> GradeAsync(string repositoryRoot, CourseLayout layout, string submissionPath,
        string outDir, string workDir, CheckLimits limits, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var output = Path.GetFullPath(outDir);
        var resultsPath = Path.Combine(output, "results.json");
        var reportPath = Path.Combine(output, "report.html");
        using var submission = Submission.Open(submissionPath);
        if (IsSameOrInside(submission.Folder, output))
            throw new UsageException($"--out {outDir} is inside the submission; the grader never writes into a submission.");

        // A result from an earlier grading must not pass for this one's.
        Directory.CreateDirectory(output);
        File.Delete(resultsPath);
        File.Delete(reportPath);

        var studentFiles = layout.MarkedFiles(repositoryRoot).Select(f => ReadStudentFile(repositoryRoot, f, submission)).ToList();
        var summary = new List<string>();
        var tests = new List<GradedTest>();
        var executable = CheckCatalog.All.Where(c => c.RunsStudentCode).ToList();

        // One grading at a time per work folder: a second one would rewrite the sources and DLLs under the first.
        using var workLock = await LockAsync(Path.GetFullPath(workDir), log);
        log($"Building the submission's library with the grader in {workDir} ...");
        ScratchBuild.Prepare(repositoryRoot, Path.GetFullPath(workDir), layout, studentFiles);
        var build = await ScratchBuild.BuildAsync(Path.GetFullPath(workDir), TimeSpan.FromMinutes(10));
        log(build.Succeeded ? $"Built in {build.Elapsed.TotalSeconds:F0} s." : "The build failed.");
        summary.AddRange(studentFiles.Where(f => f.Problem is not null).Select(f => f.Problem!));
        if (!build.Succeeded)
        {
            summary.Add("The submitted code does not compile:\n" + build.Errors);
            tests.AddRange(executable.Select(c => new GradedTest(c.Name, 0, c.MaxScore, "not run: the submitted code does not compile (see above)")));
        }
        else
        {
            // The built grader and reference must stay as built: a check that rewrites them gets zero, and so do the
            // checks after it, which would run on the rewritten build.
            var buildFolders = new[] { Path.GetDirectoryName(build.GraderDll)!, Path.GetDirectoryName(build.ReferenceDll)! };
            var builtState = buildFolders.Select(Snapshot).ToList();
            string? buildTamperedBy = null;
            foreach (var check in executable)
            {
                if (buildTamperedBy is not null)
                {
                    tests.Add(new GradedTest(check.Name, 0, check.MaxScore, $"not run: the check '{buildTamperedBy}' rewrote the grader's build"));
                    continue;
                }

                var before = Snapshot(output);
                var run = await CheckProcess.RunAsync(build.GraderDll, build.ReferenceDll, check.Id, limits);
                var fraction = run.Fraction;
                var message = run.Message;
                if (Tampered(output, before) is { } touched)
                {
                    fraction = 0;
                    message = $"zero: the code wrote into the results folder ({touched}); only the grader writes there.\n" + message;
                }

                if (buildFolders.Select(Snapshot).Zip(builtState).Any(p => !SameFiles(p.First, p.Second)))
                {
                    buildTamperedBy = check.Name;
                    fraction = 0;
                    message = "zero: the code rewrote the grader's build.\n" + message;
                }

                tests.Add(new GradedTest(check.Name, Math.Round(fraction * check.MaxScore, 2), check.MaxScore, message));
                log($"  {check.Name}: {fraction * check.MaxScore:0.##} / {check.MaxScore} ({run.Elapsed.TotalSeconds:F1} s)");
            }
        }

        tests.AddRange(AnswerChecks(layout, submission));
        var results = new GradingResults(Math.Round(tests.Sum(t => t.Score), 2), Math.Round(clock.Elapsed.TotalSeconds, 1),
            string.Join("\n\n", summary), tests);
        // Written last and whole (temporary file + rename), after every student process has ended.
        AtomicFile.WriteAllText(reportPath, results.ToHtml($"DaseCV autograder: {Path.GetFileName(submissionPath.TrimEnd('/', '\\'))}", studentFiles));
        AtomicFile.WriteAllText(resultsPath, results.ToJson());
        log($"Wrote {resultsPath} and {reportPath}");
        return results;
    }

    /// <summary>The student's regions of one marked file, or the reason they cannot be used.</summary>
    private static StudentFile ReadStudentFile(string repositoryRoot, string relativePath, Submission submission)
    {
        var instructorRegions = SolutionMarkers.Find(File.ReadAllText(Path.Combine(repositoryRoot, relativePath)), relativePath);
        if (submission.Find(relativePath) is not { } path)
            return new StudentFile(relativePath, [], $"not implemented: {relativePath} is not in the submission");
        try
        {
            var regions = SolutionMarkers.Find(File.ReadAllText(path), relativePath);
            if (regions.Select(r => r.Function).SequenceEqual(instructorRegions.Select(r => r.Function)))
                return new StudentFile(relativePath, regions, null);
            return new StudentFile(relativePath, [],
                $"{relativePath}: the markers were changed: expected regions in {string.Join(", ", instructorRegions.Select(r => r.Function))}; " +
                $"found {(regions.Count == 0 ? "none" : string.Join(", ", regions.Select(r => r.Function)))}");
        }
        catch (InvalidDataException e)
        {
            return new StudentFile(relativePath, [], $"{relativePath}: the markers are broken: {e.Message}");
        }
    }

    /// <summary>问题 1 and 问题 2: every answer field holds something other than the placeholder.</summary>
    private static IEnumerable<GradedTest> AnswerChecks(CourseLayout layout, Submission submission)
    {
        var checks = CheckCatalog.All.Where(c => !c.RunsStudentCode).ToList();
        IpynbNotebook? notebook = null;
        string? problem = null;
        if (submission.Find(layout.Notebook) is not { } path)
            problem = $"not implemented: no {Path.GetFileName(layout.Notebook)} in the submission";
        else
        {
            try
            {
                notebook = IpynbNotebook.Load(path);
            }
            catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or InvalidOperationException)
            {
                problem = $"the notebook cannot be read: {e.Message}";
            }
        }

        var questions = notebook is null ? [] : NotebookAnswers.Find(notebook).GroupBy(a => a.Question).ToList();
        foreach (var check in checks)
        {
            var number = int.Parse(check.Id["answer-".Length..], CultureInfo.InvariantCulture);
            if (problem is not null)
            {
                yield return new GradedTest(check.Name, 0, check.MaxScore, problem);
                continue;
            }

            var answers = questions.Count >= number ? questions[number - 1].ToList() : [];
            if (answers.Count == 0)
                yield return new GradedTest(check.Name, 0, check.MaxScore, $"not implemented: the notebook has no answer field for question {number}");
            else if (answers.Where(a => !a.IsAnswered).Select(a => a.Label).ToList() is { Count: > 0 } blank)
                yield return new GradedTest(check.Name, 0, check.MaxScore, $"not implemented: {string.Join(", ", blank)} still empty or the placeholder");
            else
                yield return new GradedTest(check.Name, check.MaxScore, check.MaxScore,
                    $"answered ({string.Join(", ", answers.Select(a => a.Label))}); the content is graded by hand");
        }
    }

    private static async Task<FileStream> LockAsync(string workDirectory, Action<string> log)
    {
        Directory.CreateDirectory(workDirectory);
        var path = Path.Combine(workDirectory, ".grading.lock");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 1800)
            {
                if (attempt == 0)
                    log($"Waiting for another grading that uses {workDirectory} ...");
                await Task.Delay(1000);
            }
        }
    }

    private static Dictionary<string, (long, DateTime)> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, f => (new FileInfo(f).Length, File.GetLastWriteTimeUtc(f)));

    private static bool SameFiles(Dictionary<string, (long, DateTime)> a, Dictionary<string, (long, DateTime)> b) =>
        a.Count == b.Count && a.All(f => b.TryGetValue(f.Key, out var other) && other == f.Value);

    /// <summary>A file created or changed in <paramref name="folder"/> since <paramref name="before"/> (removed again), or null.</summary>
    private static string? Tampered(string folder, Dictionary<string, (long, DateTime)> before)
    {
        var after = Snapshot(folder);
        var changed = after.Where(f => !before.TryGetValue(f.Key, out var old) || old != f.Value).Select(f => f.Key).ToList();
        foreach (var file in changed.Where(f => !before.ContainsKey(f)))
            File.Delete(file);
        return changed.Count == 0 ? null : string.Join(", ", changed.Select(Path.GetFileName));
    }

    private static bool IsSameOrInside(string folder, string path)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}
