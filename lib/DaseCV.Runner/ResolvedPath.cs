namespace DaseCV.Runner;

/// <summary>Paths compared as files, not strings: two spellings of one file (through symbolic links) are equal.</summary>
internal static class ResolvedPath
{
    /// <summary>The full path with every symbolic link along it resolved; parts that do not exist yet are kept.</summary>
    public static string Of(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var resolved = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(resolved, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            resolved = info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target
                ? Path.GetFullPath(target.FullName)
                : next;
        }

        return resolved;
    }

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> name the same file.</summary>
    public static bool Same(string a, string b) => string.Equals(Of(a), Of(b), OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
}
