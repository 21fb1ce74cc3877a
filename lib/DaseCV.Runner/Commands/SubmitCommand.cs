using System.CommandLine;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Execution;
using DaseCV.Runner.Html;
using DaseCV.Runner.IO;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Commands;

/// <summary>
/// <c>submit [--out FILE] [--executed NOTEBOOK]... [--exercise ID,...] [-p NAME=VALUE]...</c> (CS231n's collect_submission): one zip with
/// each released exercise's executed notebook (<see cref="ReleaseManifest"/>), its HTML with an appendix of the
/// student's code for it, the files that hold marked regions at their repository paths, and
/// <see cref="SubmissionManifest"/>. An exercise that is unfinished or could not run is handed in as far as it goes
/// or listed as missing; only a hand-in with nothing in it is refused.
/// </summary>
internal static class SubmitCommand
{
    /// <summary>The command for the runner's parser; its action calls <see cref="RunAsync(string?, IReadOnlyList{string}, IReadOnlyList{KeyValuePair{string, string}}, IReadOnlyList{string}?)"/>.</summary>
    public static Command CommandLine()
    {
        var outFile = new Option<string>("--out", "-o") { Description = "The zip to write [default: artifacts/submission.zip].", HelpName = "FILE.zip" };
        var executed = new Option<string[]>("--executed")
        {
            Description = "A notebook already run top to bottom (e.g. saved by VS Code) instead of running it now (repeatable, one per exercise; exercises not given are listed as not run).",
            HelpName = "NOTEBOOK.ipynb",
        };
        var parameters = new Option<string[]>(CommandArguments.ParameterAliases[0], CommandArguments.ParameterAliases[1..])
        {
            Description = "Override a variable of the notebooks' parameters cells for the run (repeatable).",
            HelpName = "NAME=VALUE",
        };
        var exercises = CommandArguments.Exercises("Hand in only these of the released exercises, comma-separated or repeated (the others are listed as not handed in) [default: all].");
        var command = new Command("submit", "Run the exercises' notebooks and zip them, their HTML with your code, and your source files to hand in.")
        {
            outFile, executed, exercises, parameters,
        };
        command.SetAction((result, _) => RunAsync(result.GetValue(outFile), result.GetValue(executed) ?? [],
            [.. (result.GetValue(parameters) ?? []).Select(NotebookParameters.Parse)], result.GetValue(exercises)));
        return command;
    }

    /// <summary>One exercise collected: its manifest entry and, when handed in, its executed notebook and page.</summary>
    private sealed record Collected(ExerciseEntry Entry, IpynbNotebook? Notebook, string? Html);

