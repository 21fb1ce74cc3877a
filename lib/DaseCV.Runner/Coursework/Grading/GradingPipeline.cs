using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using DaseCV.Grader;
using DaseCV.Runner.Execution;
using DaseCV.Runner.Html;
using DaseCV.Runner.IO;
using DaseCV.Runner.Ipynb;
using DaseCV.Runner.Text;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>One graded row: the student as the file name says, as submission.json says, and the results.</summary>
/// <param name="Student">The output folder's name.</param>
/// <param name="Name">studentName from submission.json, or "".</param>
/// <param name="Id">studentId from submission.json, or "".</param>
/// <param name="Results">The results.</param>
/// <param name="Fault">The machine's fault that kept this submission from being graded, or null.</param>
internal sealed record GradedRow(string Student, string Name, string Id, GradingResults Results, string? Fault);

/// <summary>
/// Grading in stages, each with a typed result: open (stage a private copy, <see cref="ClassInputs"/>; unpack,
/// <see cref="Submission"/>) → for each exercise: splice its regions only (<see cref="Splice"/>) → compile and check
/// that exercise in the sandboxed grader (<see cref="GraderProcess"/>) → verdict and answers → one report row with a
/// total per exercise. An exercise the submission does not hold scores 0 with the reason. Anything that goes wrong with one submission
/// becomes that student's row with a reason; the machine's faults are the instructor's: a self-test of the
/// instructor's own solution through the real sandbox and limits runs before anyone is graded.
/// </summary>
internal sealed class GradingPipeline : IAsyncDisposable
{
    private const string ResultsFile = "results.json", ReportFile = "report.html", HashFile = "input.sha256";
    private readonly string _root;
    private readonly CourseLayout _layout;
    private readonly IReadOnlyList<Exercise> _exercises;
    private readonly IReadOnlyList<CatalogEntry> _catalog;
    private readonly GraderProcess _grader;
    private readonly string _version;
    private readonly string _work;
    private string? _tuningData;
    private readonly Dictionary<string, Hyperparameters> _instructorChoices = [];
    private int _next;

    private GradingPipeline(string root, CourseLayout layout, IReadOnlyList<Exercise> exercises, IReadOnlyList<CatalogEntry> catalog, GraderProcess grader, string version,
        string work)
    {
        _root = root;
        _layout = layout;
        _exercises = exercises;
        _catalog = catalog;
        _grader = grader;
        _version = version;
        _work = work;
    }

    /// <summary>The grader's sandbox and limits, for the log.</summary>
    public string Setup => $"{_grader.Status.Sandbox}; {_grader.Status.Limits}";

    /// <summary>The exercises graded, in the course's order.</summary>
    public IReadOnlyList<Exercise> Exercises => _exercises;

    /// <summary>Starts the grader and, unless <paramref name="selfTest"/> is false, grades the instructor's solution first.</summary>
    /// <param name="exerciseIds">The exercises to grade (comma-separated lists allowed); none grades every exercise the grader has checks for.</param>
    /// <exception cref="InfrastructureException">This machine cannot grade: what to change is in the message.</exception>
    /// <param name="dataDir">CIFAR-10, or the retraining checks' subset of it (<see cref="TuningData"/>); by default the repository's <c>data/</c>.</param>
    /// <exception cref="UsageException">An exercise asked for is unknown or has no checks in the grader.</exception>
    public static async Task<GradingPipeline> StartAsync(string root, CourseLayout layout, Limits limits, bool selfTest, IReadOnlyList<string>? exerciseIds = null,
        string? dataDir = null)
    {
        var instructorDll = Path.Combine(DaseCVLoader.BuildDirectory, "DaseCV.dll");
        if (!File.Exists(instructorDll))
            throw new UsageException($"{instructorDll} does not exist; build it with `dotnet build lib/DaseCV -c Release`.");
        var version = (AssemblyName.GetAssemblyName(instructorDll).Version ?? new Version(1, 0, 0, 0)).ToString();
        var catalog = await GraderProcess.CatalogAsync();
        var exercises = Graded(layout, catalog, exerciseIds);
        catalog = [.. exercises.SelectMany(e => catalog.Where(c => c.Exercise == e.Id))];
        var grader = await GraderProcess.StartAsync(limits);
        var pipeline = new GradingPipeline(root, layout, exercises, catalog, grader, version, Directory.CreateTempSubdirectory("dasecv-grade-").FullName);
        try
        {
            // Before anyone is graded: the data and the instructor's choices the retraining checks need.
            pipeline.PrepareRetraining(dataDir ?? Path.Combine(root, "data"));
        }
        catch
        {
            await pipeline.DisposeAsync();
            throw;
        }

        if (selfTest)
        {
            try
            {
                await pipeline.SelfTestAsync();
            }
            catch
            {
                await pipeline.DisposeAsync();
                throw;
            }
        }

        return pipeline;
    }

