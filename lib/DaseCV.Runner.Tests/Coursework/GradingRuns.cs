using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using DaseCV.Grader;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Coursework.Grading;

namespace DaseCV.Runner.Tests.Coursework;

/// <summary>
/// Grades this repository's assignment once for all grading tests: the solution first (which must have run in the
/// bubblewrap sandbox, or every test fails with the reason), then a class folder of honest, buggy and hostile
/// submissions in one parallel `grade`, then the solution again in the same setting.
/// </summary>
public sealed partial class GradingRuns : IAsyncLifetime
{
    public const string SoftmaxFile = "lib/DaseCV/Classifiers/SoftmaxLoss.cs", SvmFile = "lib/DaseCV/Classifiers/SvmLoss.cs",
        KnnFile = "lib/DaseCV/Classifiers/KNearestNeighbor.cs";

    // Long enough for a legitimate check on a busy 2-core machine (the retraining checks' 1000 steps took 10-15 s on one
    // loaded core), short enough that an endless loop stays cheap.
    internal static readonly Limits Limits = Limits.Default with { Time = TimeSpan.FromSeconds(40) };

    private readonly string _temp = TestPaths.NewTempDirectory();

    internal GradingResults Solution { get; private set; } = null!;
    internal GradingResults SolutionAgain { get; private set; } = null!;
    internal IReadOnlyDictionary<string, GradingResults> Class { get; private set; } = null!;

    /// <summary>Hashes of the repository's library, grader and their builds, before and after all gradings.</summary>
    internal IReadOnlyDictionary<string, string> TrustedBefore { get; private set; } = null!;
    internal IReadOnlyDictionary<string, string> TrustedAfter { get; private set; } = null!;

    /// <summary>Processes of the sandbox's user (nobody) still running after the gradings.</summary>
    internal IReadOnlyList<int> LeftoverProcesses { get; private set; } = [];

    public string SolutionSubmission => Path.Combine(_temp, "solution");
    public string SolutionOut => Path.Combine(_temp, "out-solution");
    public string ClassFolder => Path.Combine(_temp, "class");
    public string ClassOut => Path.Combine(_temp, "out-class");
    public string ForeignFile => Path.Combine(ClassOut, "notes-by-the-ta.txt");

