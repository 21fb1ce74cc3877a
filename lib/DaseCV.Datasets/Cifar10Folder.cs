namespace DaseCV.Data;

/// <summary>The two layouts CIFAR-10 comes in: the binary version and the Python (pickle) version.</summary>
internal enum Cifar10Format
{
    /// <summary><c>cifar-10-batches-bin/</c>: <c>data_batch_N.bin</c>, <c>test_batch.bin</c>, <c>batches.meta.txt</c>.</summary>
    Binary,

    /// <summary><c>cifar-10-batches-py/</c>: pickled <c>data_batch_N</c>, <c>test_batch</c>, <c>batches.meta</c>.</summary>
    Python,
}

/// <summary>
/// A folder holding one CIFAR-10 layout: which files it must contain, and how to read them.
/// </summary>
internal sealed class Cifar10Folder
{
    /// <summary>Folder name of the binary version inside the data folder.</summary>
    public const string BinaryFolderName = "cifar-10-batches-bin";

    /// <summary>Folder name of the Python version inside the data folder.</summary>
    public const string PythonFolderName = "cifar-10-batches-py";

    /// <summary>Number of training batch files.</summary>
    public const int TrainingBatchCount = 5;

    private byte[]? _readBuffer;

    private Cifar10Folder(string path, Cifar10Format format)
    {
        Path = path;
        Format = format;
        string ext = format == Cifar10Format.Binary ? ".bin" : "";
        TrainingFiles = Enumerable.Range(1, TrainingBatchCount)
            .Select(b => System.IO.Path.Combine(path, $"data_batch_{b}{ext}")).ToArray();
        TestFile = System.IO.Path.Combine(path, "test_batch" + ext);
        MetaFile = System.IO.Path.Combine(path, format == Cifar10Format.Binary ? "batches.meta.txt" : "batches.meta");
    }

    /// <summary>The folder itself (…/cifar-10-batches-bin or …/cifar-10-batches-py).</summary>
    public string Path { get; }

    /// <summary>Which layout the folder holds.</summary>
    public Cifar10Format Format { get; }

    /// <summary>data_batch_1 … data_batch_5, in order.</summary>
    public IReadOnlyList<string> TrainingFiles { get; }

    /// <summary>test_batch.</summary>
    public string TestFile { get; }

    /// <summary>The class-name file (optional: the standard names are used without it).</summary>
    public string MetaFile { get; }

    /// <summary>The six batch files, training first.</summary>
    public IEnumerable<string> BatchFiles => TrainingFiles.Append(TestFile);

    /// <summary>A folder of the given layout at <paramref name="path"/>, without checking it.</summary>
    public static Cifar10Folder At(string path, Cifar10Format format) => new(path, format);

    /// <summary>
    /// Finds the data set under <paramref name="root"/>: <c>root/cifar-10-batches-bin/</c>, else
    /// <c>root/cifar-10-batches-py/</c>, else <paramref name="root"/> itself if it is one of those folders;
    /// and checks (<see cref="CheckComplete"/>) that every batch file is there, readable and, for the binary version, a
    /// whole number of records, measured through symbolic links.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No CIFAR-10 folder under root.</exception>
    /// <exception cref="FileNotFoundException">A batch file is missing; the message lists all missing files.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or a batch file cannot be read.</exception>
    /// <exception cref="InvalidDataException">A binary batch file's size is not a whole number of records.</exception>
    public static Cifar10Folder Locate(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        string full = System.IO.Path.GetFullPath(root);
        Cifar10Folder? folder = null;
        foreach (var candidate in new[]
                 {
                     At(System.IO.Path.Combine(full, BinaryFolderName), Cifar10Format.Binary),
                     At(System.IO.Path.Combine(full, PythonFolderName), Cifar10Format.Python),
                     At(full, Cifar10Format.Binary),
                     At(full, Cifar10Format.Python),
                 })
        {
            if (Directory.Exists(candidate.Path) && (candidate.Path != full || candidate.HasAnyBatchFile()))
            {
                folder = candidate;
                break;
            }
        }
        if (folder is null)
        {
            if (Directory.Exists(full)) ListNames(full);  // an unreadable folder is named as such, not as empty
            throw new DirectoryNotFoundException(
                $"No CIFAR-10 data in {full}: expected the folder {System.IO.Path.Combine(full, BinaryFolderName)} " +
                $"(or {PythonFolderName}). Fetch it with `dotnet run --project lib/DaseCV.Runner -- get-data` or " +
                "Cifar10.EnsureDownloaded, or write the synthetic set with Cifar10.WriteSynthetic.");
        }
        folder.CheckComplete();
        return folder;
    }

