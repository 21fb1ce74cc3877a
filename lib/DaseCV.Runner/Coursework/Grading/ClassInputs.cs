using DaseCV.Runner.IO;
using DaseCV.Runner.Text;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>One submission found among the inputs: who (as the file name says) and where its staged copy is.</summary>
/// <param name="Student">The name for output folders and the gradebook (safe characters only, unique in the class).</param>
/// <param name="ShownName">The entry's name as found, decoded (e.g. 张三.zip from GBK bytes), for messages.</param>
/// <param name="Source">The entry's path bytes, read once into a staged copy by <see cref="ClassInputs.Stage"/>.</param>
/// <param name="Kind">A zip, a folder, or one loose file (a notebook or a .cs file handed in alone).</param>
internal sealed record GradingItem(string Student, string ShownName, byte[] Source, GradingItemKind Kind);

internal enum GradingItemKind { Zip, Folder, LooseFile }

/// <summary>An entry of a class folder that is not graded, and why.</summary>
internal sealed record SkippedEntry(string Name, string Reason);

/// <summary>
/// The grading pipeline's first stage: what to grade among the paths given (one submission, several, or a class folder of
/// anything an LMS export or a TA's folder holds), and a private copy of each submission read once, so that nothing a
/// student's folder holds (a link, a FIFO, a name in GBK bytes, a file growing under us) reaches a later stage.
/// </summary>
internal static class ClassInputs
{
    /// <summary>Names a student's output folder must not take: the class's own files beside them.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "gradebook.csv", "index.html", "skipped.txt", "self-test" };

    /// <summary>
    /// One submission (null items) when <paramref name="paths"/> is a single zip, or a single folder that holds the
    /// course's files itself (submission.json, lib/ or notebooks/ at its top, or only loose files); otherwise the class
    /// it holds. <paramref name="asClass"/> (true: a class folder; false: one submission) overrides the guess.
    /// </summary>
    public static (IReadOnlyList<GradingItem>? Items, IReadOnlyList<SkippedEntry> Skipped) Find(IReadOnlyList<string> paths, bool? asClass)
    {
        var skipped = new List<SkippedEntry>();
        var entries = new List<RawEntry>();
        if (paths.Count == 1)
        {
            var only = RawTree.PathOf(paths[0]);
            if (!Directory.Exists(paths[0]) || asClass == false || (asClass is null && IsOneSubmission(only)))
                return (null, skipped);
            entries.AddRange(RawTree.List(only));
        }
        else
        {
            foreach (var path in paths)
            {
                var info = new FileInfo(path);
                var kind = info.LinkTarget is not null ? EntryKind.Link : Directory.Exists(path) ? EntryKind.Folder : info.Exists ? EntryKind.File : EntryKind.Other;
                entries.Add(new RawEntry(RawTree.PathOf(path), Path.GetFileName(Path.TrimEndingDirectorySeparator(path)), kind,
                    kind == EntryKind.Link ? "a symbolic link" : kind == EntryKind.Other ? "not found" : ""));
            }
        }

        var items = new List<GradingItem>();
        var used = new HashSet<string>(Reserved, StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            var (kind, why) = Classify(entry);
            if (kind is null)
            {
                skipped.Add(new SkippedEntry(entry.Name, why));
                continue;
            }

            var name = SafeName(kind == GradingItemKind.Folder ? entry.Name : Path.GetFileNameWithoutExtension(entry.Name));
            var unique = name;
            for (var k = 2; !used.Add(unique); k++)
                unique = $"{name}-{k}";
            items.Add(new GradingItem(unique, entry.Name, entry.Path, kind.Value));
        }

        return (items, skipped);
    }

    /// <summary>
    /// Copies <paramref name="item"/> into <paramref name="folder"/> (new): a zip as submission.zip, a loose file under
    /// its own name, a folder file by file. Links, FIFOs, sockets and devices are refused with the reason, never followed or opened.
    /// </summary>
    /// <param name="item">The submission.</param>
    /// <param name="folder">A new folder for the copy.</param>
    /// <param name="notebooks">The graded exercises' notebooks (repository paths): a loose notebook goes to the one its name names (the only one, if just one is graded).</param>
    /// <returns>The path to open with <see cref="Submission.Open"/>.</returns>
    /// <exception cref="InvalidDataException">The submission holds something that cannot be graded (the message says what).</exception>
    public static string Stage(GradingItem item, string folder, IReadOnlyList<string> notebooks)
    {
        Directory.CreateDirectory(folder);
        long total = 0;
        var files = 0;
        void Copy(byte[] source, string target)
        {
            using var input = RawTree.OpenRead(source);
            total += Submission.CopyBounded(input, target, Submission.MaxBytes - total,
                Submission.TooLarge(item.ShownName));
            if (++files > Submission.MaxFiles)
                throw new InvalidDataException(Submission.TooManyFiles(item.ShownName));
        }

        switch (item.Kind)
        {
            case GradingItemKind.Zip:
                Copy(item.Source, Path.Combine(folder, "submission.zip"));
                return Path.Combine(folder, "submission.zip");
            case GradingItemKind.LooseFile:
                // A notebook handed in alone is the exercise's its name names (carol_svm.ipynb), whatever else it says.
                var named = notebooks.OrderByDescending(n => n.Length)
                    .FirstOrDefault(n => item.ShownName.Contains(Path.GetFileNameWithoutExtension(n), StringComparison.OrdinalIgnoreCase));
                var exerciseNotebook = named ?? (notebooks.Count == 1 ? notebooks[0] : null);
                var loose = item.ShownName.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) && exerciseNotebook is not null
                    ? Path.Combine(folder, exerciseNotebook) : Path.Combine(folder, SafeName(item.ShownName));
                Directory.CreateDirectory(Path.GetDirectoryName(loose)!);
                Copy(item.Source, loose);
                return folder;
        }