    /// <summary>One grader for all the gradings, started after the self-test of the solution passed.</summary>
    internal GradingPipeline Pipeline { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var root = TestPaths.RepositoryRoot;
        var layout = CourseLayout.Default;
        TrustedBefore = Trusted(root);
        Pipeline = await GradingPipeline.StartAsync(root, layout, Limits, selfTest: true, dataDir: TestPaths.TuningData);
        CopySubmission(root, layout, SolutionSubmission);
        Solution = await GradeAsync(SolutionSubmission, SolutionOut);
        // The attacks below assume the sandbox (unsandboxed, some of them would really write into the repository).
        if (!Solution.Output.StartsWith("sandbox: bubblewrap", StringComparison.Ordinal))
            throw new InvalidOperationException("The grading tests need bubblewrap (apt-get install bubblewrap); the grader reported:\n" + Solution.Output);

        Directory.CreateDirectory(ClassFolder);
        string Submission(string name, Func<string, string>? naive = null, Func<string, string>? vectorized = null)
        {
            var folder = Path.Combine(ClassFolder, name);
            CopySubmission(root, layout, folder);
            if (naive is not null)
                EditRegion(folder, SoftmaxFile, "SoftmaxLoss.Naive", naive);
            if (vectorized is not null)
                EditRegion(folder, SoftmaxFile, "SoftmaxLoss.Vectorized", vectorized);
            return folder;
        }

        const string stub = "throw new NotImplementedException(\"not implemented yet\");";
        Submission("stub", _ => stub, _ => stub);
        WriteCs231nPorts(root, Submission("cs231n-port"));
        Submission("planted-bug", naive: code =>
        {
            var withoutDivision = DivideGradientByN().Replace(code, "", 1);
            Assert.True(withoutDivision != code, $"could not plant the bug: no 'dW /= …' line in SoftmaxLoss.Naive:\n{code}");
            return withoutDivision;
        });

        // Realistic slips, each to cost once: no row maximum subtracted; dW not divided by N in both functions; only
        // Naive finished; a correct loss with a zero gradient.
        static string Replace(string code, string from, string to)
        {
            Assert.True(code.Contains(from, StringComparison.Ordinal), $"could not plant the slip: no '{from}' in\n{code}");
            return code.Replace(from, to, StringComparison.Ordinal);
        }

        Submission("no-max-shift", naive: code => Replace(code, "scores -= scores.Maximum();", ""), vectorized: code => Replace(code, "s - rowMax[i]", "s"));
        Submission("dw-not-divided", naive: code => Replace(code, "dW /= numTrain;", ""), vectorized: code => Replace(code, ")) / numTrain);", ")));"));
        Submission("naive-only", vectorized: _ => stub);
        Submission("zero-gradient", naive: code => code + "\ndW = 0 * W;", vectorized: code => code + "\ndW = 0 * W;");

        // Returns the initial zeros: consistent gradient, agreeing functions, and nothing done.
        Submission("returns-zeros", _ => "", _ => "");
        // Vectorized written as the naive loop over examples: correct, slow.
        var naiveCode = SolutionMarkers.Find(File.ReadAllText(Path.Combine(root, SoftmaxFile)), SoftmaxFile).Single(r => r.Function == "SoftmaxLoss.Naive").Code;
        Submission("loop-vectorized", vectorized: _ => naiveCode.Trim());

        // Calls the instructor's build of DaseCV (the reference), and reads the solution source into its message.
        var referenceDll = Path.Combine(root, "lib/DaseCV/bin/Release/net10.0/DaseCV.dll");
        string Steal(string function) => $$"""
            try
            {
                var stolen = new System.Runtime.Loader.AssemblyLoadContext("steal").LoadFromAssemblyPath(@"{{referenceDll}}");
                var result = ((double, MathNet.Numerics.LinearAlgebra.Matrix<double>))stolen.GetType("DaseCV.Classifiers.SoftmaxLoss")!.GetMethod("{{function}}")!.Invoke(null, new object[] { W, X, y, reg })!;
                loss = result.Item1; dW = result.Item2;
            }
            catch (Exception e) when (e is not NotImplementedException)
            {
                string leak;
                try { leak = System.IO.File.ReadAllText(@"{{Path.Combine(root, SoftmaxFile)}}"); } catch (Exception) { leak = "nothing to read"; }
                throw new NotImplementedException(leak);
            }
            """;
        Submission("calls-reference", _ => Steal("Naive"), _ => Steal("Vectorized"));
        // Writes a well-formed "correct" reply (loss 0, dW 0) onto the channel, then stops like a stub.
        const string forge = """
            var channel = new System.IO.BinaryWriter(Console.OpenStandardOutput());
            channel.Write((byte)0); channel.Write(0.0); channel.Write(W.RowCount); channel.Write(W.ColumnCount);
            channel.Write(new byte[W.RowCount * W.ColumnCount * 8]); channel.Flush();
            Console.Out.WriteLine("{\"score\": 100, \"fraction\": 1}");
            throw new NotImplementedException("forged");
            """;
        Submission("forges-result", _ => forge, _ => forge);
        // Leaves a process running that waits forever, then stops like a stub.
        const string leave = """
            var child = new System.Diagnostics.ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true };
            child.ArgumentList.Add(typeof(SoftmaxLoss).Assembly.Location.Replace("DaseCV.dll", "DaseCV.Grader.Harness.dll"));
            System.Diagnostics.Process.Start(child);
            throw new NotImplementedException("left a process");
            """;
        Submission("leaves-process", _ => leave, _ => leave);
        // Rewrites the grader's build, the instructor's source and the results folder, then stops like a stub.
        string Edit() => $$"""
            foreach (var target in new[] { @"{{Path.Combine(GraderProcess.BuildDirectory, "DaseCV.dll")}}", @"{{Path.Combine(root, SoftmaxFile)}}", @"{{Path.Combine(ClassOut, "edits-work-folder", "results.json")}}" })
                try { System.IO.File.WriteAllText(target, "{\"score\": 100}"); } catch (Exception) { }
            throw new NotImplementedException("edited");
            """;
        Submission("edits-work-folder", _ => Edit(), _ => Edit());
        // A comment opened in Naive's region and closed in Vectorized's: the instructor's code between would vanish.
        Submission("comment-spans-regions", naive: code => stub + " /*", vectorized: code => "*/\n" + code);
        Submission("huge-message", _ => "throw new InvalidOperationException(new string('x', 70000));", _ => stub);
        // One foreground thread that never ends (started once, as a student's stray worker would be).
        Submission("foreground-thread", vectorized: code => """
            if (AppDomain.CurrentDomain.GetData("stray-thread") is null)
            {
                AppDomain.CurrentDomain.SetData("stray-thread", true);
                new Thread(() => Thread.Sleep(Timeout.Infinite)) { IsBackground = false }.Start();
            }
            """ + "\n" + code);
        Submission("loop-and-exit", _ => "while (true) { }", _ => "Environment.Exit(0);");

        // Limits the kernel enforces: 1.5 GB of shared memory (as tmpfs and memfd pages are counted), 1.5 GB written
        // to /tmp, 3000 threads, 200 processes. Each stops at its limit, and the rest of the submission is graded.
        Submission("shared-memory", naive: code => """
            using (var map = System.IO.MemoryMappedFiles.MemoryMappedFile.CreateNew(null, 1500L << 20))
            using (var view = map.CreateViewAccessor())
                for (long i = 0; i < 1500L << 20; i += 4096)
                    view.Write(i, (byte)1);
            """ + "\n" + code);
        Submission("fills-tmp", naive: code => """
            using (var file = System.IO.File.Create("/tmp/fill"))
                for (var i = 0; i < 1500; i++)
                    file.Write(new byte[1 << 20]);
            """ + "\n" + code);
        Submission("threads", naive: code => """
            for (var i = 0; i < 3000; i++)
                new Thread(() => Thread.Sleep(Timeout.Infinite)) { IsBackground = true }.Start();
            """ + "\n" + code);
        Submission("forks", naive: code => """
            for (var i = 0; i < 200; i++)
                System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(Environment.ProcessPath!, "/check/DaseCV.Grader.Harness.dll") { RedirectStandardInput = true });
            """ + "\n" + code);
        // The compiler meets text that overflowed its stack (20,000 nested parentheses) and a region over the size cap.
        Submission("deep-parens", naive: _ => "loss = " + new string('(', 20000) + "0" + new string(')', 20000) + ";");
        Submission("huge-region", naive: code => string.Concat(Enumerable.Repeat("loss += 0;\n", 7000)) + code);

        // Slips in other exercises' regions: each costs only its own exercise (the instructor's code stands in for them
        // when another exercise is graded), and an exercise's notebook left out scores 0 for that exercise alone.
        var svmSlip = Submission("svm-does-not-compile");
        EditRegion(svmSlip, SvmFile, "SvmLoss.Naive", _ => "this is not C# at all");
        var knnSlip = Submission("knn-stub-no-svm-notebook");
        EditRegion(knnSlip, KnnFile, "KNearestNeighbor.PredictLabels", _ => "throw new NotImplementedException(\"not yet\");");
        File.Delete(Path.Combine(knnSlip, layout.Find("svm").Notebook));
        // submit's manifest says the softmax exercise was not run: its notebook is not in the zip.
        var notHandedIn = Submission("softmax-not-handed-in");
        File.Delete(Path.Combine(notHandedIn, layout.Find("softmax").Notebook));
        File.WriteAllText(Path.Combine(notHandedIn, SubmissionManifest.EntryName), SubmissionManifest.ToJson("王五", "2023005", layout.MarkedFiles(root), "executed",
            [.. layout.Exercises.Select(e => e.Id == "softmax"
                ? new ExerciseEntry(e.Id, e.Notebook, null, null, "没有用 --executed 给出 softmax.ipynb，所以没有运行 (not run: no --executed softmax.ipynb was given).")
                : new ExerciseEntry(e.Id, e.Notebook, new string('0', 64), null))]));

        // The solution with a notebook that carries script in markdown and in an output, and U+202E in an answer:
        // the TA's rendering of it must run none of it and show the control.
        var hostileNotebook = Submission("hostile-notebook");
        var notebookPath = Path.Combine(hostileNotebook, layout.Find("softmax").Notebook);
        var notebook = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(notebookPath))!;
        var cells = notebook["cells"]!.AsArray();
        cells.Insert(0, System.Text.Json.Nodes.JsonNode.Parse("""
            {"cell_type": "markdown", "metadata": {}, "source": ["<script>document.title='pwned-markdown'</script><img src=x onerror=\"document.title='pwned-img'\">"]}
            """));
        cells.Insert(1, System.Text.Json.Nodes.JsonNode.Parse("""
            {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": ["1"], "outputs": [{"output_type": "display_data", "metadata": {},
             "data": {"text/html": ["<script>document.title='pwned-output'</script>"], "text/plain": ["x"]}}]}
            """));
        foreach (var cell in cells)
            if (cell!["cell_type"]!.GetValue<string>() == "markdown" && cell["source"] is System.Text.Json.Nodes.JsonArray source
                && string.Concat(source.Select(l => l!.GetValue<string>())).Contains("你的回答:", StringComparison.Ordinal))
            {
                source.Add("\u202E思路反过来了");
                break;
            }
        File.WriteAllText(notebookPath, notebook.ToJsonString());

