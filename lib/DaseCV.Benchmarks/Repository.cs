namespace DaseCV.Benchmarks;

/// <summary>Where the repository is, for commands that run its notebook or the numpy script beside it.</summary>
internal static class Repository
{
    /// <summary>The folder holding DaseCV.slnx above the binaries, or null when run from elsewhere.</summary>
    public static string? Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DaseCV.slnx"))) return dir.FullName;
        return null;
    }
}
