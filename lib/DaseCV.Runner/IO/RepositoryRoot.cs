namespace DaseCV.Runner.IO;

/// <summary>The course repository a command runs in: the nearest folder at or above a start that holds DaseCV.slnx.</summary>
internal static class RepositoryRoot
{
    /// <summary>The file that marks the repository's root (in a clone and in the student release alike).</summary>
    public const string Marker = "DaseCV.slnx";

    /// <summary>The repository root at or above <paramref name="start"/>, or null outside the repository.</summary>
    public static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, Marker)))
                return dir.FullName;
        return null;
    }
}
