namespace DaseCV.Data;

/// <summary>
/// Facts about a file as its reader sees it: through any symbolic links. <see cref="FileInfo.Length"/> of a link is
/// the length of the link's own text (its target's path), so a linked batch file would look truncated.
/// </summary>
internal static class ResolvedFile
{
    /// <summary>The length in bytes of the file <paramref name="path"/> names, following symbolic links.</summary>
    /// <exception cref="FileNotFoundException">The file is missing, or is a link whose target is missing.</exception>
    public static long Length(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            // returnFinalTarget: a link to a link is measured at the end of the chain.
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            if (target is null || !target.Exists)
                throw new FileNotFoundException(
                    $"{path} is a symbolic link to {info.LinkTarget}, which does not exist.", path);
            info = new FileInfo(target.FullName);
        }
        if (!info.Exists) throw new FileNotFoundException($"{path} is missing.", path);
        return info.Length;
    }
}
