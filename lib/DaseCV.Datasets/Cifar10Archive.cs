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

    /// <summary>Prefix of the temporary folders extraction writes into (see <see cref="StagingFolder"/>).</summary>
    public const string StagingPrefix = ".cifar-10-extract-";

    /// <summary>
    /// Extracts <paramref name="archive"/> into <paramref name="dataDir"/> and returns the CIFAR-10 folder. First
    /// removes the temporary folders of extractions whose process was killed (as every EnsureDownloaded call does).
    /// </summary>
    /// <remarks>
    /// The archive must hold every batch file and the meta file (<c>batches.meta.txt</c> or <c>batches.meta</c>): an
    /// install that <see cref="Cifar10Download.IsDownloaded"/> would then call incomplete is refused up front.
    /// When another process installs the same data set meanwhile, its folder is kept and returned.
    /// </remarks>
    /// <exception cref="InvalidDataException">Not a .tar.gz, a failed gzip check, an unsafe or unexpected entry, or files missing.</exception>
    /// <exception cref="IOException">The target folder already exists with other contents.</exception>
    public static string Extract(string archive, string dataDir)
    {
        StagingFolder.RemoveStale(dataDir, StagingPrefix);
        string temp = StagingFolder.Create(dataDir, StagingPrefix);
        try
        {
            string folderName = ExtractEntries(archive, temp);
            var format = folderName == Cifar10Folder.BinaryFolderName ? Cifar10Format.Binary : Cifar10Format.Python;
            var staged = Cifar10Folder.At(Path.Combine(temp, folderName), format);
            var missing = staged.BatchFiles.Append(staged.MetaFile).Where(f => !File.Exists(f)).Select(Path.GetFileName).ToArray();
            if (missing.Length > 0)
                throw new InvalidDataException(
                    $"{Path.GetFileName(archive)} lacks {string.Join(", ", missing)} in its {folderName} folder " +
                    $"(a CIFAR-10 archive holds {string.Join(", ", staged.BatchFiles.Append(staged.MetaFile).Select(Path.GetFileName))})");
            try
            {
                staged.CheckComplete();
                staged.ReadClassNames();
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                // Name the file as it is in the archive, not by the temporary folder it was checked in.
                throw new InvalidDataException(
                    e.Message.Replace(staged.Path, $"{Path.GetFileName(archive)}: {folderName}", StringComparison.Ordinal), e);
            }
            if (format == Cifar10Format.Binary) InstallRecord.Write(staged);

            string target = Path.Combine(dataDir, folderName);
            try
            {
                if (!Directory.Exists(target) && !File.Exists(target))
                {
                    Directory.Move(staged.Path, target);
                    return target;
                }
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // Another process moved its folder into place between the check and the move: compare below.
            }
            if (SameFiles(staged.Path, target) is not string difference) return target;
            throw new IOException(
                $"{target} already exists and differs from the archive ({difference}); it is left alone. " +
                "If it is an old or broken copy, delete or rename it, then run again");
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>Null when <paramref name="target"/> holds exactly the files of <paramref name="staged"/>; else the first difference.</summary>
    private static string? SameFiles(string staged, string target)
    {
        if (!Directory.Exists(target)) return "it is not a folder";
        // The install note is compared through the batch sizes it records; the data files are compared byte for byte.
        string[] DataFiles(string folder) => Directory.GetFiles(folder).Select(f => Path.GetFileName(f)!)
            .Where(n => n != InstallRecord.FileName).Order(StringComparer.Ordinal).ToArray();
        var ours = DataFiles(staged);
        var theirs = DataFiles(target);
        if (!ours.SequenceEqual(theirs))
            return $"it holds {(theirs.Length == 0 ? "no files" : string.Join(", ", theirs))}; the archive {string.Join(", ", ours)}";
        foreach (var name in ours)
        {
            string a = Path.Combine(staged, name), b = Path.Combine(target, name);
            if (ResolvedFile.Length(a) != ResolvedFile.Length(b))
                return $"its {name} is {Cifar10Batch.N(ResolvedFile.Length(b))} bytes, the archive's {Cifar10Batch.N(ResolvedFile.Length(a))}";
            if (!SameBytes(a, b)) return $"its {name} has other contents";
        }
        return null;
    }

    private static bool SameBytes(string a, string b)
    {
        using var x = File.OpenRead(a);
        using var y = File.OpenRead(b);
        var bufferX = new byte[1 << 16];
        var bufferY = new byte[1 << 16];
        while (true)
        {
            int n = x.ReadAtLeast(bufferX, bufferX.Length, throwOnEndOfStream: false);
            int m = y.ReadAtLeast(bufferY, bufferY.Length, throwOnEndOfStream: false);
            if (n != m || !bufferX.AsSpan(0, n).SequenceEqual(bufferY.AsSpan(0, m))) return false;
            if (n == 0) return true;
        }
    }

    /// <summary>
    /// Largest entry extracted: a batch file must fit in one array to be read (<see cref="Cifar10Batch.MaxBatchBytes"/>);
    /// anything larger would only fill the disk.
    /// </summary>
    private static readonly long MaxEntryBytes = Array.MaxLength;

    /// <summary>Writes the archive's entries below <paramref name="temp"/>; returns the one top-level folder name.</summary>
    private static string ExtractEntries(string archive, string temp)
    {
        string? folderName = null;
        try
        {
            using var stream = File.OpenRead(archive);
            using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            using (var tar = new TarReader(gzip, leaveOpen: true))
            {
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
                    if (entry.Length > MaxEntryBytes)
                        throw Unexpected(entry, $"it is {Cifar10Batch.N(entry.Length)} bytes; a CIFAR-10 file is at most " +
                                                $"{Cifar10Batch.N(MaxEntryBytes)} bytes (an official batch is 30,730,000)");

                    Directory.CreateDirectory(Path.Combine(temp, top));
                    using var output = new FileStream(Path.Combine(temp, top, parts[1]), FileMode.CreateNew, FileAccess.Write);
                    entry.DataStream?.CopyTo(output);
                }
            }
            // A tar reader stops at the end-of-archive blocks; reading on to the end makes GZipStream check the gzip
            // trailer (RFC 1952: CRC-32 and size of the data), whose mismatch it reports as a plain InvalidDataException.
            try
            {
                gzip.CopyTo(Stream.Null);
            }
            catch (InvalidDataException e)
            {
                var refused = new InvalidDataException(
                    $"{Path.GetFileName(archive)} fails the gzip integrity check: the data does not match the CRC-32 and " +
                    "size its trailer records. The archive is corrupt; nothing was installed", e);
                refused.Data[RefusedKey] = true;
                throw refused;
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

    /// <summary>Marks refusals that explain themselves (unsafe entries, a failed gzip check), so they are not wrapped again.</summary>
    internal const string RefusedKey = "DaseCV.RefusedEntry";

    private static InvalidDataException Unexpected(TarEntry entry, string why)
    {
        var e = new InvalidDataException($"the archive entry '{entry.Name}' is refused: {why}");
        e.Data[RefusedKey] = true;
        return e;
    }
}
