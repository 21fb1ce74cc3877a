using System.CommandLine;
using System.Globalization;
using DaseCV.Grader;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Coursework.Grading;
using DaseCV.Runner.IO;

namespace DaseCV.Runner.Commands;

/// <summary>
/// <c>grade SUBMISSION... [--out DIR] [--jobs N] [--time-limit SECONDS] [--memory-limit MB] [--class | --one]
/// [--allow-unlimited] [--skip-self-test] [--exercise ID,...] [--data-dir DIR]</c>. One submission: DIR/results.json (Gradescope's format) and
/// DIR/report.html. Several, or a class folder: DIR/STUDENT/ each, DIR/gradebook.csv and DIR/skipped.txt. The stages
/// are <see cref="GradingPipeline"/>'s; this command reads the options and says what happened.
/// </summary>
internal static class GradeCommand
{
    public static Command CommandLine()
    {
        var submissions = new Argument<string[]>("SUBMISSION") { Description = "Zips from submit or folders (e.g. /autograder/submission), or one folder holding many.", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string>("--out", "-o") { Description = "Folder for the results [default: artifacts/grade].", HelpName = "DIR" };
        var jobs = new Option<int?>("--jobs", "-j") { Description = "Submissions graded at once [default: 2, at most the cores].", HelpName = "N" };
        var timeLimit = new Option<double?>("--time-limit") { Description = "Seconds per check [default: 60].", HelpName = "SECONDS" };
        var memoryLimit = new Option<long?>("--memory-limit") { Description = "Megabytes per submission's checks, tmpfs included [default: 384].", HelpName = "MB" };
        var asClass = new Option<bool>("--class") { Description = "The one folder given is a class folder, whatever it holds." };
        var asOne = new Option<bool>("--one") { Description = "The one folder given is one submission, whatever it holds." };
        var allowUnlimited = new Option<bool>("--allow-unlimited") { Description = "Grade even where the kernel cannot limit memory and processes (a container that is itself the limit)." };
        var skipSelfTest = new Option<bool>("--skip-self-test") { Description = "Do not grade the instructor's solution first (Gradescope's setup.sh did)." };
        var exercises = CommandArguments.Exercises("The exercises to grade, comma-separated or repeated [default: every exercise the grader has checks for].");
        var dataDir = new Option<string?>("--data-dir") { Description = "CIFAR-10 (or the retraining subset, as the Gradescope bundle carries it) for the retraining checks [default: the repository's data/].", HelpName = "DIR" };
        var roster = new Option<string?>("--roster") { Description = "The class list (CSV with name and ID columns): match, flag and list who handed in nothing.", HelpName = "FILE.csv" };
        jobs.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is not (> 0 and < 1000)) r.AddError("--jobs must be a number > 0."); });
        timeLimit.Validators.Add(r => { if (r.GetValueOrDefault<double?>() is not (> 0 and < 86400)) r.AddError("--time-limit must be a number of seconds > 0."); });
        memoryLimit.Validators.Add(r => { if (r.GetValueOrDefault<long?>() is not (>= 256 and < 1L << 20)) r.AddError("--memory-limit must be a number of megabytes ≥ 256."); });
        var command = new Command("grade", "Grade submissions: results.json (Gradescope format) and report.html each; a gradebook for many.")
        {
            submissions, outDir, jobs, timeLimit, memoryLimit, asClass, asOne, allowUnlimited, skipSelfTest, roster, exercises, dataDir,
        };
        command.SetAction((result, _) =>
        {
            if (result.GetValue(asClass) && result.GetValue(asOne))
                throw new UsageException("--class and --one contradict each other; give one of them.");
            var limits = Limits.Default with
            {
                Time = result.GetValue(timeLimit) is double t ? TimeSpan.FromSeconds(t) : Limits.Default.Time,
                MemoryBytes = result.GetValue(memoryLimit) is long m ? m << 20 : Limits.Default.MemoryBytes,
                AllowUnlimited = result.GetValue(allowUnlimited),
            };
            bool? kind = result.GetValue(asClass) ? true : result.GetValue(asOne) ? false : null;
            return RunAsync(result.GetRequiredValue(submissions), result.GetValue(outDir) ?? "artifacts/grade", result.GetValue(jobs), limits, kind,
                !result.GetValue(skipSelfTest), Console.WriteLine, result.GetValue(roster), result.GetValue(exercises), result.GetValue(dataDir));
        });
        return command;
    }

    /// <summary>The command with parsed values; exit 0 when everyone was graded, 4 when the machine kept some or all from being graded.</summary>
    /// <param name="exercises">The exercises to grade (ids, comma-separated lists allowed); none grades every exercise the grader has checks for.</param>
    /// <param name="dataDir">CIFAR-10 or the retraining subset; null for the repository's data/.</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> paths, string output, int? jobs, Limits limits, bool? asClass, bool selfTest, Action<string> log,
        string? rosterPath = null, IReadOnlyList<string>? exercises = null, string? dataDir = null)
    {
        var root = CourseLayout.FindRepositoryRoot(Directory.GetCurrentDirectory());
        Roster? roster;
        try
        {
            roster = rosterPath is null ? null : Roster.Load(rosterPath);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new UsageException(e.Message);
        }

        foreach (var path in paths.Where(p => !File.Exists(p) && !Directory.Exists(p) && paths.Count == 1))
            throw new UsageException($"Submission not found: {path} (a zip from `submit`, a folder, or a folder of them).");
        var outFull = Path.GetFullPath(output);
        if (paths.Select(Path.GetFullPath).FirstOrDefault(p => Directory.Exists(p) && PathContainment.IsSameOrInside(p, outFull)) is { } holder)
            throw new UsageException($"--out {output} is inside {holder}, which is graded; the grader never writes among the submissions.");
        if (PathContainment.IsSameOrInside(outFull, root) || PathContainment.IsSameOrInside(Path.Combine(root, "lib"), outFull))
            throw new UsageException($"--out {output} would hold the repository or be inside its lib/; choose a folder of its own (e.g. artifacts/grade).");
        var (items, skipped) = ClassInputs.Find(paths, asClass);

        GradingPipeline pipeline;
        try
        {
            log(selfTest ? "Grading the instructor's solution first (self-test) ..." : "Starting the grader ...");
            pipeline = await GradingPipeline.StartAsync(root, CourseLayout.Default, limits, selfTest, exercises, dataDir);
        }
        catch (InfrastructureException e)
        {
            Console.Error.WriteLine($"评分环境不可用，没有为任何人评分 (this machine cannot grade; nobody was graded): {e.Message}");
            return ExitCode.MachineFault;
        }

        await using (pipeline)
        {
            log($"sandbox: {pipeline.Setup}");
            log($"exercises: {string.Join(", ", pipeline.Exercises.Select(e => e.Id))}");
            if (items is null)
            {
                var row = await pipeline.GradeOneAsync(paths[0], output);
                log($"Score: {N(row.Results.Score)} / {N(row.Results.MaxScore)}; wrote {Path.Combine(output, "results.json")} and report.html");
                return row.Fault is null ? ExitCode.Success : Fault(row.Fault);
            }

            foreach (var skip in skipped)
                log($"skipped {skip.Name}: {skip.Reason}");
            // Each grading peaks near its check's memory limit plus the compiler's share; two at once fill two cores.
            var parallel = Math.Clamp(jobs ?? Math.Min(2, Environment.ProcessorCount), 1, 64);
            log($"Grading {items.Count} submissions, {parallel} at a time, into {output} ...");
            var rows = await pipeline.GradeClassAsync(items, skipped, output, parallel, log, roster);
            var faults = rows.Where(r => r.Fault is not null).ToList();
            return faults.Count == 0 ? ExitCode.Success : Fault($"{faults.Count} submissions were not graded ({string.Join(", ", faults.Select(f => f.Student).Take(5))}): {faults[0].Fault}");
        }
    }

    private static int Fault(string why)
    {
        Console.Error.WriteLine($"评分机器出错 (the grading machine failed; not the students'): {why}");
        return ExitCode.MachineFault;
    }

    private static string N(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);

}
