namespace DaseCV.Runner.IO;

/// <summary>
/// Checks output files before anything runs: the folder can be created and written, the file is not a folder,
/// and no output is one of the command's inputs (compared as files on disk, see <see cref="FileIdentity"/>).
/// A run that cannot save its results must stop before its first cell, not after its last.
/// </summary>
internal static class OutputTarget
{
    /// <summary>
    /// Checks each of <paramref name="outputs"/>, creates their folders and deletes the temporary files killed runs
    /// left there (see <see cref="AtomicFile.DeleteStaleTemps"/>); returns the names of those deleted.
    /// </summary>
    /// <param name="outputs">Files the command will write.</param>
    /// <param name="inputs">Files the command reads; none may be written.</param>
    /// <param name="option">How the user chose the location, for messages (e.g. <c>--out artifacts</c>).</param>
    /// <exception cref="UsageException">An output is an input, is a folder, or its folder cannot be made or written.</exception>
    public static IReadOnlyList<string> Check(IReadOnlyList<string> outputs, IEnumerable<string> inputs, string option)
    {
        var inputList = inputs.ToList();
        var folders = new List<string>();
        foreach (var output in outputs)
        {
            var full = Path.GetFullPath(output);
            foreach (var input in inputList)
                if (FileIdentity.AreSame(full, input))
                    throw new UsageException(
                        $"{option}: the output {full} is the input {input} (the same file on disk); " +
                        "writing it would destroy the input. Choose another output location.");

            if (Directory.Exists(full))
                throw new UsageException($"{option}: the output {full} is a folder; it must be a file path.");

            var folder = Path.GetDirectoryName(full)!;
            EnsureFolder(folder, option);
            if (!folders.Contains(folder))
                folders.Add(folder);
        }

        // Before the probe, which writes (and removes) this process's own temporary file name.
        var deleted = folders.SelectMany(AtomicFile.DeleteStaleTemps).ToList();
        foreach (var output in outputs)
        {
            var full = Path.GetFullPath(output);
            ProbeWritable(full, Path.GetDirectoryName(full)!, option);
        }

        return deleted;
    }

    private static void EnsureFolder(string folder, string option)
    {
        for (var dir = folder; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(dir))
                throw new UsageException($"{option}: {dir} is a file, so the output folder {folder} cannot be created there.");
            if (Directory.Exists(dir))
                break;
        }

        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option}: cannot create the output folder {folder}: {e.Message}");
        }
    }

    /// <summary>Creates and deletes the temporary file the real write will use, so the check tests the same access.</summary>
    private static void ProbeWritable(string full, string folder, string option)
    {
        var probe = AtomicFile.TempPath(full);
        try
        {
            using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None))
            {
            }

            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option}: cannot write in the output folder {folder}: {e.Message}");
        }
    }
}