        // A folder whose SoftmaxLoss.cs links to the instructor's file, and one with a link loop.
        var linked = Submission("symlink");
        File.Delete(Path.Combine(linked, SoftmaxFile));
        File.CreateSymbolicLink(Path.Combine(linked, SoftmaxFile), Path.Combine(root, SoftmaxFile));
        var loop = Submission("symlink-loop");
        Directory.CreateSymbolicLink(Path.Combine(loop, "lib", "loop"), Path.Combine(loop, "lib"));

        // The solution zipped on Windows (backslashes), and a zip with SoftmaxLoss.cs twice.
        var solutionFiles = layout.MarkedFiles(root).Concat(layout.Exercises.Select(e => e.Notebook)).ToList();
        using (var zip = ZipFile.Open(Path.Combine(ClassFolder, "backslash-zip.zip"), ZipArchiveMode.Create))
            foreach (var file in solutionFiles)
                zip.CreateEntryFromFile(Path.Combine(root, file), file.Replace('/', '\\'));
        using (var zip = ZipFile.Open(Path.Combine(ClassFolder, "duplicate-entry.zip"), ZipArchiveMode.Create))
        {
            foreach (var file in solutionFiles)
                zip.CreateEntryFromFile(Path.Combine(root, file), file);
            zip.CreateEntryFromFile(Path.Combine(root, SoftmaxFile), SoftmaxFile);
        }