    /// <summary>
    /// Checks that the folder can be read and holds every batch file, each (for the binary version) a whole number of
    /// records; files are measured through symbolic links. The meta file is not required.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The folder or a batch file in it cannot be read.</exception>
    /// <exception cref="FileNotFoundException">Batch files are missing; the message lists them all.</exception>
    /// <exception cref="InvalidDataException">A binary batch file's size is not a whole number of records, or too large.</exception>
    public void CheckComplete()
    {
        var names = ListNames(Path);
        var missing = BatchFiles.Where(f => !names.Contains(System.IO.Path.GetFileName(f))).Select(System.IO.Path.GetFileName).ToArray();
        if (missing.Length > 0)
            throw new FileNotFoundException(
                $"{string.Join(", ", missing)} {(missing.Length == 1 ? "is" : "are")} missing from {Path}; " +
                $"a CIFAR-10 folder holds {string.Join(", ", BatchFiles.Select(System.IO.Path.GetFileName))} " +
                $"and {System.IO.Path.GetFileName(MetaFile)}. Fetch the data set again.",
                System.IO.Path.Combine(Path, missing[0]!));
        foreach (var file in BatchFiles)
        {
            // Listed but not visible: the folder can be listed (r) but not entered (x).
            if (!File.Exists(file))
                throw new UnauthorizedAccessException(
                    $"{file} is listed in its folder but cannot be read (permission denied). " +
                    $"Give yourself read access to {Path} (chmod -R u+rX), then run again.");
            if (Format == Cifar10Format.Binary) Cifar10Batch.CountBinaryRecords(file);
            else if (ResolvedFile.Length(file) == 0)
                throw new InvalidDataException(
                    $"{System.IO.Path.GetFileName(file)} is empty; a CIFAR-10 Python batch is a pickle of about 31 MB. " +
                    $"The file ({file}) is truncated: fetch the data set again.");
        }
    }

    /// <summary>The names in a folder; a folder that exists but cannot be listed is reported as unreadable, not missing.</summary>
    private static HashSet<string> ListNames(string path)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(path).Select(e => System.IO.Path.GetFileName(e)).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            if (e is DirectoryNotFoundException) throw;
            throw new UnauthorizedAccessException(
                $"{path} cannot be read ({e.Message}): its files cannot be listed. " +
                $"Give yourself read access to it (chmod -R u+rX {path}), then run again.", e);
        }
    }

    /// <summary>
    /// Reads one batch file of this folder's layout. Binary batches share one read buffer (the full set is read twice,
    /// once for the mean and once to fill the matrices), so a batch is valid only until the next call.
    /// </summary>
    public Cifar10Batch ReadBatch(string file)
    {
        if (Format == Cifar10Format.Python) return CifarPickle.ReadBatch(file);
        var batch = Cifar10Batch.ReadBinary(file, _readBuffer);
        _readBuffer = batch.Buffer;
        return batch;
    }

    /// <summary>Number of records in a batch file (from its size for the binary version).</summary>
    public int CountRecords(string file) =>
        Format == Cifar10Format.Binary ? Cifar10Batch.CountBinaryRecords(file) : ReadBatch(file).Count;

    /// <summary>
    /// The ten class names from the meta file; without one, the standard names and a warning on stderr.
    /// </summary>
    /// <exception cref="InvalidDataException">The meta file does not list ten names.</exception>
    public IReadOnlyList<string> ReadClassNames()
    {
        if (!File.Exists(MetaFile))
        {
            Console.Error.WriteLine(
                $"warning: {MetaFile} is missing; using the standard CIFAR-10 class names " +
                $"({string.Join(", ", Cifar10Batch.StandardClassNames)}).");
            return Cifar10Batch.StandardClassNames;
        }
        var names = Format == Cifar10Format.Binary
            ? File.ReadAllLines(MetaFile).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray()
            : CifarPickle.ReadLabelNames(MetaFile);
        if (names.Length != Cifar10Batch.ClassCount)
            throw new InvalidDataException(
                $"{MetaFile} lists {names.Length} class names; CIFAR-10 has {Cifar10Batch.ClassCount} (one a line).");
        return names;
    }

    private bool HasAnyBatchFile() => BatchFiles.Any(File.Exists);
}
