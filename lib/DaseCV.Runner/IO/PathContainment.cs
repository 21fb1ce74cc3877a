namespace DaseCV.Runner.IO;

/// <summary>Whether one path lies in a folder, by their full paths (no file system access, links not followed).</summary>
internal static class PathContainment
{
    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> itself or anything below it.</summary>
    public static bool IsSameOrInside(string folder, string path)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}
