using System.IO.Compression;
using DaseCV.Runner.Text;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>
/// A student's submission as a folder: the zip from <c>submit</c> (extracted), or a folder such as Gradescope's
/// /autograder/submission. Files are found by their repository path, else by file name anywhere inside. What cannot
/// be read safely is refused with a reason the results show: symbolic links, zip entries that escape the folder,
/// duplicated entries, too many or too large files. Backslashes in zip entry names are read as separators.
/// </summary>
internal sealed class Submission : IDisposable
{
    /// <summary>What a submission may hold: a notebook, its HTML and a few source files.</summary>
    internal const long MaxBytes = 200L << 20;

    internal const int MaxFiles = 5000;
    private readonly string? _extracted;
    private readonly List<string> _files;

    private Submission(string folder, string? extracted, List<string> files)
    {
        Folder = folder;
        _extracted = extracted;
        _files = files;
    }

    public string Folder { get; }

    /// <exception cref="FileNotFoundException">Neither a folder nor a file.</exception>
    /// <exception cref="InvalidDataException">Not a readable zip, or content refused (the message says which and why).</exception>
    /// <param name="path">The zip or folder.</param>
    /// <param name="shownName">The name messages use (the entry's name in the class folder), by default the path's.</param>
    public static Submission Open(string path, string? shownName = null)
    {
        var full = Path.GetFullPath(path);
        // A folder holding only the zip from `submit` (a student who uploaded the zip itself to Gradescope) is that zip.
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).ToList() is [var only] && only.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)
            && File.Exists(only) && new FileInfo(only).LinkTarget is null)
            full = only;
        if (Directory.Exists(full))
            return new Submission(full, null, ListFolder(full, shownName ?? Path.GetFileName(full.TrimEnd('/'))));
        if (!File.Exists(full))
            throw new FileNotFoundException($"Submission not found: {path} (a zip from `submit` or a folder).", path);

        var folder = Directory.CreateTempSubdirectory("dasecv-submission-").FullName;
        try
        {
            Extract(full, shownName ?? Path.GetFileName(full), folder);
            return new Submission(folder, folder, ListFolder(folder, shownName ?? Path.GetFileName(full)));
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>The file at <paramref name="relativePath"/>, else the only file with its name anywhere inside; null when absent.</summary>
    public string? Find(string relativePath)
    {
        var direct = Path.Combine(Folder, relativePath);
        if (_files.Contains(direct))
            return direct;
        var name = Path.GetFileName(relativePath);
        var byName = _files.Where(f => Path.GetFileName(f) == name && !CourseLayout.IsBuildOutput(Path.GetRelativePath(Folder, f))).ToList();
        return byName.Count == 1 ? byName[0] : null;
    }

    public void Dispose()
    {
        if (_extracted is not null && Directory.Exists(_extracted))
            Directory.Delete(_extracted, recursive: true);
    }

    /// <summary>Every regular file, refusing links (a loop, or a link to the instructor's files) instead of following them.</summary>
    private static List<string> ListFolder(string root, string shownName)
    {
        var files = new List<string>();
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
            {
                var relative = CourseLayout.ToRelative(root, entry.FullName);
                if (entry.LinkTarget is not null)
                    throw new InvalidDataException(Feedback.Say($"{shownName}：{relative} 是符号链接；请提交文件本身（`submit` 写出的 zip 不含链接）", $"{shownName}: {relative} is a symbolic link; submit the files themselves (`submit` writes a zip without links)"));
                if (entry is DirectoryInfo)
                    pending.Push(entry.FullName);
                else if (entry is FileInfo { Attributes: var a } && (a & FileAttributes.Device) == 0)
                    files.Add(entry.FullName);
                if (files.Count > MaxFiles)
                    throw new InvalidDataException(TooManyFiles(shownName));
            }
        }

        return files;
    }

    private static void Extract(string zipPath, string shownName, string folder)
    {
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(zipPath);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(Feedback.Say($"{shownName} 不是 zip 文件", $"{shownName} is not a zip file") + $" ({e.Message}); " + Feedback.Say("请提交 `submit` 写出的 zip 或一个文件夹", "pass the zip from `submit` or a folder"), e);
        }

        using (zip)
        {
            if (zip.Entries.Count > MaxFiles)
                throw new InvalidDataException(TooManyFiles(shownName));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                // Zips written on Windows may separate folders with backslashes.
                var name = entry.FullName.Replace('\\', '/');
                if (name.Any(char.IsControl))
                    throw new InvalidDataException(Feedback.Say($"{shownName}：条目名含控制字符", $"{shownName}: an entry's name holds a control character") + $" ('{Feedback.Clip(string.Concat(name.Select(c => char.IsControl(c) ? '?' : c)), 121)}'); " + Feedback.Say("请用 `submit` 重新打包", "zip it again with `submit`"));
                var target = Path.GetFullPath(Path.Combine(folder, name));
                if (!target.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    throw new InvalidDataException(Feedback.Say($"{shownName}：条目 '{Feedback.Clip(entry.FullName, 121)}' 指向提交之外，拒绝解压", $"{shownName}: the entry '{Feedback.Clip(entry.FullName, 121)}' points outside the submission; refusing to extract it"));
                if (((entry.ExternalAttributes >> 16) & 0xF000) == 0xA000)
                    throw new InvalidDataException(Feedback.Say($"{shownName}：条目 '{Feedback.Clip(entry.FullName, 121)}' 是符号链接；请提交文件本身", $"{shownName}: the entry '{Feedback.Clip(entry.FullName, 121)}' is a symbolic link; submit the files themselves"));
                if (name.EndsWith('/'))
                {
                    Directory.CreateDirectory(target);
                    continue;
                }

                if (!seen.Add(target))
                    throw new InvalidDataException(Feedback.Say($"{shownName}：'{Feedback.Clip(name, 121)}' 在 zip 中出现两次，哪一个是提交？请用 `submit` 重新打包", $"{shownName}: '{Feedback.Clip(name, 121)}' is in the zip twice; which one is the submission? Zip it again with `submit`"));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using var input = entry.Open();
                total += CopyBounded(input, target, MaxBytes - total, TooLarge(shownName));
            }
        }
    }

    /// <summary>Copies <paramref name="input"/> into a new file, at most <paramref name="budget"/> bytes; the bytes copied.</summary>
    /// <exception cref="InvalidDataException">More than the budget: <paramref name="whenOver"/>.</exception>
    internal static long CopyBounded(Stream input, string target, long budget, string whenOver)
    {
        using var output = File.Create(target);
        var buffer = new byte[81920];
        long copied = 0;
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            copied += read;
            if (copied > budget)
                throw new InvalidDataException(whenOver);
            output.Write(buffer, 0, read);
        }

        return copied;
    }


    internal static string TooManyFiles(string shownName) => Feedback.Say(
        $"{shownName} 含有超过 {MaxFiles} 个文件；一份提交是一个笔记本、它的 HTML 和几个源文件",
        $"{shownName} holds more than {MaxFiles} files; a submission is a notebook, its HTML and a few source files");

    internal static string TooLarge(string shownName) => Feedback.Say(
        $"{shownName} 超过 {MaxBytes >> 20} MB；一份提交是一个笔记本、它的 HTML 和几个源文件",
        $"{shownName} holds more than {MaxBytes >> 20} MB; a submission is a notebook, its HTML and a few source files");
}
