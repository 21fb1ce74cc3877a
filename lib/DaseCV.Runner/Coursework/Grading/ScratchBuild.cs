using System.Diagnostics;
using System.Text.RegularExpressions;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>The student's part of one marked file: the regions to splice, or why they cannot be used.</summary>
/// <param name="RelativePath">The file's repository path, e.g. lib/DaseCV/Classifiers/SoftmaxLoss.cs.</param>
/// <param name="Regions">The student's regions, in the file's order; empty when <paramref name="Problem"/> is set.</param>
/// <param name="Problem">Why the file could not be used (missing, markers changed), or null.</param>
internal sealed record StudentFile(string RelativePath, IReadOnlyList<MarkedRegion> Regions, string? Problem);

/// <summary>The outcome of building the grader against the student's library.</summary>
internal sealed record GraderBuild(bool Succeeded, string GraderDll, string ReferenceDll, string Errors, TimeSpan Elapsed);

/// <summary>
/// A scratch copy of the instructor's repository in which lib/DaseCV holds the student's code (their marked regions
/// spliced into the instructor's files; everything outside the markers stays the instructor's) and
/// lib/DaseCV.Solution the instructor's own lib/DaseCV, the reference. Files are rewritten only when their content
/// changes, so a work folder reused across submissions rebuilds only the student's library and the grader.
/// </summary>
internal static partial class ScratchBuild
{
    private static readonly string[] CopiedFiles = ["Directory.Build.props", "global.json", "nuget.config"];
    private static readonly string[] CopiedProjects = ["lib/DaseCV.LinearAlgebra", "lib/DaseCV.Datasets", "lib/DaseCV.Grader"];

    /// <summary>Writes the scratch copy into <paramref name="workDirectory"/>.</summary>
    public static void Prepare(string repositoryRoot, string workDirectory, CourseLayout layout, IReadOnlyList<StudentFile> studentFiles)
    {
        foreach (var file in CopiedFiles.Where(f => File.Exists(Path.Combine(repositoryRoot, f))))
            WriteIfChanged(Path.Combine(workDirectory, file), File.ReadAllText(Path.Combine(repositoryRoot, file)));
        foreach (var project in CopiedProjects)
            Sync(Path.Combine(repositoryRoot, project), Path.Combine(workDirectory, project), _ => null);
        var catalog = "lib/DaseCV.Runner/Coursework/Grading/CheckCatalog.cs";
        WriteIfChanged(Path.Combine(workDirectory, catalog), File.ReadAllText(Path.Combine(repositoryRoot, catalog)));

        var library = Path.Combine(repositoryRoot, layout.StudentCodeFolder);
        Sync(library, Path.Combine(workDirectory, "lib", "DaseCV.Solution"), _ => null);
        var byPath = studentFiles.ToDictionary(f => f.RelativePath);
        Sync(library, Path.Combine(workDirectory, layout.StudentCodeFolder), relative =>
        {
            var repositoryPath = layout.StudentCodeFolder + "/" + relative;
            if (!byPath.TryGetValue(repositoryPath, out var student))
                return null;
            var text = File.ReadAllText(Path.Combine(library, relative));
            var regions = SolutionMarkers.Find(text, repositoryPath);
            return SolutionMarkers.Replace(text, regions, region =>
            {
                var index = regions.ToList().IndexOf(region);
                if (student.Problem is null)
                    return student.Regions[index].Code;
                // Nothing usable from the student here: the function throws, naming the problem.
                return $"{region.Indent}#pragma warning disable CS0162\n{region.Indent}throw new NotImplementedException(\"{Escape(student.Problem)}\");";
            });
        });
    }

    /// <summary>Builds the grader (and with it the student's library and the reference) once, in Release.</summary>
    public static async Task<GraderBuild> BuildAsync(string workDirectory, TimeSpan timeLimit)
    {
        var project = Path.Combine(workDirectory, "lib", "DaseCV.Grader", "DaseCV.Grader.csproj");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workDirectory,
        };
        // Warnings in a student's code are not the grader's business: only errors stop the build.
        foreach (var arg in new[] { "build", project, "-c", "Release", "-nologo", "-v", "q", "-nodeReuse:false", "-p:TreatWarningsAsErrors=false" })
            start.ArgumentList.Add(arg);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(timeLimit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return new GraderBuild(false, "", "", $"the build did not finish within {timeLimit.TotalMinutes:F0} minutes", clock.Elapsed);
        }

        var log = await stdout + await stderr;
        var output = Path.Combine("bin", "Release", "net10.0");
        var grader = Path.Combine(workDirectory, "lib", "DaseCV.Grader", output, "DaseCV.Grader.dll");
        var reference = Path.Combine(workDirectory, "lib", "DaseCV.Solution", output, "DaseCV.dll");
        var errors = string.Join("\n", ErrorLine().Matches(log).Select(m => m.Value.Trim().Replace(workDirectory + Path.DirectorySeparatorChar, "")).Distinct().Take(20));
        var succeeded = process.ExitCode == 0 && File.Exists(grader) && File.Exists(reference);
        return new GraderBuild(succeeded, grader, reference, succeeded ? "" : errors.Length > 0 ? errors : log.Trim(), clock.Elapsed);
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="target"/> (not bin/ or obj/), writing only changed files
    /// and deleting files the source no longer has; <paramref name="transform"/> may supply a file's new text.</summary>
    private static void Sync(string source, string target, Func<string, string?> transform)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = CourseLayout.ToRelative(source, file);
            if (CourseLayout.IsBuildOutput(relative))
                continue;
            wanted.Add(relative);
            var destination = Path.Combine(target, relative);
            if (transform(relative) is { } text)
                WriteIfChanged(destination, text);
            else
                CopyIfChanged(file, destination);
        }

        if (!Directory.Exists(target))
            return;
        foreach (var file in Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories))
        {
            var relative = CourseLayout.ToRelative(target, file);
            if (!CourseLayout.IsBuildOutput(relative) && !wanted.Contains(relative))
                File.Delete(file);
        }
    }

    private static void WriteIfChanged(string path, string text)
    {
        if (File.Exists(path) && File.ReadAllText(path) == text)
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static void CopyIfChanged(string source, string destination)
    {
        if (File.Exists(destination) && File.ReadAllBytes(destination).AsSpan().SequenceEqual(File.ReadAllBytes(source)))
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        File.Copy(source, destination, overwrite: true);
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", " ");

    [GeneratedRegex(@"^.*\berror\b.*$", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();
}
