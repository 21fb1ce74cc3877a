using System.Diagnostics;
using System.Globalization;

namespace DaseCV.Data;

/// <summary>
/// Temporary folders that are renamed into place when complete, named <c>{prefix}{pid}-{guid}</c> so that one left by
/// a killed process (kill -9, a power cut: no <c>finally</c> runs) is recognisable and removed by the next run.
/// </summary>
/// <remarks>
/// A folder is stale when no process with its PID is running. A live PID is never touched, even if it was reused by
/// another program: keeping a dead folder a little longer is safe, removing a live one is not. Folders named by
/// earlier versions (<c>{prefix}{guid}</c>, no PID) are removed once they are a day old; an extraction takes seconds.
/// </remarks>
internal static class StagingFolder
{
    private static readonly TimeSpan LegacyAge = TimeSpan.FromDays(1);

    /// <summary>Creates <c>parent/{prefix}{pid}-{guid}</c> and returns its path.</summary>
    public static string Create(string parent, string prefix)
    {
        string path = Path.Combine(parent, $"{prefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// Removes the folders <c>parent/{prefix}*</c> whose process is no longer running; returns their paths. Folders
    /// that cannot be removed are left for a later run: cleaning up must never stop the work that follows.
    /// </summary>
    public static IReadOnlyList<string> RemoveStale(string parent, string prefix)
    {
        var removed = new List<string>();
        if (!Directory.Exists(parent)) return removed;
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.GetDirectories(parent, prefix + "*");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return removed;
        }
        foreach (var folder in candidates)
        {
            if (!IsStale(folder, Path.GetFileName(folder)[prefix.Length..])) continue;
            try
            {
                Directory.Delete(folder, recursive: true);
                removed.Add(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Someone else removed it first, or it is not ours to remove.
            }
        }
        return removed;
    }

    /// <summary>Stale: its PID names no running process, or (no PID in the name) it is older than a day.</summary>
    private static bool IsStale(string folder, string suffix)
    {
        int dash = suffix.IndexOf('-');
        if (dash > 0 && int.TryParse(suffix[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            && Guid.TryParseExact(suffix[(dash + 1)..], "N", out _))
            return pid != Environment.ProcessId && !IsRunning(pid);
        if (Guid.TryParseExact(suffix, "N", out _))
            return DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) > LegacyAge;
        return false;  // not a name this code writes: leave it alone
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;  // no such process
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return true;  // cannot tell: assume alive
        }
    }
}