    /// <summary>The exercises to grade: those asked for, or every exercise the catalog has checks for; each must have checks.</summary>
    internal static IReadOnlyList<Exercise> Graded(CourseLayout layout, IReadOnlyList<CatalogEntry> catalog, IReadOnlyList<string>? exerciseIds)
    {
        if (catalog.Select(c => c.Exercise).Distinct().Where(e => layout.Exercises.All(x => x.Id != e)).ToList() is { Count: > 0 } unknown)
            throw new InfrastructureException($"the grader's catalog has checks for exercises this runner does not know ({string.Join(", ", unknown)}); build the runner and the grader from one checkout");
        // The runner reads answers by question number: an answer check must name one (answer-N).
        if (catalog.FirstOrDefault(c => c.Kind == "answer" && GradedChecks.Question(c) is null) is { } unnumbered)
            throw new InfrastructureException($"the grader's answer check '{unnumbered.Id}' ({unnumbered.Exercise}) names no question; answer checks are answer-N, N the 问题 number");
        if (catalog.FirstOrDefault(c => c.Kind == "answer" && !layout.Exercises.Single(e => e.Id == c.Exercise).Questions.Contains(GradedChecks.Question(c)!.Value)) is { } unasked)
            throw new InfrastructureException($"the grader's answer check '{unasked.Id}' ({unasked.Exercise}) names a question the exercise's notebook does not ask; build the runner and the grader from one checkout");
        if (exerciseIds is null || exerciseIds.Count == 0)
            return [.. layout.Exercises.Where(e => catalog.Any(c => c.Exercise == e.Id))];
        var chosen = layout.Choose(exerciseIds);
        if (chosen.FirstOrDefault(e => catalog.All(c => c.Exercise != e.Id)) is { } unchecked_)
            throw new UsageException($"评分程序没有练习 {unchecked_.Id} 的检查，无法为它评分 (the grader has no checks for the exercise {unchecked_.Id}; it grades " +
                                     $"{string.Join(", ", GradedChecks.Exercises(catalog))}).");
        return chosen;
    }

    /// <summary>The subset and, from the instructor's notebooks, the instructor's choices, which set each retraining check's threshold.</summary>
    private void PrepareRetraining(string dataDir)
    {
        var retrained = _exercises.Where(e => e.ChoiceCells.Any(c => _catalog.Any(k => k.Exercise == e.Id && k.Id == c.Check))).ToList();
        if (retrained.Count == 0)
            return;
        foreach (var exercise in retrained)
        {
            var notebook = IpynbNotebook.Load(Path.Combine(_root, exercise.Notebook));
            foreach (var cell in exercise.ChoiceCells)
            {
                var (choice, problem) = cell.Read(notebook);
                _instructorChoices[$"{exercise.Id}/{cell.Check}"] = choice
                    ?? throw new InfrastructureException($"the instructor's {exercise.Notebook} has no readable choice for {cell.Check}: {problem}");
            }
        }

        _tuningData = TuningData.Prepare(dataDir, _work);
    }

