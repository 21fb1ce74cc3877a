using System.Text.Json;

namespace DaseCV.Grader;

/// <summary>
/// <c>serve</c>: one grader for a whole class. The sandbox, the kernel's limits and the compiler are set up once; the
/// infrastructure is checked before any submission (a folder the sandbox's user cannot reach, no cgroup without
/// <c>--allow-unlimited</c>: the first line says what to change, and nothing is graded).
/// </summary>
internal static class Serve
{
    /// <summary>Memory of the compiler's sandbox: Roslyn with the library's references and one compilation.</summary>
    private const long CompilerMemory = 640L << 20;

    /// <summary>One compilation: the library compiles in about a second warm and ten cold on half a CPU.</summary>
    private static readonly TimeSpan CompileTime = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(Limits limits, JsonSerializerOptions json)
    {
        var output = Console.Out;
        var gate = new object();
        void Write<T>(T value)
        {
            lock (gate)
            {
                output.WriteLine(JsonSerializer.Serialize(value, json));
                output.Flush();
            }
        }

        if (Sandbox.WorkRoot(out var workProblem) is not { } workRoot)
        {
            Write(new ServeStatus(false, "", "", $"no folder for the sandbox: {workProblem}. Set TMPDIR to a folder every user can traverse (e.g. TMPDIR=/tmp), or make the folders above it traversable (chmod o+x)."));
            return 3;
        }

        var cgroups = Cgroups.Detect();
        if (!cgroups.Available && !limits.AllowUnlimited)
        {
            Write(new ServeStatus(false, "", cgroups.Description,
                $"the kernel cannot limit the student's memory and processes here ({cgroups.Description}). Grade as root on a machine with cgroups, or pass --allow-unlimited where the container itself is the limit (Gradescope)."));
            return 3;
        }

        var probe = Sandbox.NewFolder(workRoot, "dasecv-probe-");
        Sandbox sandbox;
        try
        {
            sandbox = Sandbox.Detect(probe, cgroups);
        }
        finally
        {
            Directory.Delete(probe, recursive: true);
        }

        if (!sandbox.IsIsolated && Environment.GetEnvironmentVariable("DASECV_GRADE_REQUIRE_SANDBOX") == "1")
        {
            Write(new ServeStatus(false, sandbox.Description, cgroups.Description, $"DASECV_GRADE_REQUIRE_SANDBOX=1 but the sandbox is {sandbox.Description}"));
            return 3;
        }

        var limitsText = Feedback.Say("限制", "limits") + $": {limits.Time.TotalSeconds:0} s per check ({limits.Time.TotalSeconds * Checks.RetrainingTimeFactor:0} s to retrain a chosen net), {limits.MemoryBytes >> 20} MB, {limits.Tasks} threads and processes, /tmp {limits.TmpBytes >> 20} MB; " +
                         $"enforced by the kernel: {cgroups.Description}" + (workProblem.Length > 0 ? $"; {workProblem}" : "");
        var reference = Path.GetDirectoryName(typeof(DaseCV.Classifiers.SoftmaxLoss).Assembly.Location)!;
        await using var compiler = new CompilerService(sandbox, reference, limits with { MemoryBytes = CompilerMemory, Time = CompileTime < limits.Time ? CompileTime : limits.Time });
        Write(new ServeStatus(true, sandbox.Description, limitsText, null));

        var referenceFolder = Sandbox.PrepareCheckFolder(workRoot, null);
        var tuningSets = new TuningSets();
        try
        {
            var running = new List<Task>();
            while (Console.In.ReadLine() is { } line)
            {
                var request = JsonSerializer.Deserialize<GradeRequest>(line) ?? throw new InvalidDataException("an empty request");
                var checks = Catalog.All.Where(c => c.Exercise == request.Exercise).ToList();
                if (checks.Count == 0)
                {
                    // The runner and this grader disagree on the course: the machine's fault, never the student's.
                    Write(new GradeResponse(request.Id, null, $"the grader has no checks for the exercise '{request.Exercise}'", null));
                    continue;
                }

                var code = checks.Where(c => c.Kind == "code").ToList();
                if (code.Count == 0)
                {
                    // Written answers only: the runner reads them; no library code of the exercise to compile or run.
                    Write(new GradeResponse(request.Id, null, null, new GraderReport(sandbox.Description, sandbox.IsIsolated, [], limitsText)));
                    continue;
                }

                running.Add(Task.Run(async () => Write(await GradeAsync(request, workRoot, referenceFolder, sandbox, compiler, limits, limitsText, code, tuningSets))));
            }

            await Task.WhenAll(running);
            return 0;
        }
        finally
        {
            Directory.Delete(referenceFolder, recursive: true);
        }
    }

    private static async Task<GradeResponse> GradeAsync(GradeRequest request, string workRoot, string referenceFolder, Sandbox sandbox, CompilerService compiler, Limits limits,
        string limitsText, IReadOnlyList<CatalogEntry> code, TuningSets tuningSets)
    {
        try
        {
            // The subset and the instructor's accuracies before compiling: a missing subset is the machine's fault,
            // whatever the code, and the instructor's training is not the student's time.
            var tuning = request.Tuning is { } asked ? new Checks.Retraining(tuningSets.Get(asked.Data), asked) : null;
            if (tuning is not null)
                await Task.WhenAll(tuning.Request.Choices.Select(c => tuning.Set.ReferenceAccuracyAsync(c.Check, c.Reference)));
            var sources = Directory.EnumerateFiles(request.Sources, "*.cs", SearchOption.AllDirectories)
                .Select(f => (Path.GetRelativePath(request.Sources, f).Replace('\\', '/'), File.ReadAllText(f)))
                .ToList();
            var compiled = await compiler.CompileAsync(sources, request.Version);
            if (compiled.Dll is null)
                return new GradeResponse(request.Id, compiled.Errors ?? "", null, null);

            var folder = Sandbox.PrepareCheckFolder(workRoot, compiled.Dll);
            try
            {
                var harness = new SandboxRun(folder, "DaseCV.Grader.Harness.dll", [], [], limits,
                    CpuSeconds: (int)Math.Ceiling(limits.Time.TotalSeconds * code.Sum(Checks.TimeFactor)));
                // The reference runs as the student's code does, for the speed check.
                var reference = harness with { Folder = referenceFolder };
                var seed = System.Security.Cryptography.RandomNumberGenerator.GetInt32(1 << 20);
                var verdicts = await new Checks(sandbox, harness, reference, seed, tuning).RunAllAsync(code);
                return new GradeResponse(request.Id, null, null, new GraderReport(sandbox.Description, sandbox.IsIsolated, verdicts, limitsText + $"; cases drawn from seed {seed}"));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (SandboxFault fault)
        {
            return new GradeResponse(request.Id, null, fault.Message, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            return new GradeResponse(request.Id, null, $"the grader failed: {e.GetType().Name}: {e.Message}", null);
        }
    }
}
