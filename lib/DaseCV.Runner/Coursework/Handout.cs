using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DaseCV.Runner.IO;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Coursework;

/// <summary>What <see cref="Handout.Write"/> did: the exercises released, the regions replaced by stubs, kept solved, or withheld (stubs of exercises not released).</summary>
internal sealed record HandoutSummary(IReadOnlyList<string> Exercises, IReadOnlyList<string> Stubbed, IReadOnlyList<string> KeptSolved, IReadOnlyList<string> Withheld,
    int FilesWritten, int FilesLeftOut);

/// <summary>
/// The student release of some or all exercises: git's tracked files of the repository with every marked region of
/// a released exercise replaced by its TODO and a stub that throws NotImplementedException naming function and file,
/// the regions of other exercises solved where a released exercise calls them and stubbed (withheld) otherwise, the
/// released notebooks with outputs cleared and answers blanked, the other exercises' notebooks and the
/// instructor-only files (<see cref="CourseLayout.InstructorOnly"/>) left out, the student README
/// (<see cref="CourseLayout.StudentReadme"/>) as README.md and <see cref="ReleaseManifest"/> naming the exercises.
/// </summary>
/// <remarks>
/// Only tracked files: an editor's backup (<c>*.cs~</c>), a merge's <c>.orig</c>, <c>.ipynb_checkpoints/</c> or a
/// <c>grades/</c> folder in the instructor's working tree never reaches students.
/// </remarks>
internal static partial class Handout
{
    /// <summary>Writes the release of <paramref name="repositoryRoot"/> into <paramref name="outDir"/>, which must not exist or be empty.</summary>
    /// <param name="exercises">The exercises released (<see cref="CourseLayout.Choose"/>).</param>
    /// <exception cref="UsageException">The output folder is not empty or lies over the repository, or the repository is not a git checkout.</exception>
    public static HandoutSummary Write(string repositoryRoot, string outDir, CourseLayout layout, IReadOnlyList<Exercise> exercises)
    {
        if (exercises.Count == 0)
            throw new UsageException("handout needs at least one exercise to release.");
        var root = Path.GetFullPath(repositoryRoot);
        var output = Path.GetFullPath(outDir);
        if (PathContainment.IsSameOrInside(output, root))
            throw new UsageException($"--out {outDir} contains the repository {root}; choose a folder outside it (e.g. artifacts/handout).");
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
            throw new UsageException($"--out {outDir} is not empty; the handout goes into a new or empty folder.");
        var tracked = TrackedFiles(root);

        // Built beside the target and moved into place at the end: an interrupted run leaves no folder that looks like a release.
        var partial = output.TrimEnd(Path.DirectorySeparatorChar) + ".partial-" + Environment.ProcessId;
        if (Directory.Exists(partial))
            Directory.Delete(partial, recursive: true);
        Directory.CreateDirectory(partial);

        var stubbed = new List<string>();
        var kept = new List<string>();
        var withheld = new List<string>();
        int written = 0, leftOut = 0;
        try
        {
            foreach (var relative in tracked)
            {
                var file = Path.Combine(root, relative);
                if (!File.Exists(file) || !IsRepositoryFile(relative) || PathContainment.IsSameOrInside(output, file) || PathContainment.IsSameOrInside(partial, file))
                    continue;  // deleted in the working tree but not yet in git, or inside the output
                var notebookOf = layout.ExerciseOfNotebook(relative);
                if (layout.IsInstructorOnly(relative) || (notebookOf is not null && !exercises.Contains(notebookOf)))
                {
                    leftOut++;
                    continue;
                }

                var target = Path.Combine(partial, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (notebookOf is not null)
                    WriteNotebook(file, target, relative, stubbed);
                else if (relative.EndsWith(".cs", StringComparison.Ordinal) && relative.StartsWith(layout.StudentCodeFolder + "/", StringComparison.Ordinal)
                         && SolutionMarkers.HasMarkers(File.ReadAllText(file)))
                    WriteStudentFile(file, target, relative, layout, exercises, (stubbed, kept, withheld));
                else if (relative.EndsWith(".slnx", StringComparison.Ordinal))
                    File.WriteAllText(target, WithoutInstructorProjects(File.ReadAllText(file), layout));
                else
                    File.Copy(file, target);
                written++;
            }

            var readme = Path.Combine(root, layout.StudentReadme);
            if (!File.Exists(readme))
                throw new UsageException($"{layout.StudentReadme} (the student README, the release's README.md) is missing.");
            File.Copy(readme, Path.Combine(partial, "README.md"));
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(partial, ReleaseManifest.RelativePath))!);
            File.WriteAllText(Path.Combine(partial, ReleaseManifest.RelativePath), ReleaseManifest.ToJson(exercises));
            written += 2;

            if (Directory.Exists(output))
                Directory.Delete(output);
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            Directory.Move(partial, output);
        }
        catch
        {
            if (Directory.Exists(partial))
                Directory.Delete(partial, recursive: true);
            throw;
        }