        // What a TA's export folder also holds: a loose notebook, a zip named like the gradebook, notes.
        File.Copy(Path.Combine(root, layout.Find("softmax").Notebook), Path.Combine(ClassFolder, "carol_softmax.ipynb"));
        File.Copy(Path.Combine(ClassFolder, "backslash-zip.zip"), Path.Combine(ClassFolder, "gradebook.csv.zip"));
        File.WriteAllText(Path.Combine(ClassFolder, "export-notes.txt"), "not a submission");

        Directory.CreateDirectory(ClassOut);
        File.WriteAllText(ForeignFile, "not the grader's");
        // The TA's hand marks (kept across regrades) and the class list, as a TA brings them.
        File.WriteAllText(Path.Combine(ClassOut, "hand-marks.csv"), "student,question,points,comment\ncs231n-port,1,3,\"思路对, 但不完整\"\n");
        var roster = Path.Combine(_temp, "roster.csv");
        File.WriteAllText(roster, "姓名,学号\n张三,planted-bug\n李四,2023999\n");
        var (items, skipped) = ClassInputs.Find([ClassFolder], asClass: null);
        Skipped = skipped;
        Rows = await Pipeline.GradeClassAsync(items ?? throw new InvalidOperationException("the class folder was read as one submission"), skipped, ClassOut, jobs: 2, Log,
            Roster.Load(roster));
        Class = Rows.ToDictionary(g => g.Student, g => g.Results);

