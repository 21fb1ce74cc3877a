using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DaseCV.Grader;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Coursework.Grading;
using DaseCV.Runner.IO;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Commands;

/// <summary>
/// <c>grade SUBMISSION... [--out DIR] [--jobs N] [--time-limit SECONDS] [--memory-limit MB]</c>. One submission:
/// DIR/results.json (Gradescope's format) and DIR/report.html. Several (several paths, or one folder of zips and
/// folders as Gradescope or an LMS exports them): DIR/STUDENT/results.json + report.html each and DIR/gradebook.csv,
/// graded in parallel; a submission whose content (and grader) did not change since the last run is not regraded.
/// Per submission: the instructor's lib/DaseCV with the student's regions spliced in is compiled (Roslyn, a fresh
/// temporary folder, nothing cached), and the trusted grader runs each check in its sandbox.
/// </summary>
internal static class GradeCommand
{
    private const string ResultsFile = "results.json", ReportFile = "report.html", HashFile = "input.sha256", Gradebook = "gradebook.csv";

    public static Command CommandLine()
    {
        var submissions = new Argument<string[]>("SUBMISSION") { Description = "Zips from submit or folders (e.g. /autograder/submission), or one folder holding many.", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string>("--out", "-o") { Description = "Folder for the results [default: artifacts/grade].", HelpName = "DIR" };
        var jobs = new Option<int?>("--jobs", "-j") { Description = "Submissions graded at once [default: cores, within memory].", HelpName = "N" };
        var timeLimit = new Option<double?>("--time-limit") { Description = "Seconds per check [default: 60].", HelpName = "SECONDS" };
        var memoryLimit = new Option<long?>("--memory-limit") { Description = "Megabytes per check [default: 2048].", HelpName = "MB" };
        jobs.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is not (> 0 and < 1000)) r.AddError("--jobs must be a number > 0."); });
        timeLimit.Validators.Add(r => { if (r.GetValueOrDefault<double?>() is not (> 0 and < 86400)) r.AddError("--time-limit must be a number of seconds > 0."); });
        memoryLimit.Validators.Add(r => { if (r.GetValueOrDefault<long?>() is not (>= 256 and < 1L << 20)) r.AddError("--memory-limit must be a number of megabytes ≥ 256."); });
        var command = new Command("grade", "Grade submissions: results.json (Gradescope format) and report.html each; a gradebook for many.")
        {
            submissions, outDir, jobs, timeLimit, memoryLimit,
        };
        command.SetAction((result, _) => RunAsync(result.GetRequiredValue(submissions), result.GetValue(outDir), result.GetValue(jobs),
            result.GetValue(timeLimit), result.GetValue(memoryLimit)));
        return command;
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> submissions, string? outDir, int? jobs, double? timeLimitSeconds, long? memoryLimitMegabytes)
    {
        var root = CourseLayout.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var limits = CheckLimits.Default with
        {
            Time = timeLimitSeconds is double t ? TimeSpan.FromSeconds(t) : CheckLimits.Default.Time,
            MemoryBytes = memoryLimitMegabytes is long m ? m << 20 : CheckLimits.Default.MemoryBytes,
        };
        var output = outDir ?? "artifacts/grade";
        var items = ClassItems(submissions);
        if (items is null)
        {
            var results = await GradeAsync(root, CourseLayout.Default, submissions[0], output, limits, Console.WriteLine);
            Console.WriteLine($"Score: {N(results.Score)} / {N(results.MaxScore)}");
            return ExitCode.Success;
        }

        var outFull = Path.GetFullPath(output);
        if (submissions.Select(Path.GetFullPath).FirstOrDefault(p => Directory.Exists(p) && IsSameOrInside(p, outFull)) is { } holder)
            throw new UsageException($"--out {output} is inside {holder}, which is graded; the grader never writes among the submissions.");
        var graded = await GradeClassAsync(root, CourseLayout.Default, items, output, limits, jobs, Console.WriteLine);
        Console.WriteLine($"Graded {graded.Count} submissions; gradebook: {Path.Combine(output, Gradebook)}");
        return ExitCode.Success;
    }

    /// <summary>Null for one submission; else (student, path) for each: several paths, or the entries of one class folder.</summary>
    internal static IReadOnlyList<(string Student, string Path)>? ClassItems(IReadOnlyList<string> paths)
    {
        IEnumerable<string> entries;
        if (paths.Count == 1)
        {
            // A folder is one submission when it holds the course's files (lib/, notebooks/, .cs, .ipynb) at its top.
            var folder = paths[0];
            if (!Directory.Exists(folder) || IsOneSubmission(folder))
                return null;
            entries = Directory.EnumerateFileSystemEntries(folder)
                .Where(p => Directory.Exists(p) || p.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
        }
        else
            entries = paths;

        var used = new HashSet<string>(StringComparer.Ordinal);
        return entries.Select(p =>
        {
            var name = SafeName(Path.GetFileName(p.TrimEnd('/', '\\')));
            if (name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                name = name[..^4];
            var unique = name;
            for (var k = 2; !used.Add(unique); k++)
                unique = $"{name}-{k}";
            return (unique, p);
        }).ToList();
    }

    private static bool IsOneSubmission(string folder) =>
        Directory.EnumerateFileSystemEntries(folder).Count() == 1  // e.g. Gradescope's folder with the student's one zip
        || Directory.Exists(Path.Combine(folder, "lib")) || Directory.Exists(Path.Combine(folder, "notebooks"))
        || Directory.EnumerateFiles(folder).Any(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".ipynb", StringComparison.Ordinal));

    /// <summary>Grades many submissions in parallel into <paramref name="outDir"/>/STUDENT/ and writes the gradebook.</summary>
    public static async Task<IReadOnlyList<(string Student, GradingResults Results)>> GradeClassAsync(string repositoryRoot, CourseLayout layout,
        IReadOnlyList<(string Student, string Path)> items, string outDir, CheckLimits limits, int? jobs, Action<string> log)
    {
        var output = Path.GetFullPath(outDir);
        Directory.CreateDirectory(output);
        var catalog = await GraderProcess.CatalogAsync();
        var graderIdentity = GraderIdentity(repositoryRoot, layout);
        // Each grading peaks near one check's memory plus the compiler; more at once than cores only queues.
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var parallel = jobs ?? (int)Math.Clamp(Math.Min(Environment.ProcessorCount, available / (limits.MemoryBytes + (512L << 20))), 1, 64);
        log($"Grading {items.Count} submissions, {parallel} at a time, into {outDir} ...");
        var clock = Stopwatch.StartNew();
        var done = 0;
        using var gate = new SemaphoreSlim(parallel);
        var tasks = items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                var folder = Path.Combine(output, item.Student);
                var hash = InputHash(item.Path, graderIdentity);
                var hashPath = Path.Combine(folder, HashFile);
                var resultsPath = Path.Combine(folder, ResultsFile);
                GradingResults results;
                string how;
                if (hash is not null && File.Exists(hashPath) && File.Exists(resultsPath) && File.ReadAllText(hashPath).Trim() == hash
                    && TryRead(resultsPath) is { } unchanged)
                {
                    (results, how) = (unchanged, "unchanged, not regraded");
                }
                else
                {
                    Directory.CreateDirectory(folder);
                    File.Delete(hashPath);
                    results = await GradeAsync(repositoryRoot, layout, item.Path, folder, limits, _ => { }, catalog);
                    if (hash is not null)
                        AtomicFile.WriteAllText(hashPath, hash + "\n");
                    how = $"{results.ExecutionTime:F0} s";
                }

                log($"[{Interlocked.Increment(ref done)}/{items.Count}] {item.Student}: {N(results.Score)} / {N(results.MaxScore)} ({how})");
                return (item.Student, results);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        var all = await Task.WhenAll(tasks);
        AtomicFile.WriteAllText(Path.Combine(output, Gradebook), GradebookCsv(catalog, all));
        log($"Graded {items.Count} submissions in {clock.Elapsed.TotalSeconds:F0} s; wrote {Path.Combine(outDir, Gradebook)}");
        return all;
    }

    /// <summary>Grades one submission into <paramref name="outDir"/>: results.json and report.html, written last and whole.</summary>
    public static async Task<GradingResults> GradeAsync(string repositoryRoot, CourseLayout layout, string submissionPath,
        string outDir, CheckLimits limits, Action<string> log, IReadOnlyList<CatalogEntry>? catalog = null)
    {
        var clock = Stopwatch.StartNew();
        var output = Path.GetFullPath(outDir);
        var resultsPath = Path.Combine(output, ResultsFile);
        var reportPath = Path.Combine(output, ReportFile);
        var submissionFull = Path.GetFullPath(submissionPath);
        // A path that is not there is the caller's mistake; a submission that is there but unreadable gets results.
        if (!File.Exists(submissionFull) && !Directory.Exists(submissionFull))
            throw new UsageException($"Submission not found: {submissionPath} (a zip from `submit`, a folder, or a folder of them).");
        if (Directory.Exists(submissionFull) && IsSameOrInside(submissionFull, output))
            throw new UsageException($"--out {outDir} is inside the submission; the grader never writes into a submission.");
        if (IsSameOrInside(output, repositoryRoot) || IsSameOrInside(Path.Combine(repositoryRoot, "lib"), output))
            throw new UsageException($"--out {outDir} would hold the repository or be inside its lib/; choose a folder of its own (e.g. artifacts/grade).");
        catalog ??= await GraderProcess.CatalogAsync();

        // Only this process writes here, and only these two files: a result from an earlier grading must not pass
        // for this one's; anything else in the folder is left alone.
        Directory.CreateDirectory(output);
        File.Delete(resultsPath);
        File.Delete(reportPath);

        var summary = new List<string>();
        var tests = new List<GradedTest>();
        var code = catalog.Where(c => c.Kind == "code").ToList();
        var studentFiles = new List<StudentFile>();
        string? sandbox = null;
        Submission? submission = null;
        try
        {
            submission = Submission.Open(submissionPath);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or IOException or UnauthorizedAccessException)
        {
            summary.Add(Bilingual("无法读取提交", "the submission cannot be read") + ": " + e.Message);
        }

        using (submission)
        {
            if (submission is null)
                tests.AddRange(catalog.Select(c => Zero(c, Bilingual("未评分：无法读取提交", "not graded: the submission cannot be read"))));
            else
            {
                var graded = layout.MarkedFiles(repositoryRoot).ToDictionary(f => f, f => File.ReadAllText(Path.Combine(repositoryRoot, f)));
                studentFiles = graded.Keys.Select(f => ReadStudentFile(f, graded[f], layout, submission)).ToList();
                summary.AddRange(studentFiles.Where(f => f.Problem is not null).Select(f => f.Problem!));
                var temp = Directory.CreateTempSubdirectory("dasecv-grade-").FullName;
                try
                {
                    log("Compiling the submission's library ...");
                    var library = StudentBuild.Compile(Sources(repositoryRoot, layout, studentFiles), temp);
                    if (library.Dll is null)
                    {
                        summary.Add(Bilingual("提交的代码无法编译", "the submitted code does not compile") + ":\n" + library.Errors);
                        tests.AddRange(code.Select(c => Zero(c, Bilingual("未运行：代码无法编译（见上）", "not run: the submitted code does not compile (see above)"))));
                    }
                    else
                    {
                        log("Running the checks in the grader's sandbox ...");
                        try
                        {
                            var report = await GraderProcess.CheckAsync(library.Dll, limits, code.Count);
                            sandbox = report.Sandbox;
                            foreach (var check in code)
                            {
                                var verdict = report.Outcomes.FirstOrDefault(o => o.Id == check.Id);
                                var fraction = verdict is null || !double.IsFinite(verdict.Fraction) ? 0 : Math.Clamp(verdict.Fraction, 0, 1);
                                tests.Add(new GradedTest(check.Name, Math.Round(fraction * check.Points, 2), check.Points,
                                    verdict?.Message ?? "not run", check.Visibility,
                                    verdict is { Detail.Length: > 0 } ? new Dictionary<string, string> { ["instructor"] = verdict.Detail } : null));
                                log($"  {check.Id}: {N(fraction * check.Points)} / {N(check.Points)}");
                            }
                        }
                        catch (InvalidOperationException e)
                        {
                            // The grader's own failure, not the student's: zero with a message to contact the staff.
                            summary.Add(Bilingual("评分程序出错，请联系课程助教", "the autograder failed; please contact the course staff"));
                            tests.AddRange(code.Select(c => Zero(c, Bilingual("未评分：评分程序出错", "not graded: the autograder failed"), e.Message)));
                        }
                    }
                }
                finally
                {
                    Directory.Delete(temp, recursive: true);
                }

                tests.AddRange(AnswerChecks(catalog, layout, submission));
                summary.Add(SubmissionManifest.Verify(submission.Find, layout.MarkedFiles(repositoryRoot), layout.Notebook));
            }
        }

        summary.Insert(0, "sandbox: " + (sandbox ?? "not needed (no code was run)"));
        var results = new GradingResults(Math.Round(tests.Sum(t => t.Score), 2), Math.Round(clock.Elapsed.TotalSeconds, 1),
            string.Join("\n\n", summary.Select(s => Clip(s, 4000))), tests);
        // Written last and whole (temporary file + rename), after every student process has ended.
        AtomicFile.WriteAllText(reportPath, results.ToHtml($"DaseCV autograder: {Path.GetFileName(submissionPath.TrimEnd('/', '\\'))}", studentFiles));
        AtomicFile.WriteAllText(resultsPath, results.ToJson());
        log($"Wrote {resultsPath} and {reportPath}");
        return results;
    }

    /// <summary>
    /// The student's graded regions of one marked file (the SVM exercise's stay the instructor's: they ship solved),
    /// spliced into the instructor's file, or the reason they cannot be used.
    /// </summary>
    private static StudentFile ReadStudentFile(string relativePath, string instructorText, CourseLayout layout, Submission submission)
    {
        var instructorRegions = SolutionMarkers.Find(instructorText, relativePath);
        var gradedFunctions = instructorRegions.Select(r => r.Function).Where(f => !layout.SvmFunctions.Contains(f)).ToList();
        if (gradedFunctions.Count == 0)
            return new StudentFile(relativePath, [], null);
        if (submission.Find(relativePath) is not { } path)
            return new StudentFile(relativePath, [], $"not implemented: {relativePath} is not in the submission");
        try
        {
            var text = File.ReadAllText(path);
            var regions = SolutionMarkers.Find(text, relativePath);
            if (!regions.Select(r => r.Function).SequenceEqual(instructorRegions.Select(r => r.Function)))
                return new StudentFile(relativePath, [],
                    $"{relativePath}: the markers were changed: expected regions in {string.Join(", ", instructorRegions.Select(r => r.Function))}; " +
                    $"found {(regions.Count == 0 ? "none" : string.Join(", ", regions.Select(r => r.Function)))}");
            var student = regions.Where(r => gradedFunctions.Contains(r.Function)).ToList();
            var spliced = Splice(instructorText, instructorRegions, student, gradedFunctions);
            if (SolutionMarkers.OutsideRegionsProblem(instructorText, spliced, relativePath) is { } problem)
                return new StudentFile(relativePath, [], problem);
            return new StudentFile(relativePath, student, null);
        }
        catch (InvalidDataException e)
        {
            return new StudentFile(relativePath, [], $"{relativePath}: the markers are broken: {e.Message}");
        }
    }

    private static string Splice(string instructorText, IReadOnlyList<MarkedRegion> instructorRegions, IReadOnlyList<MarkedRegion> student, IReadOnlyList<string> graded) =>
        SolutionMarkers.Replace(instructorText, instructorRegions, r =>
            graded.Contains(r.Function) ? student.First(s => s.Function == r.Function).Code : r.Code);

    /// <summary>lib/DaseCV's sources: the instructor's, with each usable student region in, and a throw naming the problem otherwise.</summary>
    private static Dictionary<string, string> Sources(string repositoryRoot, CourseLayout layout, IReadOnlyList<StudentFile> studentFiles)
    {
        var library = Path.Combine(repositoryRoot, layout.StudentCodeFolder);
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(library, "*.cs", SearchOption.AllDirectories))
        {
            var relative = CourseLayout.ToRelative(repositoryRoot, file);
            if (!CourseLayout.IsBuildOutput(CourseLayout.ToRelative(library, file)))
                sources[relative] = File.ReadAllText(file);
        }

        foreach (var student in studentFiles)
        {
            var text = sources[student.RelativePath];
            var regions = SolutionMarkers.Find(text, student.RelativePath);
            sources[student.RelativePath] = SolutionMarkers.Replace(text, regions, region =>
            {
                if (layout.SvmFunctions.Contains(region.Function))
                    return region.Code;
                if (student.Problem is null)
                    return student.Regions.First(r => r.Function == region.Function).Code;
                // Nothing usable from the student here: the function throws, naming the problem.
                return $"{region.Indent}#pragma warning disable CS0162\n{region.Indent}throw new NotImplementedException(\"{Escape(student.Problem)}\");";
            });
        }

        return sources;
    }

    /// <summary>问题 1 and 问题 2: every answer field holds something other than the placeholder.</summary>
    private static IEnumerable<GradedTest> AnswerChecks(IReadOnlyList<CatalogEntry> catalog, CourseLayout layout, Submission submission)
    {
        var checks = catalog.Where(c => c.Kind == "answer").ToList();
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
            catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or InvalidOperationException or IOException)
            {
                problem = Clip($"the notebook cannot be read: {e.Message}", 600);
            }
        }

        var questions = notebook is null ? [] : NotebookAnswers.Find(notebook).GroupBy(a => a.Question).ToList();
        foreach (var check in checks)
        {
            var number = int.Parse(check.Id["answer-".Length..], CultureInfo.InvariantCulture);
            if (problem is not null)
            {
                yield return Zero(check, problem);
                continue;
            }

            var answers = questions.Count >= number ? questions[number - 1].ToList() : [];
            if (answers.Count == 0)
                yield return Zero(check, $"not implemented: the notebook has no answer field for question {number}");
            else if (answers.Where(a => !a.IsAnswered).Select(a => a.Label).ToList() is { Count: > 0 } blank)
                yield return Zero(check, $"not implemented: {string.Join(", ", blank)} still empty or the placeholder");
            else
                yield return new GradedTest(check.Name, check.Points, check.Points,
                    Bilingual("已作答，内容由助教批改", "answered") + $" ({string.Join(", ", answers.Select(a => a.Label))}); the content is graded by hand", check.Visibility);
        }
    }

    private static GradedTest Zero(CatalogEntry check, string message, string? detail = null) =>
        new(check.Name, 0, check.Points, message, check.Visibility, detail is null ? null : new Dictionary<string, string> { ["instructor"] = detail });

    private static string GradebookCsv(IReadOnlyList<CatalogEntry> catalog, IReadOnlyList<(string Student, GradingResults Results)> all)
    {
        static string Q(string s) => s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";
        var csv = new StringBuilder();
        csv.Append("student,").AppendJoin(',', catalog.Select(c => Q(c.Id))).Append(",total,max,status,reason\n");
        foreach (var (student, results) in all.OrderBy(a => a.Student, StringComparer.Ordinal))
        {
            var scores = catalog.Select(c => results.Tests.FirstOrDefault(t => t.Name == c.Name)?.Score ?? 0);
            // After the sandbox line; the code-hash line is a fact about the zip, not a reason for the score.
            var reasons = results.Output.Split("\n\n").Skip(1).Where(r => !r.StartsWith("code hash: ", StringComparison.Ordinal)).ToList();
            var status = results.Tests.All(t => t.Score == t.MaxScore) ? "full" : reasons.Count > 0 ? "problem" : "graded";
            csv.Append(Q(student)).Append(',').AppendJoin(',', scores.Select(N)).Append(',').Append(N(results.Score)).Append(',')
                .Append(N(results.MaxScore)).Append(',').Append(status).Append(',').Append(Q(Clip(reasons.FirstOrDefault() ?? "", 300).ReplaceLineEndings(" "))).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>Identifies what decides a grade besides the submission: the grader's and the library's builds and sources.</summary>
    private static string GraderIdentity(string repositoryRoot, CourseLayout layout)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var folders = new[] { GraderProcess.BuildDirectory, Path.Combine(GraderProcess.BuildDirectory, "..", "..", "..", "Harness", "bin", "Release", "net10.0"), DaseCVLoader.BuildDirectory, Path.Combine(repositoryRoot, layout.StudentCodeFolder) };
        foreach (var folder in folders.Where(Directory.Exists))
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                sha.AppendData(Encoding.UTF8.GetBytes(file + "\0"));
                sha.AppendData(File.ReadAllBytes(file));
            }

        sha.AppendData(File.ReadAllBytes(Path.Combine(repositoryRoot, layout.Notebook)));
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>Content hash of a submission (zip bytes, or every file of a folder), or null when it cannot be read.</summary>
    private static string? InputHash(string path, string graderIdentity)
    {
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            sha.AppendData(Encoding.UTF8.GetBytes(graderIdentity));
            if (File.Exists(path))
                sha.AppendData(File.ReadAllBytes(path));
            else
                foreach (var file in Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }).Order(StringComparer.Ordinal))
                {
                    sha.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(path, file) + "\0"));
                    sha.AppendData(File.ReadAllBytes(file));
                }

            return Convert.ToHexString(sha.GetHashAndReset());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static GradingResults? TryRead(string path)
    {
        try
        {
            return GradingResults.FromJson(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException)
        {
            return null;
        }
    }

    private static string SafeName(string name)
    {
        var safe = new string(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray()).Trim('.');
        return safe.Length == 0 ? "submission" : safe;
    }

    private static string Bilingual(string zh, string en) => $"{zh} / {en}";

    private static string Clip(string text, int max) => text.Length > max ? text[..max] + "…" : text;

    private static string N(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Escape(string text) => Clip(text, 500).Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", " ").Replace("\r", " ");

    private static bool IsSameOrInside(string folder, string path)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}
