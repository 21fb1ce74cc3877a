namespace DaseCV.Runner.IO;

/// <summary>Bad command-line input or an unusable notebook; reported without a stack trace, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