        // The same setting after all that: the honest solution again.
        SolutionAgain = await GradeAsync(SolutionSubmission, Path.Combine(_temp, "out-solution-again"));
        TrustedAfter = Trusted(root);
        // A sandbox's init may linger a moment as a zombie until the system reaps it; live processes may not.
        // The class's compiler stays until the pipeline ends; it runs nothing of the students'.
        for (var wait = 0; wait < 50 && StudentProcesses().Count > 0; wait++)
            await Task.Delay(100);
        LeftoverProcesses = StudentProcesses();
    }

    internal IReadOnlyList<GradedRow> Rows { get; private set; } = [];

    internal IReadOnlyList<SkippedEntry> Skipped { get; private set; } = [];

    public async Task DisposeAsync() => await Pipeline.DisposeAsync();

    /// <summary>The gradings' progress lines, for a look when a test fails.</summary>
    public string LogPath => Path.Combine(_temp, "grading.log");

    private void Log(string line) => File.AppendAllText(LogPath, $"{DateTime.UtcNow:HH:mm:ss} {line}\n");

    internal async Task<GradingResults> GradeAsync(string submission, string outDir) => (await Pipeline.GradeOneAsync(submission, outDir)).Results;

    /// <summary>What `submit` would collect from a finished working copy: the marked files and the exercises' notebooks.</summary>
    internal static void CopySubmission(string root, CourseLayout layout, string folder)
    {
        foreach (var file in layout.MarkedFiles(root).Concat(layout.Exercises.Select(e => e.Notebook)))
        {
            var target = Path.Combine(folder, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(root, file), target);
        }
    }

    /// <summary>CS231n's solutions, ported (Fixtures/cs231n/CLASS.cs), one per marked file of the library (lib/DaseCV/Classifiers/CLASS.cs).</summary>
    internal static IEnumerable<(string Port, string LibraryFile)> Cs231nPorts(string root) =>
        Directory.EnumerateFiles(Path.Combine(root, "lib/DaseCV.Runner.Tests/Coursework/Fixtures/cs231n"), "*.cs")
            .Where(f => SolutionMarkers.HasMarkers(File.ReadAllText(f)))
            .Select(f => (f, "lib/DaseCV/Classifiers/" + Path.GetFileName(f)));

    /// <summary>Writes every port's regions (or those of the library files <paramref name="only"/> names), in order, between the markers of <paramref name="folder"/>'s copy of the library.</summary>
    internal static void WriteCs231nPorts(string root, string folder, Func<string, bool>? only = null)
    {
        foreach (var (port, file) in Cs231nPorts(root).Where(p => only?.Invoke(p.LibraryFile) ?? true))
        {
            var ported = new Queue<MarkedRegion>(SolutionMarkers.Find(File.ReadAllText(port), port));
            var path = Path.Combine(folder, file);
            var text = File.ReadAllText(path);
            File.WriteAllText(path, SolutionMarkers.Replace(text, SolutionMarkers.Find(text, file), _ => ported.Dequeue().Code));
        }
    }

    /// <summary>Rewrites the code of one marked region of a submitted file.</summary>
    internal static void EditRegion(string folder, string relativePath, string function, Func<string, string> edit)
    {
        var path = Path.Combine(folder, relativePath);
        var text = File.ReadAllText(path);
        var regions = SolutionMarkers.Find(text, relativePath);
        Assert.True(regions.Any(r => r.Function == function), $"{relativePath} has no marked region in {function}; regions: {string.Join(", ", regions.Select(r => r.Function))}");
        File.WriteAllText(path, SolutionMarkers.Replace(text, regions, r => r.Function == function ? r.Indent + edit(r.Code.Trim()) : r.Code));
    }

    private static readonly string[] TrustedFolders = ["lib/DaseCV", "lib/DaseCV.Grader"];

    /// <summary>Content hashes of lib/DaseCV and lib/DaseCV.Grader, sources and Release builds.</summary>
    private static Dictionary<string, string> Trusted(string root) =>
        TrustedFolders
            .SelectMany(f => Directory.EnumerateFiles(Path.Combine(root, f), "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/Debug/", StringComparison.Ordinal))
            .ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    private static List<int> StudentProcesses() => ProcessesOf(uid => uid == 65534).Where(pid =>
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/cmdline").Contains("DaseCV.Grader.Compiler.dll", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }).ToList();

    /// <summary>Live (not zombie) processes whose real uid passes <paramref name="uid"/>.</summary>
    internal static List<int> ProcessesOf(Func<int, bool> uid)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                var status = File.ReadAllLines(Path.Combine(dir, "status"));
                var uidLine = status.FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
                var zombie = status.Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z'));
                if (!zombie && uidLine is not null && uid(int.Parse(uidLine.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1])))
                    found.Add(int.Parse(Path.GetFileName(dir)));
            }
            catch (IOException)
            {
            }
        }

        return found;
    }

    [GeneratedRegex(@"^[ \t]*dW\s*(?:/=|=\s*dW\s*/)[^;]*;[ \t]*\r?\n", RegexOptions.Multiline)]
    private static partial Regex DivideGradientByN();
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GradingRunsCollection : ICollectionFixture<GradingRuns>
{
    public const string Name = "Coursework gradings";
}
