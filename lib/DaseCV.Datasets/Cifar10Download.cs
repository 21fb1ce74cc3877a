using System.Security.Cryptography;

namespace DaseCV.Data;

/// <summary>Downloading and installing the CIFAR-10 binary version: checksum, resume, safe extraction.</summary>
public static class Cifar10Download
{
    /// <summary>Where the official binary version is published.</summary>
    public const string OfficialUrl = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";

    /// <summary>Size of the official archive in bytes.</summary>
    public const long OfficialSize = 170_052_171;

    /// <summary>MD5 of the official archive.</summary>
    public const string OfficialMd5 = "c32a1d4ab5d03f1284b67883e8d87530";

    /// <summary>Environment variable naming a mirror URL or a local archive to use instead of the official URL.</summary>
    public const string SourceVariable = "DASECV_CIFAR10_URL";

    /// <summary>Name of the archive inside the data folder, where a download lands and where a user may put one.</summary>
    public const string ArchiveFileName = "cifar-10-binary.tar.gz";

    /// <summary>The source used when none is given: <c>DASECV_CIFAR10_URL</c> if set, else <see cref="OfficialUrl"/>.</summary>
    public static string DefaultSource =>
        Environment.GetEnvironmentVariable(SourceVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : OfficialUrl;

    /// <summary>Size of each official binary batch file: 10,000 records of 3,073 bytes.</summary>
    private const long OfficialBatchSize = 10_000L * Cifar10Batch.RecordBytes;

    /// <summary>
    /// True when <paramref name="dataDir"/> already holds the complete data set: <c>cifar-10-batches-bin/</c> with the six
    /// batch files of 30,730,000 bytes (or the sizes an install recorded) and <c>batches.meta.txt</c>, or a complete
    /// <c>cifar-10-batches-py/</c>. Files are measured through symbolic links. Installing and this check agree: what
    /// <see cref="EnsureDownloaded(string, string?, string?, IProgress{DownloadProgress}?, CancellationToken)"/> installs,
    /// this accepts.
    /// </summary>
    /// <param name="dataDir">The data folder.</param>
    public static bool IsDownloaded(string dataDir) => FindInstalled(Path.GetFullPath(dataDir)) is not null;

    /// <summary>
    /// Makes sure CIFAR-10 is in <paramref name="dataDir"/>, downloading and extracting it if needed (the assignment's
    /// <c>get_datasets.sh</c>, with a checksum). Does nothing when the data set is already there.
    /// </summary>
    /// <remarks>
    /// The archive comes from <paramref name="source"/>, else the <c>DASECV_CIFAR10_URL</c> environment variable, else
    /// <see cref="OfficialUrl"/>; an archive already at <c>dataDir/cifar-10-binary.tar.gz</c> is used without downloading.
    /// Downloads resume from <c>cifar-10-binary.tar.gz.partial</c> where the server allows it and retry transient failures.
    /// The archive's MD5 (and, for the official one, its size) is checked before anything is extracted; a download never
    /// grows past the official size (or 1 GiB for an archive named by its MD5), announced or not. Extraction writes only
    /// the expected files into a temporary folder (named with the process ID, so one left by a killed run is removed by
    /// the next), checks the gzip CRC-32 and size, requires every batch file and the meta file, and renames the folder
    /// into place when complete.
    /// </remarks>
    /// <param name="dataDir">The data folder (created if needed).</param>
    /// <param name="source">A URL (http or https) or a local archive file (a path or file:// URL); null for the default.</param>
    /// <param name="md5">Expected MD5 (32 hex digits) of another archive than the official one; its size is then not checked.</param>
    /// <param name="progress">Receives download progress a few times a second.</param>
    /// <param name="cancellationToken">Stops the download; the partial file is kept for the next run.</param>
    /// <returns>The path of <c>cifar-10-batches-bin</c> (or <c>cifar-10-batches-py</c> if that is what the folder holds).</returns>
    /// <exception cref="ArgumentException">The md5 is not 32 hex digits; the source uses a scheme other than http, https
    /// or file, or names a folder.</exception>
    /// <exception cref="IOException">The folder cannot be written, the download failed, or a folder in the way is not a
    /// complete install (the message names the file at fault and its size); the message says what to do.</exception>
    /// <exception cref="UnauthorizedAccessException">A CIFAR-10 folder already there cannot be read.</exception>
    /// <exception cref="FileNotFoundException">The local source file does not exist.</exception>
    /// <exception cref="InvalidDataException">The archive fails its checksum, is not a valid .tar.gz, or has unsafe entries.</exception>
    public static string EnsureDownloaded(string dataDir, string? source = null, string? md5 = null,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        EnsureDownloaded(dataDir, source, md5, progress, DownloadOptions.Default, cancellationToken);

    /// <summary><see cref="EnsureDownloaded(string, string?, string?, IProgress{DownloadProgress}?, CancellationToken)"/> with explicit retry settings.</summary>
    internal static string EnsureDownloaded(string dataDir, string? source, string? md5,
        IProgress<DownloadProgress>? progress, DownloadOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDir);
        string dir = Path.GetFullPath(dataDir);
        // Also when there is nothing to install: a killed extraction's folder may sit beside a complete install.
        StagingFolder.RemoveStale(dir, Cifar10Archive.StagingPrefix);
        if (FindInstalled(dir) is string installed) return installed;

        string? expectedMd5 = NormalizeMd5(md5);
        if (string.IsNullOrWhiteSpace(source)) source = DefaultSource;
        var (url, localArchive) = ParseSource(source, dir);
        PrepareDataFolder(dir);

        foreach (var name in new[] { Cifar10Folder.BinaryFolderName, Cifar10Folder.PythonFolderName })
        {
            var present = Cifar10Folder.At(Path.Combine(dir, name), name == Cifar10Folder.BinaryFolderName
                ? Cifar10Format.Binary : Cifar10Format.Python);
            if (Directory.Exists(present.Path) && WhyNotInstalled(present, throwIfUnreadable: true) is string why)
                throw new IOException(
                    $"{present.Path} exists but is not the complete official data set: {why}. It is left alone. " +
                    "Delete or rename it, then run again.");
        }

        string archive;
        bool downloaded = false;
        if (url is not null)
        {
            archive = Path.Combine(dir, ArchiveFileName);
            if (!File.Exists(archive))
            {
                string partial = archive + ".partial";
                try
                {
                    new ArchiveDownload(url, partial, expectedMd5 is null ? OfficialSize : null, options, progress).Run(cancellationToken);
                }
                catch (IOException e)
                {
                    throw new IOException(CannotGet(dir, e.Message), e);
                }
                VerifyOrDelete(partial, expectedMd5, dir, deleteOnMismatch: true);
                File.Move(partial, archive);
                downloaded = true;
            }
            else
            {
                VerifyOrDelete(archive, expectedMd5, dir, deleteOnMismatch: false);
            }
        }
        else
        {
            archive = localArchive!;
            if (!File.Exists(archive))
                throw new FileNotFoundException(CannotGet(dir, $"the archive {archive} does not exist"), archive);
            try
            {
                ResolvedFile.Length(archive);
            }
            catch (FileNotFoundException e)
            {
                throw new FileNotFoundException(CannotGet(dir, e.Message), archive, e);  // a link to nothing
            }
            VerifyOrDelete(archive, expectedMd5, dir, deleteOnMismatch: false);
        }

        // Another process (a second notebook, get-data in a terminal) may have installed it while this one downloaded.
        if (FindInstalled(dir) is string meanwhile)
        {
            if (downloaded) File.Delete(archive);
            return meanwhile;
        }
        string folder;
        try
        {
            folder = Cifar10Archive.Extract(archive, dir);
        }
        catch (InvalidDataException e)
        {
            if (downloaded) File.Delete(archive);
            throw new InvalidDataException(CannotGet(dir, e.Message), e);
        }
        if (downloaded) File.Delete(archive);
        return folder;
    }

    /// <summary>The installed CIFAR-10 folder under <paramref name="dir"/>, or null when it is missing or incomplete.</summary>
    private static string? FindInstalled(string dir)
    {
        var bin = Cifar10Folder.At(Path.Combine(dir, Cifar10Folder.BinaryFolderName), Cifar10Format.Binary);
        if (Directory.Exists(bin.Path) && WhyNotInstalled(bin) is null) return bin.Path;
        var py = Cifar10Folder.At(Path.Combine(dir, Cifar10Folder.PythonFolderName), Cifar10Format.Python);
        if (Directory.Exists(py.Path) && WhyNotInstalled(py) is null) return py.Path;
        return null;
    }

    /// <summary>
    /// Null when <paramref name="folder"/> is a complete install: it can be read, the loader accepts every batch file
    /// (followed through links), the meta file is there, and binary batches have the official size (or the sizes
    /// recorded by the install that wrote them); else what is wrong, naming the file and its size.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">With <paramref name="throwIfUnreadable"/>: the folder cannot be read
    /// (not "incomplete": it may well be complete).</exception>
    private static string? WhyNotInstalled(Cifar10Folder folder, bool throwIfUnreadable = false)
    {
        try
        {
            folder.CheckComplete();
        }
        catch (Exception e) when (e is IOException or InvalidDataException
                                  || (e is UnauthorizedAccessException && !throwIfUnreadable))
        {
            return e.Message.TrimEnd('.');
        }
        if (!File.Exists(folder.MetaFile)) return $"{Path.GetFileName(folder.MetaFile)} is missing";
        if (folder.Format == Cifar10Format.Python) return null;
        if (InstallRecord.TryCompare(folder, out string? mismatch)) return mismatch;
        return folder.BatchFiles.FirstOrDefault(f => ResolvedFile.Length(f) != OfficialBatchSize) is string odd
            ? $"{Path.GetFileName(odd)} is {Cifar10Batch.N(ResolvedFile.Length(odd))} bytes; " +
              $"an official batch is {Cifar10Batch.N(OfficialBatchSize)} bytes (10,000 records)"
            : null;
    }

    /// <summary>
    /// The source as an http(s) URL or a local archive path, checked before anything is written: another scheme
    /// (ftp:, s3:, …) would otherwise be taken for a relative path, and a folder for a missing file.
    /// </summary>
    /// <exception cref="ArgumentException">An unsupported scheme, or a folder.</exception>
    private static (Uri? Url, string? LocalArchive) ParseSource(string source, string dir)
    {
        Uri.TryCreate(source, UriKind.Absolute, out var uri);
        if (uri is { Scheme: "http" or "https" }) return (uri, null);
        if (uri is not null && uri.Scheme != "file" && !LooksLikeDrivePath(source))
            throw new ArgumentException(
                $"The source {source} uses the {uri.Scheme}: scheme; CIFAR-10 is downloaded over http or https, or read " +
                "from a local archive (a path or a file:// URL). Download it with another tool and pass the file.", nameof(source));
        string archive = Path.GetFullPath(uri is { IsFile: true } ? uri.LocalPath : source);
        if (Directory.Exists(archive))
            throw new ArgumentException(
                $"The source {archive} is a folder; expected an archive file such as {ArchiveFileName} (or an http(s) URL). " +
                $"An already extracted data set is used where it is: put its {Cifar10Folder.BinaryFolderName} folder in " +
                $"{dir} (or pass its parent folder as the data folder).", nameof(source));
        return (null, archive);
    }

    /// <summary>A Windows path such as C:\data\x.tar.gz, which parses as a URI with the scheme "c".</summary>
    private static bool LooksLikeDrivePath(string source) =>
        source.Length >= 3 && char.IsAsciiLetter(source[0]) && source[1] == ':' && source[2] is '\\' or '/';

    private static string? NormalizeMd5(string? md5)
    {
        if (md5 is null) return null;
        string hex = md5.Trim().ToLowerInvariant();
        if (hex.Length != 32 || !hex.All(char.IsAsciiHexDigit))
            throw new ArgumentException($"md5 '{md5}' is not an MD5 checksum; expected 32 hex digits.", nameof(md5));
        return hex;
    }

    /// <summary>Creates the data folder and checks that a file can be written there, before any download.</summary>
    private static void PrepareDataFolder(string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
            string probe = Path.Combine(dir, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException(
                $"The data folder {dir} cannot be written ({e.Message}). Choose a folder you can write to " +
                "(get-data --data-dir DIR, or the dataDir argument of Cifar10.EnsureDownloaded).", e);
        }
    }

    /// <summary>Checks MD5 (and the official size when no MD5 is given); a failed download is deleted, a user's file kept.</summary>
    private static void VerifyOrDelete(string archive, string? expectedMd5, string dir, bool deleteOnMismatch)
    {
        long size = ResolvedFile.Length(archive);
        string actual;
        using (var stream = File.OpenRead(archive)) actual = Convert.ToHexStringLower(MD5.HashData(stream));
        string expected = expectedMd5 ?? OfficialMd5;
        bool sizeOk = expectedMd5 is not null || size == OfficialSize;
        if (actual == expected && sizeOk) return;

        if (deleteOnMismatch) File.Delete(archive);
        string what = expectedMd5 is null
            ? $"checksum mismatch: {archive} is {Cifar10Batch.N(size)} bytes with MD5 {actual}, but the official archive is " +
              $"{Cifar10Batch.N(OfficialSize)} bytes with MD5 {OfficialMd5}"
            : $"checksum mismatch: {archive} has MD5 {actual}, expected {expected}";
        what += deleteOnMismatch ? " (the download was deleted)"
            : expectedMd5 is null ? $" (the file is left alone; if it is a different archive on purpose, pass --md5 {actual})"
            : " (the file is left alone)";
        throw new InvalidDataException(CannotGet(dir, what));
    }

    /// <summary>The error text for a failed acquisition: what failed, and the three ways on.</summary>
    private static string CannotGet(string dir, string what) =>
        $"Could not get CIFAR-10 into {dir}: {what.TrimEnd('.')}.\n" +
        "Ways on:\n" +
        $"  1. Download {OfficialUrl} ({Cifar10Batch.N(OfficialSize)} bytes) yourself and put it at " +
        $"{Path.Combine(dir, ArchiveFileName)}, then run this again.\n" +
        $"  2. Use a mirror or a local archive: get-data --from URL_OR_FILE (Cifar10.EnsureDownloaded(dataDir, source: ...)) " +
        $"or the {SourceVariable} environment variable; add --md5 HEX (md5: ...) if it is not the official archive.\n" +
        "  3. Work offline with the synthetic stand-in in the same layout: run the notebook with " +
        "`dotnet run --project lib/DaseCV.Runner -- run notebooks/softmax.ipynb -p dataset=synthetic` " +
        "(in VS Code: set dataset = \"synthetic\" in the parameters cell), or write it yourself with " +
        "Cifar10.WriteSynthetic(dataDir, recordsPerTrainBatch: 10000, testRecords: 10000, seed: 0).";
}
