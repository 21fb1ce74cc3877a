using System.Diagnostics;
using System.Globalization;
using DaseCV.Runner.IO;

namespace DaseCV.Benchmarks;

/// <summary>
/// <c>grade-class</c>: a generated class of distinct honest submissions (the solution's marked files and notebook, each
/// with its own harmless edit inside a region, so nothing is cached), graded by <c>dasecv grade</c> with its defaults
/// as a TA would: wall time, per submission, and the peak memory of every process (grader, compiler, harnesses).
/// Targets: 20 submissions in 30 s, 200 in 5 minutes, under 1 GB, every one full marks.
/// </summary>
internal static class GradeClassCommand
{
    private const string Marker = "// *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****";

    public static int Run(int count, string? outDirectory)
    {
        string root = RepositoryRoot.Find(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException($"no DaseCV.slnx above {AppContext.BaseDirectory}: run the repository's own build");
        var work = Path.GetFullPath(outDirectory ?? Path.Combine(root, "artifacts", "bench-grade"));
        if (Directory.Exists(work))
            Directory.Delete(work, recursive: true);
        var classFolder = Path.Combine(work, "class");
        var files = Directory.EnumerateFiles(Path.Combine(root, "lib", "DaseCV"), "*.cs", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains(Marker, StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f)).Append("notebooks/softmax.ipynb").ToList();
        for (var k = 0; k < count; k++)
            foreach (var file in files)
            {
                var target = Path.Combine(classFolder, $"student{k:D3}", file);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                var text = File.ReadAllText(Path.Combine(root, file));
                // A distinct submission: a comment of its own in every region, which changes no result.
                File.WriteAllText(target, file.EndsWith(".cs", StringComparison.Ordinal)
                    ? text.Replace(Marker, Marker + $"\n        // student {k}", StringComparison.Ordinal) : text);
            }

        Console.WriteLine($"machine: {Machine.Description}; {count} distinct submissions of the solution");
        NotebookCommand.Exec("dotnet", root, "build", "lib/DaseCV.Runner", "-c", "Release", "-nologo", "-v", "q");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root };
        foreach (var a in new[] { Path.Combine(root, "lib", "DaseCV.Runner", "bin", "Release", "net10.0", "DaseCV.Runner.dll"), "grade", classFolder, "--out", Path.Combine(work, "out") })
            start.ArgumentList.Add(a);
        var (exitCode, seconds, peak) = PeakMemory.Run(start);
        var gradebook = File.ReadAllLines(Path.Combine(work, "out", "gradebook.csv")).Skip(1).ToList();
        var full = gradebook.Count(l => l.Contains(",100,100,full,", StringComparison.Ordinal));
        var targetSeconds = 30.0 / 20 * count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"grade-class: exit {exitCode}, {count} submissions in {seconds:F1} s ({seconds / count:F2} s each, self-test and start included; target ≤ {targetSeconds:F0} s), " +
            $"{full} of {gradebook.Count} full marks, peak RSS of every process {peak / 1048576.0:F0} MiB (target ≤ 1024 MiB)"));
        return exitCode == 0 && full == count && seconds <= targetSeconds && peak <= 1L << 30 ? 0 : 1;
    }
}