        // A function with two marked regions (LinearClassifier.Train) is one part to complete or keep: listed once.
        return new HandoutSummary([.. exercises.Select(e => e.Id)], [.. stubbed.Distinct()], [.. kept.Distinct()], [.. withheld.Distinct()], written, leftOut);
    }

    /// <summary>Files a release carries: not build outputs, not the data set (only data/README.md), not git's own.</summary>
    public static bool IsRepositoryFile(string relative) =>
        !CourseLayout.IsBuildOutput(relative) && relative != ".git" && !relative.EndsWith(".user", StringComparison.Ordinal)
        && (!relative.StartsWith("data/", StringComparison.Ordinal) || relative == "data/README.md");

    /// <summary>The files git tracks under <paramref name="root"/>, relative with '/' separators.</summary>
    /// <exception cref="UsageException">
    /// git is missing, <paramref name="root"/> is not a git checkout, or git tracks nothing under it (a folder inside
    /// another project's work tree, e.g. an unpacked copy of the course in a student's own repository).
    /// </exception>
    public static IReadOnlyList<string> TrackedFiles(string root)
    {
        var tracked = CourseLayout.GitTrackedFiles(root, out var why)
                      ?? throw new UsageException($"handout builds the release from git's tracked files, but {why}");
        return tracked.Count > 0 ? tracked
            : throw new UsageException($"handout builds the release from git's tracked files, but git tracks no file under {root} " +
                                       "(it lies inside another git work tree without being part of it); run handout in the course's own checkout.");
    }

    private static void WriteStudentFile(string file, string target, string relative, CourseLayout layout, IReadOnlyList<Exercise> exercises,
        (List<string> Stubbed, List<string> Kept, List<string> Withheld) lists)
    {
        var text = File.ReadAllText(file);
        var regions = SolutionMarkers.Find(text, relative);
        var stubs = 0;
        var released = SolutionMarkers.Replace(text, regions, region =>
        {
            var fate = layout.InRelease(region.Function, exercises);
            (fate switch { RegionInRelease.Stubbed => lists.Stubbed, RegionInRelease.Solved => lists.Kept, _ => lists.Withheld }).Add($"{relative}: {region.Function}");
            stubs += fate == RegionInRelease.Solved ? 0 : 1;
            return fate == RegionInRelease.Solved ? region.Code : SolutionMarkers.CSharpStub(region, relative);
        });
        // A stub inside a loop makes the loop's increment unreachable too, and that lies above the stub's own pragma.
        // Outside the regions, so grading (which takes only the regions) never sees it.
        File.WriteAllText(target, stubs == 0 ? released : StubFilePragma + "\n" + released);
    }

    /// <summary>The line a released file with stubs starts with (the build treats warnings as errors).</summary>
    internal const string StubFilePragma = "#pragma warning disable CS0162 // 桩代码使它之后的代码（包括循环的 j++）无法到达；所有函数写完后可以删除这一行 " +
                                          "(the stubs make the code after them unreachable, a loop's increment included; delete this line once every function is written)";

    private static void WriteNotebook(string file, string target, string relative, List<string> stubbed)
    {
        var notebook = IpynbNotebook.Load(file);
        notebook.Metadata.Remove(IpynbNotebook.RunMetadataKey);
        var cells = notebook.Cells;
        for (var index = 0; index < cells.Count; index++)
        {
            var cell = cells[index];
            if (cell.Type == "code")
            {
                cell.Json["outputs"] = new JsonArray();
                cell.Json["execution_count"] = null;
                var source = cell.Source;
                if (!SolutionMarkers.HasMarkers(source))
                    continue;
                // Named as the student sees it: by its first line (VS Code shows no cell numbers).
                var block = $"单元（cell）“{CourseLayout.CellTitle(source)}”";
                var regions = SolutionMarkers.Find(source, $"{relative} cell {index + 1}", block);
                cell.Json["source"] = IpynbNotebook.SplitLines(SolutionMarkers.Replace(source, regions, region =>
                {
                    stubbed.Add($"{relative}: cell {index + 1}");
                    return $"{region.Indent}throw new NotImplementedException(\"{CSharpString(SolutionMarkers.StubMessage(block, relative))}\");";
                }));
            }
            else if (NotebookAnswers.IsAnswerCell(cell))
                cell.Json["source"] = IpynbNotebook.SplitLines(NotebookAnswers.Blank(cell.Source));
        }

        notebook.Save(target);
    }

    private static string CSharpString(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");

    /// <summary>The solution file without the projects that the release leaves out.</summary>
    private static string WithoutInstructorProjects(string slnx, CourseLayout layout) =>
        ProjectLine().Replace(slnx, m => layout.IsInstructorOnly(m.Groups["path"].Value) ? "" : m.Value);


    [GeneratedRegex(@"[ \t]*<Project Path=""(?<path>[^""]+)""[^>]*/>\r?\n")]
    private static partial Regex ProjectLine();
}
