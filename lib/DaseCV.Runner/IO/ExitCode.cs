namespace DaseCV.Runner.IO;

/// <summary>The runner's exit codes, one list for every command (help, README and tests quote them).</summary>
internal static class ExitCode
{
    /// <summary>Everything succeeded.</summary>
    public const int Success = 0;

    /// <summary>The work failed: a notebook cell failed, timed out, called <c>Environment.Exit</c> or crashed the
    /// kernel process; get-data could not get the data.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments or input; nothing was run or written.</summary>
    public const int UsageError = 2;

    /// <summary>An output could not be written (e.g. a full disk); the earlier file is left whole.</summary>
    public const int WriteFailed = 3;

    /// <summary>The grading machine cannot grade (sandbox, kernel limits, the self-test of the instructor's solution), or
    /// failed for some submissions: the instructor's to fix, never a student's grade.</summary>
    public const int MachineFault = 4;

    /// <summary>A run stopped by a signal exits 128 + its number, as a shell reports it (130 SIGINT, 143 SIGTERM).</summary>
    public static int Signaled(int signal) => 128 + signal;
}
