namespace DaseCV.Tests.StudentParts;

/// <summary>
/// Calls code a student completes. In the handout those functions are stubs that throw NotImplementedException;
/// the test is then reported as skipped with the stub's message, which names function and file
/// (<c>dotnet test lib/DaseCV.Tests</c> shows it).
/// </summary>
internal static class StudentCode
{
    /// <param name="call">The student's code.</param>
    /// <param name="because">Why a test needs this part when it tests another (shown before the stub's message).</param>
    public static T Run<T>(Func<T> call, string? because = null)
    {
        try
        {
            return call();
        }
        catch (NotImplementedException e)
        {
            var message = e.Message.Contains("not implemented yet", StringComparison.Ordinal) ? e.Message : $"尚未完成 (not implemented yet): {e.Message}";
            throw new SkipException(because is null ? message : $"{because}: {message}");
        }
    }
}
