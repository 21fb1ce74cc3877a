namespace DaseCV.Runner.IO;

/// <summary>
/// An output file could not be written (full disk, lost permission, a vanished folder). The old file, if any, is
/// untouched and no partial file is left. Reported without a stack trace; exit code <see cref="IO.ExitCode.WriteFailed"/>.
/// </summary>
/// <param name="path">The file, as given.</param>
/// <param name="reason">Why, e.g. "No space left on device".</param>
/// <param name="inner">The failure.</param>
internal sealed class OutputWriteException(string path, string reason, Exception inner)
    : IOException($"could not write {path}: {reason}", inner)
{
    /// <summary>The exit code for a run or export whose output could not be written (kept for ExportCommand's use).</summary>
    public const int ExitCode = IO.ExitCode.WriteFailed;

    /// <summary>The file that could not be written, as given.</summary>
    public string Path { get; } = path;
}
