using System.Globalization;

namespace DaseCV.Data;

/// <summary>
/// A note an install leaves in the folder it extracted (<c>.dasecv-install.txt</c>): each batch file's size. An archive
/// named by its MD5 may hold batches of other sizes than the official 10,000 records; the note lets later runs
/// recognise that install as complete, where a folder of unknown origin (a synthetic set, a partial copy) must have
/// the official sizes.
/// </summary>
internal static class InstallRecord
{
    /// <summary>The note's file name inside the CIFAR-10 folder.</summary>
    public const string FileName = ".dasecv-install.txt";

    /// <summary>Writes the note for the (complete, checked) <paramref name="folder"/>.</summary>
    public static void Write(Cifar10Folder folder)
    {
        var lines = new List<string>
        {
            "# Installed by DaseCV from a CIFAR-10 archive. The batch files and their sizes in bytes, so that later",
            "# runs know this install is complete. Delete the whole folder to install again.",
        };
        lines.AddRange(folder.BatchFiles.Select(f =>
            $"{Path.GetFileName(f)} {ResolvedFile.Length(f).ToString(CultureInfo.InvariantCulture)}"));
        File.WriteAllLines(Path.Combine(folder.Path, FileName), lines);
    }

    /// <summary>
    /// Compares the batch files with the folder's note: false when there is no note; else true, with
    /// <paramref name="mismatch"/> naming the first file whose size differs from the recorded one (null when none does).
    /// </summary>
    public static bool TryCompare(Cifar10Folder folder, out string? mismatch)
    {
        mismatch = null;
        string path = Path.Combine(folder.Path, FileName);
        if (!File.Exists(path)) return false;
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith('#')) continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long size))
                sizes[parts[0]] = size;
        }
        foreach (var file in folder.BatchFiles)
        {
            string name = Path.GetFileName(file);
            long actual = ResolvedFile.Length(file);
            if (!sizes.TryGetValue(name, out long recorded))
                mismatch = $"{name} is not listed in {FileName}";
            else if (actual != recorded)
                mismatch = $"{name} is {Cifar10Batch.N(actual)} bytes; the install recorded {Cifar10Batch.N(recorded)} bytes";
            if (mismatch is not null) break;
        }
        return true;
    }
}
