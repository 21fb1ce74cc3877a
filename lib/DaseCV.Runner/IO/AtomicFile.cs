using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DaseCV.Runner.IO;

/// <summary>
/// Writes a file through a temporary sibling (<c>NAME.tmp-PID</c>) and a rename, so that the file on disk is
/// always either the old one or the complete new one: never a truncated file that looks valid.
/// </summary>
internal static partial class AtomicFile
{
    /// <summary>How old a dead process's temporary file must be before another run deletes it.</summary>
    private static readonly TimeSpan StaleAge = TimeSpan.FromMinutes(1);

    /// <summary>Age after which a temporary file is stale whatever its PID (a new process may have taken the PID).</summary>
    private static readonly TimeSpan AbandonedAge = TimeSpan.FromDays(1);

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no BOM), replacing the file only once it is complete.</summary>
    /// <exception cref="OutputWriteException">The file could not be written (full disk, no permission, ...).</exception>
    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), bufferSize: 1 << 16, leaveOpen: true);
            writer.Write(text);
        });

    /// <summary>Writes what <paramref name="write"/> puts in the stream, replacing the file only once it is complete.</summary>
    /// <exception cref="OutputWriteException">Writing, flushing or renaming failed; the old file is untouched and no
    /// temporary file is left.</exception>
    internal static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var temp = TempPath(full);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
                // On disk before the rename: after a power cut the new name must not point at missing data.
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            // .NET appends " : 'PATH'" naming the temporary file, which the user never asked for.
            throw new OutputWriteException(path, e.Message.Replace($" : '{temp}'", "", StringComparison.Ordinal), e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>The temporary sibling this process writes <paramref name="fullPath"/> through.</summary>
    internal static string TempPath(string fullPath) =>
        fullPath + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Deletes the temporary files that killed runs (<c>kill -9</c>, power cut) left in <paramref name="directory"/>:
    /// <c>*.ipynb.tmp-PID</c> and <c>*.html.tmp-PID</c> of a process that no longer runs, untouched for a minute
    /// (a live writer in another PID namespace finishes in milliseconds), or untouched for a day whatever the PID
    /// (which a new process may have reused). Returns the names deleted.
    /// </summary>
    public static IReadOnlyList<string> DeleteStaleTemps(string directory)
    {
        var deleted = new List<string>();
        if (!Directory.Exists(directory))
            return deleted;
        IEnumerable<string> files;
        try
        {
            files = Directory.EnumerateFiles(directory, "*.tmp-*").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return deleted; // the output check reports an unreadable folder
        }

        foreach (var file in files)
        {
            var match = TempName().Match(Path.GetFileName(file));
            if (!match.Success || !int.TryParse(match.Groups["pid"].Value, CultureInfo.InvariantCulture, out var pid))
                continue;
            var age = DateTime.UtcNow - File.GetLastWriteTimeUtc(file);
            var running = pid == Environment.ProcessId || IsRunning(pid);
            if (age < StaleAge || (running && age < AbandonedAge))
                continue;
            if (TryDelete(file))
                deleted.Add(Path.GetFileName(file));
        }

        return deleted;
    }

    /// <summary>Whether process <paramref name="pid"/> is running (on Linux: has a /proc entry).</summary>
    internal static bool IsRunning(int pid)
    {
        if (OperatingSystem.IsLinux())
            return Directory.Exists($"/proc/{pid}");
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"\.(ipynb|html)\.tmp-(?<pid>[0-9]{1,10})$")]
    private static partial Regex TempName();
}