    /// <summary>
    /// What the exercise's retraining checks need: the subset and, per check, the student's choice read from their
    /// notebook (or why there is none) beside the instructor's; null when the exercise has no such check.
    /// </summary>
    private TuningRequest? Retraining(Exercise exercise, IpynbNotebook? notebook, string? notebookProblem)
    {
        if (_tuningData is null || exercise.ChoiceCells.Count == 0)
            return null;
        return new TuningRequest(_tuningData, [.. exercise.ChoiceCells.Select(cell =>
        {
            var (choice, problem) = notebook is null ? (null, notebookProblem) : cell.Read(notebook);
            return new TunedChoice(cell.Check, choice, problem, _instructorChoices[$"{exercise.Id}/{cell.Check}"]);
        })]);
    }

    /// <summary>The instructor's library as it is must pass every code check of every graded exercise here, or nobody is graded.</summary>
    private async Task SelfTestAsync()
    {
        var sources = Path.Combine(_work, "self-test");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_root, _layout.StudentCodeFolder), "*.cs", SearchOption.AllDirectories))
        {
            var relative = CourseLayout.ToRelative(_root, file);
            if (CourseLayout.IsBuildOutput(CourseLayout.ToRelative(Path.Combine(_root, _layout.StudentCodeFolder), file)))
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(sources, relative))!);
            File.Copy(file, Path.Combine(sources, relative));
        }

        var failures = new List<string>();
        foreach (var exercise in _exercises.Where(e => _catalog.Any(c => c.Exercise == e.Id && c.Kind == "code")))
        {
            var instructorNotebook = IpynbNotebook.Load(Path.Combine(_root, exercise.Notebook));
            var response = await _grader.GradeAsync("self-test-" + exercise.Id, sources, _version, exercise.Id, Retraining(exercise, instructorNotebook, null));
            var failed = response.Fault ?? (response.CompileErrors is { } errors ? "it did not compile: " + errors : null)
                ?? string.Join("; ", (response.Report?.Outcomes ?? []).Where(o => o.Fraction < 1).Select(o => $"{o.Id}: {o.Message}"));
            if (failed.Length > 0)
                failures.Add($"{exercise.Id}: {failed}");
        }

        var failedAll = string.Join("; ", failures);
        if (failedAll.Length > 0)
            throw new InfrastructureException("self-test failed: the instructor's own solution, graded here through the sandbox and its limits, did not get full marks, " +
                                              $"so no student would be graded fairly on this machine ({Setup}): {failedAll}");
    }

    /// <summary>Grades one submission (a zip, or a folder) into <paramref name="outDir"/>: results.json and report.html.</summary>
    public async Task<GradedRow> GradeOneAsync(string submissionPath, string outDir)
    {
        var full = Path.GetFullPath(submissionPath);
        var kind = Directory.Exists(full) ? GradingItemKind.Folder : GradingItemKind.Zip;
        var item = new GradingItem(ClassInputs.SafeName(Path.GetFileName(Path.TrimEndingDirectorySeparator(full))), Path.GetFileName(Path.TrimEndingDirectorySeparator(full)), RawTree.PathOf(full), kind);
        return await GradeAsync(item, outDir);
    }

    /// <summary>Grades <paramref name="items"/> (at most <paramref name="jobs"/> at once) into outDir/STUDENT/, then writes the class's files (<see cref="ClassReport"/>).</summary>
    /// <param name="roster">The class list (name, ID), to match, flag and list who handed in nothing; optional.</param>
    public async Task<IReadOnlyList<GradedRow>> GradeClassAsync(IReadOnlyList<GradingItem> items, IReadOnlyList<SkippedEntry> skipped, string outDir, int jobs, Action<string> log,
        Roster? roster = null)
    {
        var output = Path.GetFullPath(outDir);
        Directory.CreateDirectory(output);
        ClassReport.ReadHandMarks(Path.Combine(output, ClassReport.HandMarksFile), _catalog);  // a TA's typo stops here, before hours of grading
        var identity = GraderIdentity();
        var clock = Stopwatch.StartNew();
        var done = 0;
        using var gate = new SemaphoreSlim(jobs);
        var rows = await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                var folder = Path.Combine(output, item.Student);
                var hashPath = Path.Combine(folder, HashFile);
                var hash = InputHash(item.Source, identity);
                GradedRow row;
                string how;
                if (hash is not null && File.Exists(hashPath) && File.ReadAllText(hashPath).Trim() == hash && TryRead(folder) is { } unchanged)
                    (row, how) = (unchanged with { Student = item.Student }, "unchanged, not regraded");
                else
                {
                    Directory.CreateDirectory(folder);
                    File.Delete(hashPath);
                    row = (await GradeAsync(item, folder)) with { Student = item.Student };
                    // A fault is the machine's: graded again next time.
                    if (hash is not null && row.Fault is null)
                        AtomicFile.WriteAllText(hashPath, hash + "\n");
                    how = $"{row.Results.ExecutionTime:F1} s";
                }

                var finished = Interlocked.Increment(ref done);
                var left = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / finished * (items.Count - finished));
                log($"[{finished}/{items.Count}] {item.Student}: {N(row.Results.Score)} / {N(row.Results.MaxScore)} ({how}){(row.Fault is null ? "" : " NOT GRADED: " + row.Fault)}" +
                    (finished < items.Count ? $"; about {left.TotalMinutes:F0} min {left.Seconds} s left" : ""));
                return row;
            }
            finally
            {
                gate.Release();
            }
        }));
        ClassReport.Write(output, _catalog, rows, skipped, roster);
        log($"Graded {items.Count} submissions in {clock.Elapsed.TotalSeconds:F0} s; skipped {skipped.Count}{(skipped.Count > 0 ? $" (see {Path.Combine(outDir, "skipped.txt")})" : "")}; " +
            $"wrote {Path.Combine(outDir, "gradebook.csv")} and the overview {Path.Combine(outDir, ClassReport.IndexFile)}");
        return rows;
    }

    /// <summary>One submission through every stage, exercise by exercise; whatever goes wrong becomes its row's reason.</summary>
    private async Task<GradedRow> GradeAsync(GradingItem item, string outDir)
    {
        var clock = Stopwatch.StartNew();
        var output = Path.GetFullPath(outDir);
        var resultsPath = Path.Combine(output, ResultsFile);
        var reportPath = Path.Combine(output, ReportFile);
        // Only this process writes here, and only these files: a result from an earlier grading must not pass for
        // this one's; anything else in the folder is left alone.
        Directory.CreateDirectory(output);
        File.Delete(resultsPath);
        File.Delete(reportPath);
        foreach (var exercise in _layout.Exercises)
            File.Delete(Path.Combine(output, NotebookPage(exercise)));

        var work = Path.Combine(_work, Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture));
        var summary = new List<string>();
        var tests = new List<GradedTest>();
        var reports = new List<ExerciseReport>();
        var sandbox = "not needed (no code was run)";
        string? fault = null;
        (string Name, string Id, string Notes) who = ("", "", "");
        Submission? submission = null;
        try
        {
            submission = Submission.Open(ClassInputs.Stage(item, Path.Combine(work, "staged"), [.. _exercises.Select(e => e.Notebook)]), item.ShownName);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            summary.Add(Say("无法读取提交", "the submission cannot be read") + ": " + Hide(e.Message, work, item));
        }

        using (submission)
        {
            if (submission is null)
                tests.AddRange(_catalog.Select(c => Zero(c, Say("未评分：无法读取提交", "not graded: the submission cannot be read"))));
            else
            {
                var manifest = ReadManifest(submission);
                who = Identity(manifest);
                foreach (var exercise in _exercises)
                {
                    var checks = _catalog.Where(c => c.Exercise == exercise.Id).ToList();
                    if (MissingExercise(submission, manifest, exercise) is { } missing)
                    {
                        summary.Add($"[{exercise.Id}] {missing}");
                        tests.AddRange(checks.Select(c => Zero(c, missing)));
                        reports.Add(new ExerciseReport(exercise.Id, [], [], null, missing));
                        continue;
                    }

                    // The notebook first: its choice cells are what the retraining checks train.
                    var (notebook, notebookProblem) = LoadNotebook(submission, exercise);
                    var graded = await GradeCodeAsync(item, submission, exercise, checks.Where(c => c.Kind == "code").ToList(), Path.Combine(work, exercise.Id),
                        Retraining(exercise, notebook?.Notebook, notebookProblem));
                    tests.AddRange(graded.Tests);
                    summary.AddRange(graded.Summary.Select(line => $"[{exercise.Id}] {line}"));
                    sandbox = graded.Sandbox ?? sandbox;
                    fault ??= graded.Fault;

                    var (answerTests, answers) = AnswerChecks(checks, notebook, notebookProblem);
                    tests.AddRange(answerTests);
                    string? page = null;
                    if (notebook is not null && RenderNotebook(notebook.Value, exercise, submission, graded.Files) is { } html)
                    {
                        AtomicFile.WriteAllText(Path.Combine(output, NotebookPage(exercise)), html);
                        page = NotebookPage(exercise);
                    }

                    reports.Add(new ExerciseReport(exercise.Id, graded.Files, answers, page, null));
                    summary.Add(SubmissionManifest.Verify(submission.Find, _layout.MarkedFiles(_root), exercise));
                }
            }
        }

        try
        {
            Directory.Delete(work, recursive: true);
        }
        catch (IOException)
        {
        }

        summary.Insert(0, "sandbox: " + sandbox);
        var results = new GradingResults(Math.Round(tests.Sum(t => t.Score), 2), Math.Round(clock.Elapsed.TotalSeconds, 1),
            string.Join("\n\n", summary.Select(s => Feedback.Clean(s, 4000))), tests,
            new Dictionary<string, string> { ["studentName"] = who.Name, ["studentId"] = who.Id, ["run"] = who.Notes });
        var title = $"DaseCV autograder: {item.ShownName}" + (who.Name.Length > 0 ? $" ({who.Name} {who.Id})" : "");
        // Written last and whole (temporary file + rename), after every student process has ended.
        AtomicFile.WriteAllText(reportPath, results.ToHtml(title, _catalog, reports));
        AtomicFile.WriteAllText(resultsPath, results.ToJson());
        return new GradedRow(item.Student, who.Name, who.Id, results, fault);
    }

    /// <summary>What grading one exercise's code gave: the student's files, a test per code check, lines for the summary, the machine's fault and the sandbox.</summary>
    private sealed record CodeGrade(IReadOnlyList<StudentFile> Files, IReadOnlyList<GradedTest> Tests, IReadOnlyList<string> Summary, string? Fault, string? Sandbox);

    /// <summary>
    /// Splices <paramref name="exercise"/>'s regions from the student (the instructor's code in every other
    /// exercise's) and, when it has code checks, has the grader compile and check that exercise.
    /// </summary>
    private async Task<CodeGrade> GradeCodeAsync(GradingItem item, Submission submission, Exercise exercise, IReadOnlyList<CatalogEntry> code, string work, TuningRequest? tuning)
    {
        var summary = new List<string>();
        var tests = new List<GradedTest>();
        IReadOnlyList<StudentFile> studentFiles = [];
        try
        {
            var (files, sources) = Splice.Run(_root, _layout, submission, exercise);
            studentFiles = files;
            summary.AddRange(files.Where(f => f.Problem is not null).Select(f => f.Problem!));
            // An exercise without code checks needs nothing compiled.
            if (code.Count == 0)
                return new CodeGrade(files, [], summary, null, null);
            var folder = Path.Combine(work, "sources");
            foreach (var (relative, text) in sources)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, relative))!);
                File.WriteAllText(Path.Combine(folder, relative), text);
            }

            var response = await _grader.GradeAsync($"{item.Student}#{exercise.Id}#{Interlocked.Increment(ref _next)}", folder, _version, exercise.Id, tuning);
            if (response.Fault is not null)
            {
                summary.Add(Say("评分机器出错，这份提交未评分；请联系课程助教", "the grading machine failed and this submission was not graded; please contact the course staff"));
                tests.AddRange(code.Select(c => Zero(c, Say("未评分：评分机器出错", "not graded: the grading machine failed"), response.Fault)));
                return new CodeGrade(files, tests, summary, response.Fault, null);
            }

            if (response.CompileErrors is { } errors)
            {
                summary.Add(Say("提交的代码无法编译", "the submitted code does not compile") + ":\n" + errors);
                tests.AddRange(code.Select(c => Zero(c, Say("未运行：代码无法编译（见上）", "not run: the submitted code does not compile (see above)"))));
                return new CodeGrade(files, tests, summary, null, null);
            }

            var report = response.Report!;
            foreach (var check in code)
            {
                var verdict = report.Outcomes.FirstOrDefault(o => o.Id == check.Id);
                var fraction = verdict is null || !double.IsFinite(verdict.Fraction) ? 0 : Math.Clamp(verdict.Fraction, 0, 1);
                tests.Add(new GradedTest(GradedChecks.TestName(check), Math.Round(fraction * check.Points, 2), check.Points, verdict?.Message ?? "not run", check.Visibility,
                    verdict is { Detail.Length: > 0 } ? new Dictionary<string, string> { ["instructor"] = verdict.Detail } : null));
            }

            return new CodeGrade(files, tests, summary, null, report.Sandbox + (report.Limits.Length > 0 ? "; " + report.Limits : ""));
        }
        catch (InvalidDataException e)
        {
            summary.Add(Hide(e.Message, work, item));
            tests.AddRange(code.Select(c => Zero(c, Say("未运行：代码无法读取（见上）", "not run: the submitted code cannot be read (see above)"))));
            return new CodeGrade(studentFiles, tests, summary, null, null);
        }
        catch (InfrastructureException e)
        {
            tests.AddRange(code.Select(c => Zero(c, Say("未评分：评分机器出错", "not graded: the grading machine failed"), e.Message)));
            return new CodeGrade(studentFiles, tests, summary, e.Message, null);
        }
    }

    /// <summary>
    /// Why the submission holds nothing of <paramref name="exercise"/> to grade, or null when it does: submit's
    /// manifest (format 3) says whether it was handed in; without one, the exercise's notebook or, in a hand-in not
    /// made by submit, a file with its regions must be there.
    /// </summary>
    private string? MissingExercise(Submission submission, SubmittedManifest? manifest, Exercise exercise)
    {
        string Missing(string why) => Say($"未提交练习 {exercise.Id}（{exercise.Notebook}），该练习记 0 分", $"the exercise {exercise.Id} ({exercise.Notebook}) is not in this submission and scores 0")
                                      + (why.Length > 0 ? ": " + Feedback.Clean(why, 600) : "");
        if (manifest is { Format: >= 3 })
            return manifest.Exercises.FirstOrDefault(e => e.Id == exercise.Id) is { } entry
                ? entry.IsHandedIn ? null : Missing(entry.NotHandedIn!)
                : Missing(Say("发放的作业中没有它", "it was not part of the release the student handed in"));
        if (submission.Find(exercise.Notebook) is not null)
            return null;
        var codeOnly = manifest is null && submission.Find(SubmissionManifest.EntryName) is null
                       && _layout.MarkedRegions(_root).Any(r => exercise.Owns(r.Region.Function) && submission.Find(r.RelativePath) is not null);
        return codeOnly ? null : Missing("");
    }

    private static string NotebookPage(Exercise exercise) => $"notebook-{exercise.Id}.html";

    /// <summary>The exercise's submitted notebook (and where it is), or why there is none to read.</summary>
    private static ((IpynbNotebook Notebook, string Path)? Notebook, string? Problem) LoadNotebook(Submission submission, Exercise exercise)
    {
        if (submission.Find(exercise.Notebook) is not { } path)
            return (null, Say($"未实现：提交中没有 {Path.GetFileName(exercise.Notebook)}", $"not implemented: no {Path.GetFileName(exercise.Notebook)} in the submission"));
        try
        {
            return ((IpynbNotebook.Load(path), path), null);
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or InvalidOperationException or IOException)
        {
            return (null, Feedback.Clean(Say("笔记本无法读取", "the notebook cannot be read") + $": {e.Message}", 600));
        }
    }

    /// <summary>
    /// The student's notebook as the TA reads it: our exporter's page (sanitised, bidi controls visible, paths of the
    /// submission hidden) with the exercise's results table and the graded code as its appendix; never the student's own HTML. Null when it cannot be
    /// rendered (the report says nothing is lost: answers and code are in it too).
    /// </summary>
    private static string? RenderNotebook((IpynbNotebook Notebook, string Path) notebook, Exercise exercise, Submission submission, IReadOnlyList<StudentFile> code)
    {
        try
        {
            return HtmlExporter.Render(notebook.Notebook, System.IO.Path.GetDirectoryName(notebook.Path), new LocalPaths([submission.Folder], []),
                CourseHtml.Excerpts(code.SelectMany(f => f.Regions.Select(r => (f.RelativePath, r)))), exercise.Results, forTeacher: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>
    /// 问题 N by its number (never by position): every answer field holds something other than the placeholder; and the
    /// answers themselves, for the TA's report (never the student's own HTML).
    /// </summary>
    private static (IReadOnlyList<GradedTest> Tests, IReadOnlyList<NotebookAnswer> Answers) AnswerChecks(IReadOnlyList<CatalogEntry> exerciseChecks,
        (IpynbNotebook Notebook, string Path)? notebook, string? problem)
    {
        var checks = exerciseChecks.Where(c => GradedChecks.Question(c) is not null).ToList();
        var answers = notebook is null ? new Dictionary<int, IReadOnlyList<NotebookAnswer>>() : NotebookAnswers.FindByNumber(notebook.Value.Notebook);
        var tests = new List<GradedTest>();
        foreach (var check in checks)
        {
            var number = GradedChecks.Question(check)!.Value;
            var mine = answers.GetValueOrDefault(number) ?? [];
            if (problem is not null)
                tests.Add(Zero(check, problem));
            else if (mine.Count == 0)
                tests.Add(Zero(check, Say($"未实现：笔记本中没有问题 {number} 的回答栏", $"not implemented: the notebook has no answer field for 问题 {number}")));
            else if (mine.Where(a => !a.IsAnswered).Select(a => a.Label).ToList() is { Count: > 0 } blank)
                tests.Add(Zero(check, Say($"未实现：{string.Join("、", blank)} 仍为空或占位文字", $"not implemented: {string.Join(", ", blank)} still empty or the placeholder")));
            else
                tests.Add(new GradedTest(GradedChecks.TestName(check), check.Points, check.Points,
                    Say("已作答，内容由助教批改", "answered; the content is graded by hand") + $" ({string.Join(", ", mine.Select(a => a.Label))})", check.Visibility));
        }

        return (tests, answers.OrderBy(a => a.Key).SelectMany(a => a.Value).ToList());
    }

    /// <summary>The submission's submission.json, or null when it has none that can be read.</summary>
    private static SubmittedManifest? ReadManifest(Submission submission)
    {
        try
        {
            if (submission.Find(SubmissionManifest.EntryName) is { } path && new FileInfo(path).Length < 1 << 20)
                return SubmissionManifest.Read(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException or InvalidOperationException)
        {
        }

        return null;
    }

    /// <summary>
    /// Name and ID as the student typed them (submission.json), and what the TA should know of the run: parts and
    /// exercises handed in unfinished, a run not on the assignment's settings. Empty where there is no readable manifest.
    /// </summary>
    private static (string Name, string Id, string Notes) Identity(SubmittedManifest? manifest)
    {
        if (manifest is null)
            return ("", "", "");
        var notes = new List<string>();
        if (manifest.Exercises.SelectMany(e => e.MissingNames).ToList() is { Count: > 0 } missing)
            notes.Add(Say("未完成", "handed in unfinished") + ": " + string.Join(", ", missing));
        foreach (var entry in manifest.Exercises.Where(e => e.State is { Settings.AreTheAssignments: false }))
            notes.Add(Say("运行设置不是作业的设置", "not run on the assignment's settings") + $" ({entry.Id}): " + entry.State!.Settings.Describe());
        return (Feedback.Clean(manifest.StudentName, 100), Feedback.Clean(manifest.StudentId, 50), Feedback.Clean(string.Join("; ", notes), 600));
    }

    /// <summary>Identifies what decides a grade besides the submission: the grader's and the library's builds and sources.</summary>
    private string GraderIdentity()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var folders = new[] { GraderProcess.BuildDirectory, DaseCVLoader.BuildDirectory, Path.Combine(_root, _layout.StudentCodeFolder), Path.Combine(_root, "lib", "DaseCV.Grader") };
        foreach (var folder in folders.Where(Directory.Exists))
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
                Append(sha, Encoding.UTF8.GetBytes(file), File.ReadAllBytes(file));
        foreach (var exercise in _exercises)
            Append(sha, Encoding.UTF8.GetBytes(exercise.Notebook), File.ReadAllBytes(Path.Combine(_root, exercise.Notebook)));
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>Content hash of a submission (zip bytes, or every file of a folder, names and contents length-prefixed), or null when it cannot be read.</summary>
    private static string? InputHash(byte[] path, string graderIdentity)
    {
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            sha.AppendData(Encoding.UTF8.GetBytes(graderIdentity));
            var pending = new Stack<byte[]>([path]);
            var top = RawTree.Decode(path);
            if (!Directory.Exists(top))
            {
                using var stream = RawTree.OpenRead(path);
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                Append(sha, [], buffer.ToArray());
                return Convert.ToHexString(sha.GetHashAndReset());
            }

            while (pending.Count > 0)
                foreach (var entry in RawTree.List(pending.Pop()))
                {
                    if (entry.Kind == EntryKind.Folder)
                        pending.Push(entry.Path);
                    else if (entry.Kind == EntryKind.File)
                    {
                        using var stream = RawTree.OpenRead(entry.Path);
                        using var buffer = new MemoryStream();
                        stream.CopyTo(buffer);
                        Append(sha, entry.Path, buffer.ToArray());
                    }
                    else
                        Append(sha, entry.Path, Encoding.UTF8.GetBytes(entry.What));
                }

            return Convert.ToHexString(sha.GetHashAndReset());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Length-prefixed, so that no two different (name, content) sequences hash alike.</summary>
    private static void Append(IncrementalHash sha, byte[] name, byte[] content)
    {
        sha.AppendData(BitConverter.GetBytes((long)name.Length));
        sha.AppendData(name);
        sha.AppendData(BitConverter.GetBytes((long)content.Length));
        sha.AppendData(content);
    }

    private static GradedRow? TryRead(string folder)
    {
        try
        {
            var results = GradingResults.FromJson(File.ReadAllText(Path.Combine(folder, ResultsFile)));
            return new GradedRow("", results.ExtraData?.GetValueOrDefault("studentName") ?? "", results.ExtraData?.GetValueOrDefault("studentId") ?? "", results, null);
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>The staging and work folders never reach a student: they read their submission's own name instead.</summary>
    private static string Hide(string message, string work, GradingItem item) =>
        message.Replace(Path.Combine(work, "staged", "submission.zip"), item.ShownName).Replace(Path.Combine(work, "staged"), item.ShownName).Replace(work, "…");

    private static GradedTest Zero(CatalogEntry check, string message, string? detail = null) =>
        new(GradedChecks.TestName(check), 0, check.Points, message, check.Visibility, detail is null ? null : new Dictionary<string, string> { ["instructor"] = detail });

    private static string Say(string zh, string en) => Feedback.Say(zh, en);

    private static string N(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await _grader.DisposeAsync();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
