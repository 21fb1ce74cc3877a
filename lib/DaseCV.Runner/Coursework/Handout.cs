using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Coursework;

/// <summary>What <see cref="Handout.Write"/> did: the regions replaced by stubs and those kept solved.</summary>
internal sealed record HandoutSummary(IReadOnlyList<string> Stubbed, IReadOnlyList<string> KeptSolved, int FilesWritten, int FilesLeftOut);

/// <summary>
/// The student release: the repository with every marked region replaced by its TODO and a stub that throws
/// NotImplementedException naming function and file, the written answers blanked, notebook outputs cleared, and the
/// instructor-only files (<see cref="CourseLayout.InstructorOnly"/>) left out.
/// </summary>
internal static partial class Handout
{
    /// <summary>Writes the release of <paramref name="repositoryRoot"/> into <paramref name="outDir"/>, which must not exist or be empty.</summary>
    /// <param name="keepSvm">Keep the SVM exercise's functions (<see cref="CourseLayout.SvmFunctions"/>) solved.</param>
    /// <exception cref="UsageException">The output folder is not empty, or lies over the repository.</exception>
    public static HandoutSummary Write(string repositoryRoot, string outDir, CourseLayout layout, bool keepSvm)
    {
        var root = Path.GetFullPath(repositoryRoot);
        var output = Path.GetFullPath(outDir);
        if (IsSameOrInside(output, root))
            throw new UsageException($"--out {outDir} contains the repository {root}; choose a folder outside it (e.g. artifacts/handout).");
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
            throw new UsageException($"--out {outDir} is not empty; the handout goes into a new or empty folder.");

        // Built beside the target and moved into place at the end: an interrupted run leaves no folder that looks like a release.
        var partial = output.TrimEnd(Path.DirectorySeparatorChar) + ".partial-" + Environment.ProcessId;
        if (Directory.Exists(partial))
            Directory.Delete(partial, recursive: true);
        Directory.CreateDirectory(partial);

        var stubbed = new List<string>();
        var kept = new List<string>();
        int written = 0, leftOut = 0;
        try
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                var relative = CourseLayout.ToRelative(root, file);
                if (!IsRepositoryFile(relative) || IsSameOrInside(output, file) || IsSameOrInside(partial, file))
                    continue;
                if (layout.IsInstructorOnly(relative))
                {
                    leftOut++;
                    continue;
                }

                var target = Path.Combine(partial, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (relative == layout.Notebook)
                    WriteNotebook(file, target, relative, stubbed);
                else if (relative.EndsWith(".cs", StringComparison.Ordinal) && relative.StartsWith(layout.StudentCodeFolder + "/", StringComparison.Ordinal)
                         && SolutionMarkers.HasMarkers(File.ReadAllText(file)))
                    WriteStudentFile(file, target, relative, layout, keepSvm, stubbed, kept);
                else if (relative.EndsWith(".slnx", StringComparison.Ordinal))
                    File.WriteAllText(target, WithoutInstructorProjects(File.ReadAllText(file), layout));
                else
                    File.Copy(file, target);
                written++;
            }

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

        return new HandoutSummary(stubbed, kept, written, leftOut);
    }

    /// <summary>Files a release carries: not build outputs, not the data set (only data/README.md), not git's own.</summary>
    public static bool IsRepositoryFile(string relative) =>
        !CourseLayout.IsBuildOutput(relative) && relative != ".git" && !relative.EndsWith(".user", StringComparison.Ordinal)
        && (!relative.StartsWith("data/", StringComparison.Ordinal) || relative == "data/README.md");

    private static void WriteStudentFile(string file, string target, string relative, CourseLayout layout, bool keepSvm,
        List<string> stubbed, List<string> kept)
    {
        var text = File.ReadAllText(file);
        var regions = SolutionMarkers.Find(text, relative);
        File.WriteAllText(target, SolutionMarkers.Replace(text, regions, region =>
        {
            if (keepSvm && layout.SvmFunctions.Contains(region.Function))
            {
                kept.Add($"{relative}: {region.Function}");
                return region.Code;
            }

            stubbed.Add($"{relative}: {region.Function}");
            return SolutionMarkers.CSharpStub(region, relative);
        }));
    }

    private static void WriteNotebook(string file, string target, string relative, List<string> stubbed)
    {
        var notebook = IpynbNotebook.Load(file);
        notebook.Metadata.Remove(Execution.NotebookExecutor.RunMetadataKey);
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
                var block = $"the marked block of cell {index + 1}";
                var regions = SolutionMarkers.Find(source, $"{relative} cell {index + 1}", block);
                cell.Json["source"] = IpynbNotebook.SplitLines(SolutionMarkers.Replace(source, regions, region =>
                {
                    stubbed.Add($"{relative}: cell {index + 1}");
                    return $"{region.Indent}throw new NotImplementedException(\"{SolutionMarkers.StubMessage(block, relative)}\");";
                }));
            }
            else if (NotebookAnswers.IsAnswerCell(cell))
                cell.Json["source"] = IpynbNotebook.SplitLines(NotebookAnswers.Blank(cell.Source));
        }

        notebook.Save(target);
    }

    /// <summary>The solution file without the projects that the release leaves out.</summary>
    private static string WithoutInstructorProjects(string slnx, CourseLayout layout) =>
        ProjectLine().Replace(slnx, m => layout.IsInstructorOnly(m.Groups["path"].Value) ? "" : m.Value);

    private static bool IsSameOrInside(string folder, string path)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }

    [GeneratedRegex(@"[ \t]*<Project Path=""(?<path>[^""]+)""[^>]*/>\r?\n")]
    private static partial Regex ProjectLine();
}
