namespace DaseCV.Runner;

/// <summary>
/// An output file could not be written (full disk, lost permission, a vanished folder). The old file, if any, is
/// untouched and no partial file is left. Reported without a stack trace; exit code <see cref="ExitCode"/>.
/// </summary>
internal sealed class OutputWriteException(string path, Exception inner)
    : IOException($"could not write {path}: {inner.Message}", inner)
{
    /// <summary>The exit code for a run or export whose output could not be written.</summary>
    public const int ExitCode = 3;

    /// <summary>The file that could not be written, as given.</summary>
    public string Path { get; } = path;
}