    /// <summary>The command with parsed values.</summary>
    /// <param name="outFile">The zip (default artifacts/submission.zip): a new file or an earlier zip, never an input or a source file.</param>
    /// <param name="executedNotebooks">Notebooks already run top to bottom (e.g. saved by VS Code), matched to exercises by file name; none runs every notebook now.</param>
    /// <param name="parameters">Parameter overrides for those runs.</param>
    /// <param name="exerciseIds">Hand in only these released exercises (ids, comma-separated lists allowed); none hands in every one.</param>
    public static async Task<int> RunAsync(string? outFile, IReadOnlyList<string> executedNotebooks, IReadOnlyList<KeyValuePair<string, string>> parameters,
        IReadOnlyList<string>? exerciseIds = null)
    {
        var root = CourseLayout.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var layout = CourseLayout.Default;
        var released = ReleaseManifest.Read(root, layout);
        if (released.Count == 0)
            throw new UsageException($"{root} 中没有任何练习的 notebook (no exercise's notebook in {root}: expected {string.Join(", ", layout.Exercises.Select(e => e.Notebook))}).");
        var zipPath = Path.GetFullPath(outFile ?? Path.Combine(root, "artifacts", "submission.zip"));
        var code = layout.MarkedRegions(root);
        var sourceFiles = code.Select(c => c.RelativePath).Distinct().ToList();
        if (executedNotebooks.Count > 0 && parameters.Count > 0)
            throw new UsageException("-p 只用于 submit 自己运行的 notebook；--executed 的 notebook 已经运行过：请在参数单元中修改，Run All 并保存 " +
                                     "(-p applies to the run submit makes; change the parameters cell of the executed notebook, Run All and save instead).");
        var chosen = exerciseIds is { Count: > 0 } ? layout.Choose(exerciseIds) : released;
        if (chosen.FirstOrDefault(e => !released.Contains(e)) is { } notReleased)
            throw new UsageException($"练习 {notReleased.Id} 不在你拿到的作业中（{string.Join("、", released.Select(e => e.Id))}） " +
                                     $"(the exercise {notReleased.Id} is not in your copy of the assignment: {string.Join(", ", released.Select(e => e.Id))}).");
        var executed = ExecutedByExercise(executedNotebooks, chosen);
        RefuseUnsafeTarget(zipPath, root, [.. released.Select(e => Path.Combine(root, e.Notebook)), .. executed.Values, .. sourceFiles.Select(f => Path.Combine(root, f))]);
        var inputs = released.Select(e => (Exercise: e, Path: executed.GetValueOrDefault(e) ?? Path.Combine(root, e.Notebook))).Where(i => File.Exists(i.Path))
            .Select(i => (i.Exercise, IpynbNotebook.Load(i.Path))).ToList();
        RefuseMissingIdentity(FirstIdentity(inputs, parameters), executedNotebooks.Count == 0 ? "" : " then Run All and save");

        var collected = new List<Collected>();
        foreach (var exercise in released)
        {
            if (!chosen.Contains(exercise))
            {
                collected.Add(new Collected(new ExerciseEntry(exercise.Id, exercise.Notebook, null, null,
                    $"没有选择这个练习（submit --exercise） (not chosen: submit --exercise {string.Join(",", chosen.Select(e => e.Id))})"), null, null));
                continue;
            }

            try
            {
                collected.Add(executedNotebooks.Count == 0
                    ? await CollectAsync(exercise, root, code, Path.Combine(root, exercise.Notebook), parameters)
                    : await CollectAsync(exercise, root, code, executed.GetValueOrDefault(exercise), null));
            }
            catch (UsageException e) when (chosen.Count > 1)
            {
                // One exercise that cannot be handed in never keeps the others from being handed in.
                Console.Error.WriteLine($"警告：练习 {exercise.Id} 不会被提交，submission.json 把它列为缺少 (warning: the exercise {exercise.Id} is not handed in; submission.json lists it as missing): {e.Message}");
                collected.Add(new Collected(new ExerciseEntry(exercise.Id, exercise.Notebook, null, null, e.Message), null, null));
            }
        }

        var handedIn = collected.Where(c => c.Entry.IsHandedIn).ToList();
        if (handedIn.Count == 0)
            throw new UsageException("没有可以提交的练习 (no exercise can be handed in):\n" + string.Join("\n", collected.Select(c => $"  {c.Entry.Id}: {c.Entry.NotHandedIn}")));
        // As the executed notebooks say, else as the parameters cell of a notebook not handed in says it.
        var (name, id) = FirstIdentity([.. handedIn.Select(c => (layout.Find(c.Entry.Id), c.Notebook!)), .. inputs], executedNotebooks.Count == 0 ? parameters : []);
        RefuseMissingIdentity((name, id), "");
        var manifest = SubmissionManifest.ToJson(name!, id!, sourceFiles, executedNotebooks.Count == 0 ? "submit" : "executed", [.. collected.Select(c => c.Entry)]);
        Write(zipPath, root, handedIn, manifest, sourceFiles);
        var notebooks = string.Join(", ", handedIn.Select(c => Path.GetFileName(c.Entry.Notebook)));
        Console.WriteLine($"已写出 {zipPath}：执行过的 {notebooks}、附有你的代码的 HTML、{sourceFiles.Count} 个源文件和 {SubmissionManifest.EntryName}。请提交这个文件。");
        Console.WriteLine($"(Wrote {zipPath}: the executed {notebooks}, their HTML with your code, {sourceFiles.Count} source files and {SubmissionManifest.EntryName}. Hand in this file.)");
        return ExitCode.Success;
    }

    /// <summary>The <c>--executed</c> notebooks by exercise, matched by file name.</summary>
    private static Dictionary<Exercise, string> ExecutedByExercise(IReadOnlyList<string> paths, IReadOnlyList<Exercise> released)
    {
        var executed = new Dictionary<Exercise, string>();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (!File.Exists(full))
                throw new UsageException($"找不到 notebook {path} (notebook not found: {full}).");
            var exercise = released.FirstOrDefault(e => Path.GetFileName(e.Notebook) == Path.GetFileName(full))
                           ?? throw new UsageException($"{path} 不是发放的练习的 notebook（{string.Join("、", released.Select(e => Path.GetFileName(e.Notebook)))}） " +
                                                       $"({path} is not the notebook of a released exercise: {string.Join(", ", released.Select(e => Path.GetFileName(e.Notebook)))}).");
            if (!executed.TryAdd(exercise, full))
                throw new UsageException($"--executed 给出了两个 {Path.GetFileName(full)} (--executed names two notebooks for {exercise.Id}).");
        }

