using System.Formats.Tar;
using System.IO.Compression;

namespace DaseCV.Data;

/// <summary>
/// Extracts a CIFAR-10 archive (<c>cifar-10-binary.tar.gz</c>, or <c>cifar-10-python.tar.gz</c>) safely: only the
/// expected regular files of one CIFAR-10 folder, nothing outside it (no <c>..</c>, no absolute paths, no links),
/// into a temporary folder that is renamed into place only when complete.
/// </summary>
internal static class Cifar10Archive
{
    private static readonly HashSet<string> BinaryFiles =
    [
        "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin",
        "test_batch.bin", "batches.meta.txt", "readme.html",
    ];

    private static readonly HashSet<string> PythonFiles =
    [
        "data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch", "batches.meta",
        "readme.html",
    ];

    /// <summary>Extracts <paramref name="archive"/> into <paramref name="dataDir"/> and returns the CIFAR-10 folder.</summary>
    /// <exception cref="InvalidDataException">Not a .tar.gz, an unsafe or unexpected entry, or files missing.</exception>
    /// <exception cref="IOException">The target folder already exists.</exception>
    public static string Extract(string archive, string dataDir)
    {
        string temp = Path.Combine(dataDir, $".cifar-10-extract-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(temp);
            string folderName = ExtractEntries(archive, temp);
            var format = folderName == Cifar10Folder.BinaryFolderName ? Cifar10Format.Binary : Cifar10Format.Python;
            var staged = Cifar10Folder.At(Path.Combine(temp, folderName), format);
            var missing = staged.BatchFiles.Where(f => !File.Exists(f)).Select(Path.GetFileName).ToArray();
            if (missing.Length > 0)
                throw new InvalidDataException(
                    $"{Path.GetFileName(archive)} lacks {string.Join(", ", missing)} in its {folderName} folder");
            if (format == Cifar10Format.Binary)
                foreach (var file in staged.BatchFiles) Cifar10Batch.CountBinaryRecords(file);

            string target = Path.Combine(dataDir, folderName);
            if (Directory.Exists(target) || File.Exists(target))
                throw new IOException($"{target} already exists and is not a complete CIFAR-10 folder; delete or rename it, then run again");
            Directory.Move(staged.Path, target);
            return target;
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>Writes the archive's entries below <paramref name="temp"/>; returns the one top-level folder name.</summary>
    private static string ExtractEntries(string archive, string temp)
    {
        string? folderName = null;
        try
        {
            using var stream = File.OpenRead(archive);
            using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType == TarEntryType.GlobalExtendedAttributes) continue;
                var parts = SafeParts(entry);
                string top = parts[0];
                if (top is not (Cifar10Folder.BinaryFolderName or Cifar10Folder.PythonFolderName) || (folderName ?? top) != top)
                    throw Unexpected(entry, "it is not inside the one CIFAR-10 folder (cifar-10-batches-bin/ or cifar-10-batches-py/)");
                folderName = top;
                if (entry.EntryType == TarEntryType.Directory)
                {
                    if (parts.Length != 1) throw Unexpected(entry, "a CIFAR-10 archive has no subfolders");
                    continue;
                }
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                    throw Unexpected(entry, $"it is a {entry.EntryType} entry; only regular files are extracted");
                var expected = top == Cifar10Folder.BinaryFolderName ? BinaryFiles : PythonFiles;
                if (parts.Length != 2 || !expected.Contains(parts[1]))
                    throw Unexpected(entry, $"a CIFAR-10 archive holds only {string.Join(", ", expected)}");

                Directory.CreateDirectory(Path.Combine(temp, top));
                using var output = new FileStream(Path.Combine(temp, top, parts[1]), FileMode.CreateNew, FileAccess.Write);
                entry.DataStream?.CopyTo(output);
            }
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or InvalidDataException
                                  && !e.Data.Contains(RefusedKey))
        {
            throw new InvalidDataException($"{Path.GetFileName(archive)} is not a valid .tar.gz archive ({e.Message})", e);
        }
        return folderName ?? throw new InvalidDataException($"{Path.GetFileName(archive)} holds no cifar-10-batches-bin folder");
    }

    /// <summary>The entry's path segments, refusing links, absolute paths and <c>..</c>.</summary>
    private static string[] SafeParts(TarEntry entry)
    {
        if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
            throw Unexpected(entry, $"it is a {(entry.EntryType == TarEntryType.SymbolicLink ? "symbolic" : "hard")} link to " +
                                    $"'{entry.LinkName}'; links could point outside the data folder");
        string name = entry.Name.Replace('\\', '/');
        if (name.StartsWith('/') || Path.IsPathRooted(entry.Name) || (name.Length > 1 && name[1] == ':'))
            throw Unexpected(entry, "it has an absolute path");
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Contains(".."))
            throw Unexpected(entry, "its path contains '..' and would be written outside the data folder");
        if (parts.Length == 0) throw Unexpected(entry, "it has an empty name");
        return parts;
    }

    /// <summary>Marks the extractor's own refusals, so they are not reported as a broken archive.</summary>
    private const string RefusedKey = "DaseCV.RefusedEntry";

    private static InvalidDataException Unexpected(TarEntry entry, string why)
    {
        var e = new InvalidDataException($"the archive entry '{entry.Name}' is refused: {why}");
        e.Data[RefusedKey] = true;
        return e;
    }
}