        var pending = new Stack<(byte[] Source, string Target, string Shown)>([(item.Source, folder, item.ShownName)]);
        while (pending.Count > 0)
        {
            var (source, target, shown) = pending.Pop();
            Directory.CreateDirectory(target);
            foreach (var entry in RawTree.List(source))
            {
                var relative = shown + "/" + entry.Name;
                if (entry.Name.Contains('/', StringComparison.Ordinal) || entry.Name.Contains('\0', StringComparison.Ordinal))
                    throw new InvalidDataException(Feedback.Say($"{relative}：评分程序无法使用这个名字", $"{relative}: a name the grader cannot use"));
                var path = Path.Combine(target, entry.Name);
                switch (entry.Kind)
                {
                    case EntryKind.Folder:
                        pending.Push((entry.Path, path, relative));
                        break;
                    case EntryKind.File:
                        Copy(entry.Path, path);
                        break;
                    case EntryKind.Link:
                        throw new InvalidDataException(Feedback.Say($"{relative} 是符号链接；请提交文件本身（`submit` 写出的 zip 不含链接）", $"{relative} is a symbolic link; submit the files themselves (`submit` writes a zip without links)"));
                    default:
                        throw new InvalidDataException(Feedback.Say($"{relative} 不是文件（{entry.What}）；请提交文件本身（`submit` 写出 zip）", $"{relative} is {entry.What}, not a file; submit the files themselves (`submit` writes a zip)"));
                }
            }
        }

        return folder;
    }

    /// <summary>A file-system-safe name: letters (any script), digits, '-', '_' and '.'; no leading '.', '-' or formula sign.</summary>
    public static string SafeName(string name)
    {
        var safe = new string(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray()).TrimStart('.', '-').TrimEnd('.');
        return safe.Length == 0 ? "submission" : safe;
    }

    private static (GradingItemKind? Kind, string Why) Classify(RawEntry entry)
    {
        if (entry.Name.StartsWith('.'))
            return (null, "hidden (its name starts with '.')");
        return entry.Kind switch
        {
            EntryKind.Folder => (GradingItemKind.Folder, ""),
            EntryKind.File when entry.Name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) => (GradingItemKind.Zip, ""),
            EntryKind.File when entry.Name.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) || entry.Name.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) => (GradingItemKind.LooseFile, ""),
            EntryKind.File => (null, "not a submission (a zip, a folder, a notebook or a .cs file)"),
            EntryKind.Link => (null, "a symbolic link (never followed)"),
            _ => (null, entry.What.Length > 0 ? entry.What : "not found"),
        };
    }

    /// <summary>
    /// A folder that is one submission: no zip at its top, and the course's own files there (submission.json,
    /// lib/DaseCV/, a notebook in notebooks/) or only loose files (Gradescope's upload). A student's folder that happens
    /// to be named lib or notebooks, beside others, does not make a class folder one submission.
    /// </summary>
    private static bool IsOneSubmission(byte[] folder)
    {
        var entries = RawTree.List(folder);
        if (entries.Any(e => e.Kind == EntryKind.File && e.Name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)))
            return false;
        bool Holds(string name, Func<RawEntry, bool> inside) =>
            entries.FirstOrDefault(e => e.Name == name && e.Kind == EntryKind.Folder) is { } sub && RawTree.List(sub.Path).Any(inside);
        return entries.Any(e => e.Name == "submission.json" && e.Kind == EntryKind.File)
               || Holds("lib", e => e.Name == "DaseCV" && e.Kind == EntryKind.Folder)
               || Holds("notebooks", e => e.Name.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
               || (!entries.Any(e => e.Kind == EntryKind.Folder) && entries.Any(e => e.Kind == EntryKind.File));
    }
}
