namespace DaseCV.Runner.Html;

/// <summary>
/// Images a markdown cell names by a relative path, embedded as data: URIs. A notebook is untrusted, so a file is
/// read only when its real path (every symbolic link on the way resolved, folders included) lies inside the real
/// notebook folder, and only when its bytes are a PNG, JPEG or GIF.
/// </summary>
internal static class LocalImages
{
    // Deeper than any sane link chain; a loop of links ends here instead of recursing forever.
    private const int MaxLinks = 40;

    /// <summary>The data: URI of <paramref name="relativeUrl"/> under <paramref name="notebookFolder"/>, or null.</summary>
    public static string? DataUri(string relativeUrl, string notebookFolder)
    {
        try
        {
            var folder = RealPath(Path.GetFullPath(notebookFolder));
            var file = RealPath(Path.GetFullPath(Path.Combine(notebookFolder, Uri.UnescapeDataString(relativeUrl))));
            if (folder is null || file is null || !IsInside(file, folder) || !File.Exists(file))
                return null;
            var bytes = File.ReadAllBytes(file);
            return Sniff(bytes) is { } type ? $"data:{type};base64,{Convert.ToBase64String(bytes)}" : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// <paramref name="path"/> (absolute, normalised) with every link resolved, component by component, as the
    /// system's realpath does; null when links loop. Components that do not exist stay as written.
    /// </summary>
    internal static string? RealPath(string path, int links = 0)
    {
        var root = Path.GetPathRoot(path)!;
        var current = root;
        foreach (var part in path[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                    return null;
                // A relative target is relative to the link's folder, and may itself pass through links.
                next = RealPath(Path.GetFullPath(target, current), links);
                if (next is null)
                    return null;
            }

            current = next;
        }

        return current;
    }

    private static bool IsInside(string path, string folder) =>
        path.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    // The file's own signature decides, not its name.
    private static string? Sniff(byte[] bytes) => bytes switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', ..] => "image/gif",
        _ => null,
    };
}
