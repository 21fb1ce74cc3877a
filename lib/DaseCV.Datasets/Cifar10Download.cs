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
    /// batch files of 30,730,000 bytes and <c>batches.meta.txt</c>, or a complete <c>cifar-10-batches-py/</c>.
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
    /// The archive's MD5 (and, for the official one, its size) is checked before anything is extracted; extraction writes
    /// only the expected files into a temporary folder renamed into place when complete.
    /// </remarks>
    /// <param name="dataDir">The data folder (created if needed).</param>
    /// <param name="source">A URL (http or https) or a local archive file; null for the default.</param>
    /// <param name="md5">Expected MD5 (32 hex digits) of another archive than the official one; its size is then not checked.</param>
    /// <param name="progress">Receives download progress a few times a second.</param>
    /// <param name="cancellationToken">Stops the download; the partial file is kept for the next run.</param>
    /// <returns>The path of <c>cifar-10-batches-bin</c> (or <c>cifar-10-batches-py</c> if that is what the folder holds).</returns>
    /// <exception cref="ArgumentException">The md5 is not 32 hex digits.</exception>
    /// <exception cref="IOException">The folder cannot be written, or the download failed; the message says what to do.</exception>
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
        if (FindInstalled(dir) is string installed) return installed;

        string? expectedMd5 = NormalizeMd5(md5);
        if (string.IsNullOrWhiteSpace(source)) source = DefaultSource;
        PrepareDataFolder(dir);

        string binFolder = Path.Combine(dir, Cifar10Folder.BinaryFolderName);
        if (Directory.Exists(binFolder))
            throw new IOException(
                $"{binFolder} exists but is not the complete official data set (six batch files of 30,730,000 bytes and " +
                "batches.meta.txt); it is left alone. Delete or rename it, then run again.");

        string archive;
        bool downloaded = false;
        if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            archive = Path.Combine(dir, ArchiveFileName);
            if (!File.Exists(archive))
            {
                string partial = archive + ".partial";
                try
                {
                    new ArchiveDownload(uri, partial, expectedMd5 is null ? OfficialSize : null, options, progress).Run(cancellationToken);
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
            archive = Path.GetFullPath(uri is { IsFile: true } ? uri.LocalPath : source);
            if (!File.Exists(archive))
                throw new FileNotFoundException(CannotGet(dir, $"the archive {archive} does not exist"), archive);
            VerifyOrDelete(archive, expectedMd5, dir, deleteOnMismatch: false);
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
        if (bin.BatchFiles.All(f => File.Exists(f) && new FileInfo(f).Length == OfficialBatchSize) && File.Exists(bin.MetaFile))
            return bin.Path;
        var py = Cifar10Folder.At(Path.Combine(dir, Cifar10Folder.PythonFolderName), Cifar10Format.Python);
        if (py.BatchFiles.All(f => File.Exists(f) && new FileInfo(f).Length > 0) && File.Exists(py.MetaFile))
            return py.Path;
        return null;
    }

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
        long size = new FileInfo(archive).Length;
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
        $"Could not get CIFAR-10 into {dir}: {what}.\n" +
        "Ways on:\n" +
        $"  1. Download {OfficialUrl} ({Cifar10Batch.N(OfficialSize)} bytes) yourself and put it at " +
        $"{Path.Combine(dir, ArchiveFileName)}, then run this again.\n" +
        $"  2. Use a mirror or a local archive: get-data --from URL_OR_FILE (Cifar10.EnsureDownloaded(dataDir, source: ...)) " +
        $"or the {SourceVariable} environment variable; add --md5 HEX (md5: ...) if it is not the official archive.\n" +
        "  3. Work offline with the synthetic data set in the same layout: Cifar10.WriteSynthetic(dataDir, " +
        "recordsPerTrainBatch: 10000, testRecords: 10000, seed: 0).";
}