        return executed;
    }

    /// <summary>
    /// One exercise: runs its notebook (or takes the executed one), checks the run, and says what it leaves
    /// unfinished. Null <paramref name="notebookPath"/>: not given with <c>--executed</c>, so not run.
    /// </summary>
    /// <param name="runParameters">Run the notebook now with these overrides; null when <paramref name="notebookPath"/> was run already (<c>--executed</c>).</param>
    /// <exception cref="UsageException">The exercise cannot be handed in: why, for the student.</exception>
    private static async Task<Collected> CollectAsync(Exercise exercise, string root, IReadOnlyList<(string RelativePath, MarkedRegion Region)> code, string? notebookPath,
        IReadOnlyList<KeyValuePair<string, string>>? runParameters)
    {
        if (notebookPath is null)
            throw new UsageException($"没有用 --executed 给出 {Path.GetFileName(exercise.Notebook)}，所以没有运行 (not run: no --executed {Path.GetFileName(exercise.Notebook)} was given).");
        if (!File.Exists(notebookPath))
            throw new UsageException($"找不到 notebook {exercise.Notebook} (notebook not found: {notebookPath}).");
        var own = code.Where(c => exercise.Owns(c.Region.Function)).ToList();
        var input = IpynbNotebook.Load(notebookPath);
        // Stubs of the student's code: the run may stop at one of them and still be handed in (the answers are read after the run).
        var unfinishedCode = UnfinishedWork.Find(code, exercise, input).Where(p => !p.IsAnswer).ToList();
        if (runParameters is null)
            RefuseCodeNewerThan(notebookPath, root, own.Select(c => c.RelativePath).Distinct());
        else
        {
            var runDirectory = Path.Combine(root, "artifacts", "submission-run");
            var run = RunRequest.Prepare(notebookPath, runDirectory, runParameters, Cli.DefaultCellTimeout, verbose: false);
            if (await RunCommand.ExecuteAsync(run, TerminalProgress.ForConsole(), Console.Error) != ExitCode.Success && unfinishedCode.Count == 0)
                throw new UsageException($"{exercise.Notebook} 没有运行到最后（上面给出了失败的单元），所以还不能提交：改正后再运行 submit " +
                                         $"({exercise.Notebook} did not run to the end; the failing cell is named above. Fix it and run submit again).");
            notebookPath = Path.Combine(runDirectory, Path.GetFileName(exercise.Notebook));
            // The outputs came from the code read above: refuse when it was edited while the notebook ran.
            var after = CourseLayout.Default.MarkedRegions(root);
            if (!after.Select(c => (c.RelativePath, c.Region.Code)).SequenceEqual(code.Select(c => (c.RelativePath, c.Region.Code))))
                throw new UsageException("notebook 运行期间你的代码被修改了，输出不再对应提交的代码：请再运行一次 submit " +
                                         "(your code changed while the notebook ran, so its outputs are not those of the code submitted; run submit again).");
        }

        var notebook = IpynbNotebook.Load(notebookPath);
        var unfinished = UnfinishedWork.Find(code, exercise, notebook);
        var stop = RefuseIncompleteRun(notebook, notebookPath, unfinished);
        var settings = RunSettings.Read(notebook, exercise);
        WarnUnfinished(exercise, unfinished, stop);
        if (!settings.AreTheAssignments)
            Console.Error.WriteLine($"警告：{exercise.Id} 这次运行没有使用作业的设置：{settings.Describe()}（括号里是作业的设置）。zip 仍会写出，submission.json 记下这一点，助教会看到。" +
                                    "正式提交请用作业的设置运行（去掉 -p，或把参数单元改回默认值）" +
                                    $"\n(warning: this run of {exercise.Id} did not use the assignment's settings: {settings.Describe()} (the assignment's in brackets). The zip is written " +
                                    "and submission.json records it, so the TA sees it; for your real hand-in, run with the assignment's settings: no -p, or the parameters cell's defaults.)");
        var html = HtmlExporter.Render(notebook, Path.Combine(root, Path.GetDirectoryName(exercise.Notebook)!), code: CourseHtml.Excerpts(own), resultCells: exercise.Results);
        return new Collected(new ExerciseEntry(exercise.Id, exercise.Notebook, SubmissionManifest.CodeHash(own, notebook),
            new SubmissionState([.. unfinished.Select(p => p.Name)], stop, settings)), notebook, html);
    }

    /// <summary>
    /// Refuses an output that could be someone's work: anything but a .zip, a folder, an existing file that is not a
    /// zip, a file git tracks, or one of the inputs (compared as files on disk, so also through a link).
    /// </summary>
    internal static void RefuseUnsafeTarget(string zipPath, string root, IEnumerable<string> inputs)
    {
        string Refuse(string why) => throw new UsageException($"--out {zipPath}: {why}");
        if (!zipPath.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            Refuse("提交的文件必须以 .zip 结尾，这样它不会覆盖 notebook 或源代码 (the submission must be a .zip file, so it can never replace a notebook or source file).");
        if (Directory.Exists(zipPath))
            Refuse("这是一个文件夹；请给出 .zip 文件的路径 (this is a folder; give the path of a .zip file).");
        if (inputs.Any(input => FileIdentity.AreSame(input, zipPath)))
            Refuse("这是 submit 要读取的文件之一 (this is one of the files submit reads).");
        if (File.Exists(zipPath) && !IsZip(zipPath))
            Refuse("这个文件已经存在而且不是 zip 文件，submit 不会覆盖它 (this file exists and is not a zip; submit does not replace it).");
        var tracked = CourseLayout.GitTrackedFiles(root, out _);
        var relative = CourseLayout.ToRelative(root, zipPath);
        if (tracked is not null && tracked.Contains(relative, StringComparer.Ordinal))
            Refuse("这是 git 跟踪的文件 (git tracks this file).");
    }

    private static bool IsZip(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4];
        int read = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        // An empty file holds nothing to lose; otherwise a local file header or the end record of an empty zip.
        return read == 0 || (read == 4 && head[0] == 'P' && head[1] == 'K' && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6)));
    }

    /// <summary>Says what the zip leaves out, Chinese first, before it is written: the work can be handed in unfinished.</summary>
    private static void WarnUnfinished(Exercise exercise, IReadOnlyList<UnfinishedPart> unfinished, RunStop? stop)
    {
        if (unfinished.Count == 0)
            return;
        var lines = unfinished.Select(p => p.IsAnswer
            ? $"  {p.Name}：还没有回答 (not answered yet)"
            : $"  {p.Name}（{p.Where}）：还是抛出 NotImplementedException 的桩代码 (still a stub)");
        var stopped = stop is null ? ("", "")
            : ($"\nnotebook 在{stop.Cell}停下：{stop.Part} 的桩代码抛出了 NotImplementedException，之后的 {stop.CellsNotRun} 个代码单元没有运行。",
               $" The notebook stopped at {stop.Cell}, where the stub of {stop.Part} threw NotImplementedException; the {stop.CellsNotRun} code cells after it did not run.");
        Console.Error.WriteLine($"警告：练习 {exercise.Id} 还没有全部完成。zip 仍会写出，submission.json 列出缺少的部分，评分只给完成的部分计分：\n" +
                                string.Join("\n", lines) + stopped.Item1 +
                                $"\n(warning: the exercise {exercise.Id} is unfinished. The zip is written anyway, submission.json lists what is missing and grading scores " +
                                $"the finished parts only: {string.Join(", ", unfinished.Select(p => p.Name))}.{stopped.Item2} Complete them and run submit again to hand in more.)");
    }

    /// <summary>
    /// Student name and ID as the HTML header shows them, with the run's <c>-p</c> values applied: the first notebook
    /// that gives them (a student fills in one parameters cell, or passes <c>-p</c>).
    /// </summary>
    private static (string? Name, string? Id) FirstIdentity(IReadOnlyList<(Exercise Exercise, IpynbNotebook Notebook)> notebooks,
                                                         IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        string? Given(string name) => parameters.LastOrDefault(p => p.Key == name).Value;
        var typed = notebooks.Select(n => GradingSummary.From(n.Notebook, n.Exercise.Results, HtmlExporter.IsFolded)).ToList();
        return (Given(GradingSummary.StudentNameParameter) ?? typed.Select(t => t.StudentName).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)),
            Given(GradingSummary.StudentIdParameter) ?? typed.Select(t => t.StudentId).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)));
    }

    private static void RefuseMissingIdentity((string? Name, string? Id) identity, string rerun)
    {
        var missing = new[] { (Value: identity.Name, Label: "姓名 studentName"), (Value: identity.Id, Label: "学号 studentId") }
            .Where(p => string.IsNullOrWhiteSpace(p.Value)).Select(p => p.Label).ToList();
        if (missing.Count > 0)
            throw new UsageException($"{string.Join("、", missing)} 是空的：请在 notebook 的参数单元（第二个单元）中填写{(rerun.Length > 0 ? "，Run All 并保存" : "，或运行 submit -p studentName=张三 -p studentId=2023001")} " +
                                     $"({string.Join(" and ", missing.Select(m => m.Split(' ')[1]))} empty: fill in the notebook's parameters cell{rerun}, or pass -p studentName=... -p studentId=... to submit).");
    }

    /// <summary>With --executed the outputs came from the code as it was when the notebook was saved: refuse code edited since.</summary>
    private static void RefuseCodeNewerThan(string notebookPath, string root, IEnumerable<string> sourceFiles)
    {
        var saved = File.GetLastWriteTimeUtc(notebookPath);
        var newer = sourceFiles.Where(f => File.GetLastWriteTimeUtc(Path.Combine(root, f)) > saved).ToList();
        if (newer.Count > 0)
            throw new UsageException($"{string.Join("、", newer)} 在 notebook 保存之后被修改过，notebook 的输出不是这份代码的：请重启内核、Run All 并保存，再提交 " +
                                     $"({string.Join(", ", newer)} changed after the notebook was saved, so its outputs are not this code's; restart the kernel, Run All, save, then submit).");
    }

    /// <summary>
    /// Every code cell ran once, in order, without an error: what Restart + Run All (or <c>run</c>) gives. Unfinished
    /// work may stop early: the first failing cell may have failed by the stub of one of <paramref name="unfinished"/>
    /// (<see cref="UnfinishedWork.StubThatFailed"/>) when no cell after it ran; that stop is returned.
    /// </summary>
    /// <returns>Null when every cell ran; else where the run stopped at a stub.</returns>
    internal static RunStop? RefuseIncompleteRun(IpynbNotebook notebook, string path, IReadOnlyList<UnfinishedPart>? unfinished = null)
    {
        var previous = 0;
        RunStop? stop = null;
        foreach (var cell in notebook.Cells)
        {
            if (cell.Type != "code")
                continue;
            // Named as the student finds it: by its first line (VS Code shows no cell numbers).
            var name = $"单元（cell）“{CourseLayout.CellTitle(cell.Source)}”";
            var count = cell.Json["execution_count"] is JsonValue v && v.TryGetValue<int>(out var c) ? c : (int?)null;
            if (stop is not null)
            {
                // VS Code's Run All stops at the error but keeps the outputs of an earlier session in the cells after it.
                if (count is not null || cell.Outputs.Count > 0)
                    throw new UsageException($"{path}：notebook 在{stop.Cell}停下了，但后面的{name}还有输出（来自更早的运行）：请清除所有输出（Clear All Outputs）、" +
                                             "重启内核并 Run All，保存后再提交 " +
                                             $"({path}: the notebook stopped at {stop.Cell}, yet {name} after it has outputs from an earlier run; " +
                                             "Clear All Outputs, restart the kernel, Run All, save, then submit).");
                stop = stop with { CellsNotRun = stop.CellsNotRun + 1 };
                continue;
            }

            if (count is not int executed || executed <= previous)
                throw new UsageException($"{path} 没有从头到尾运行：{name} {(count is null ? "没有运行" : $"的运行序号是 [{count}]，在 [{previous}] 之后")}。" +
                                         "请重启内核并 Run All（或者让 submit 来运行），再提交 " +
                                         $"({path} has not run top to bottom: {name} {(count is null ? "has not run" : $"ran as [{count}] after [{previous}]")}. " +
                                         "Restart the kernel and Run All (or let submit run it), then submit again).");
            if (cell.Outputs.OfType<JsonObject>().Any(o => o["output_type"]?.GetValue<string>() == "error"))
            {
                if (UnfinishedWork.StubThatFailed(cell, unfinished ?? []) is not { } part)
                    throw new UsageException($"{path}：{name} 出错了；改正后再 Run All，然后提交 ({path}: {name} ended with an error; fix it, Run All again, then submit).");
                stop = new RunStop(name, cell.Id, part.Name, 0);
            }

            previous = executed;
        }

        if (previous == 0)
            throw new UsageException($"{path} 中没有运行过的代码单元：请先运行 notebook ({path} has no executed code cells; run the notebook first).");
        return stop;
    }

    private static void Write(string zipPath, string root, IReadOnlyList<Collected> handedIn, string manifest, IEnumerable<string> files) =>
        AtomicFile.Write(zipPath, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            void Add(string name, string text)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(text);
            }

            foreach (var exercise in handedIn)
            {
                Add(exercise.Entry.Notebook, exercise.Notebook!.ToJson());
                Add(exercise.Notebook.Name + ".html", exercise.Html!);
            }

            Add(SubmissionManifest.EntryName, manifest);
            foreach (var file in files)
                Add(file, File.ReadAllText(Path.Combine(root, file)));
        });
}
