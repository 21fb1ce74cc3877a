using System.IO.Compression;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>
/// A student's submission as a folder: the zip from <c>submit</c> (extracted), or a folder such as Gradescope's
/// /autograder/submission. Files are found by their repository path, else by file name anywhere inside.
/// </summary>
internal sealed class Submission : IDisposable
{
    private const long MaxExtractedBytes = 200L << 20;
    private readonly string? _extracted;

    private Submission(string folder, string? extracted)
    {
        Folder = folder;
        _extracted = extracted;
    }

    public string Folder { get; }

    /// <exception cref="FileNotFoundException">Neither a folder nor a file.</exception>
    /// <exception cref="InvalidDataException">Not a readable zip, or an entry that escapes the folder or is too large.</exception>
    public static Submission Open(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            return new Submission(full, null);
        if (!File.Exists(full))
            throw new FileNotFoundException($"Submission not found: {path} (a zip from `submit` or a folder).", path);

        var folder = Path.Combine(Path.GetTempPath(), "dasecv-submission-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            using var zip = OpenZip(full, path);
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                var target = Path.GetFullPath(Path.Combine(folder, entry.FullName));
                if (!target.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    throw new InvalidDataException($"{path}: the entry '{entry.FullName}' points outside the submission; refusing to extract it.");
                total += entry.Length;
                if (total > MaxExtractedBytes)
                    throw new InvalidDataException($"{path} extracts to more than {MaxExtractedBytes >> 20} MB; a submission is a notebook, its HTML and a few source files.");
                if (entry.FullName.EndsWith('/'))
                {
                    Directory.CreateDirectory(target);
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                entry.ExtractToFile(target);
            }
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }

        return new Submission(folder, folder);
    }

    /// <summary>The file at <paramref name="relativePath"/>, else the only file with its name anywhere inside; null when absent.</summary>
    public string? Find(string relativePath)
    {
        var direct = Path.Combine(Folder, relativePath);
        if (File.Exists(direct))
            return direct;
        var byName = Directory.EnumerateFiles(Folder, Path.GetFileName(relativePath), SearchOption.AllDirectories)
            .Where(f => !CourseLayout.IsBuildOutput(Path.GetRelativePath(Folder, f)))
            .ToList();
        return byName.Count == 1 ? byName[0] : null;
    }

    public void Dispose()
    {
        if (_extracted is not null && Directory.Exists(_extracted))
            Directory.Delete(_extracted, recursive: true);
    }

    private static ZipArchive OpenZip(string full, string path)
    {
        try
        {
            return ZipFile.OpenRead(full);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path} is not a zip file ({e.Message}); pass the zip from `submit` or a folder.", e);
        }
    }
}
