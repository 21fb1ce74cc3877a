using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>Limits for one check process.</summary>
/// <param name="Time">Wall-clock limit; the process tree is killed when it passes.</param>
/// <param name="MemoryBytes">GC heap limit (DOTNET_GCHeapHardLimit); the process is also killed when its resident memory passes it by 512 MB.</param>
/// <param name="OutputBytes">What the check may print, stdout and stderr together, before it is stopped.</param>
internal sealed record CheckLimits(TimeSpan Time, long MemoryBytes, long OutputBytes)
{
    public static CheckLimits Default { get; } = new(TimeSpan.FromSeconds(60), 2L << 30, 1L << 20);
}

/// <summary>What one check process ended with: the fraction of points and the message for the student.</summary>
internal sealed record CheckRun(double Fraction, string Message, TimeSpan Elapsed);

/// <summary>
/// Runs one check of the built grader (<c>DaseCV.Grader.dll run ID REFERENCE</c>) as a separate process, under a time,
/// memory and output limit, in an empty working folder. The result counts only when it arrives on stdout behind a
/// random nonce that the process read from stdin before any student code ran; anything else (exit, crash, kill,
/// silence) is zero points with the reason.
/// </summary>
internal static class CheckProcess
{
    private const int KeptOutputChars = 2000;

    public static async Task<CheckRun> RunAsync(string graderDll, string referenceDll, string checkId, CheckLimits limits)
    {
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var workingDirectory = Path.Combine(Path.GetTempPath(), "dasecv-check-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(workingDirectory);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in new[] { graderDll, "run", checkId, referenceDll })
            start.ArgumentList.Add(arg);
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + limits.MemoryBytes.ToString("X");
        start.Environment["DOTNET_TieredPGO"] = "0";  // steadier timings for the speed check
        start.Environment.Remove("DOTNET_HOST_PATH");

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = new OutputBudget(limits.OutputBytes, nonce);
        try
        {
            await process.StandardInput.WriteLineAsync(nonce);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process is already gone; the outcome below says why.
        }

        var stdout = output.PumpAsync(process.StandardOutput, isError: false);
        var stderr = output.PumpAsync(process.StandardError, isError: true);
        string? killedFor = null;
        while (!process.HasExited)
        {
            if (clock.Elapsed > limits.Time)
                killedFor = $"timed out: still running after {limits.Time.TotalSeconds:F0} s (an endless loop?)";
            else if (output.Exceeded)
                killedFor = $"printed more than {limits.OutputBytes / 1024} KB; stopped";
            else if (ResidentBytes(process) > limits.MemoryBytes + (512L << 20))
                killedFor = $"used more than {(limits.MemoryBytes >> 20) + 512} MB of memory; stopped";
            if (killedFor is not null)
            {
                Kill(process);
                break;
            }

            await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(100));
        }

        await process.WaitForExitAsync();
        // Grandchildren may hold the pipes open; don't wait for them beyond a moment.
        await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(2000));
        clock.Stop();
        TryDelete(workingDirectory);

        if (killedFor is not null)
            return new CheckRun(0, killedFor + output.Tail(), clock.Elapsed);
        if (output.Result is { } json)
        {
            var result = JsonSerializer.Deserialize<ResultLine>(json);
            if (result is not null && double.IsFinite(result.Fraction))
                return new CheckRun(Math.Clamp(result.Fraction, 0, 1), result.Message ?? "", clock.Elapsed);
        }

        return new CheckRun(0,
            $"the check process ended with exit code {process.ExitCode} before reporting a result (Environment.Exit, a crash or a stack overflow?)" + output.Tail(),
            clock.Elapsed);
    }

    private static long ResidentBytes(Process process)
    {
        try
        {
            process.Refresh();
            return process.WorkingSet64;
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed record ResultLine(double Fraction, string? Message);

    /// <summary>Reads both streams in blocks: counts every character, keeps the start of each, and spots the result line.</summary>
    private sealed class OutputBudget(long limit, string nonce)
    {
        private readonly object _gate = new();
        private readonly StringBuilder _kept = new();
        private long _total;

        public bool Exceeded => Interlocked.Read(ref _total) > limit;

        public string? Result { get; private set; }

        public async Task PumpAsync(StreamReader reader, bool isError)
        {
            var buffer = new char[8192];
            var line = new StringBuilder();
            int read;
            while ((read = await reader.ReadAsync(buffer)) > 0)
            {
                if (Interlocked.Add(ref _total, read) > limit)
                    continue;  // keep draining so the process never blocks on a full pipe before it is killed
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] != '\n')
                    {
                        if (line.Length < 65536)
                            line.Append(buffer[i]);
                        continue;
                    }

                    Take(line.ToString(), isError);
                    line.Clear();
                }
            }

            if (line.Length > 0)
                Take(line.ToString(), isError);
        }

        private void Take(string line, bool isError)
        {
            line = line.TrimEnd('\r');
            if (!isError && line.StartsWith(nonce + " ", StringComparison.Ordinal))
            {
                Result = line[(nonce.Length + 1)..];
                return;
            }

            lock (_gate)
            {
                if (_kept.Length < KeptOutputChars && line.Length > 0)
                    _kept.Append(isError ? "[stderr] " : "").Append(line.Length > 300 ? line[..300] + "…" : line).Append('\n');
            }
        }

        /// <summary>The start of what the check printed, for the student's report.</summary>
        public string Tail()
        {
            lock (_gate)
                return _kept.Length == 0 ? "" : "\nThe check printed:\n" + (_kept.Length > KeptOutputChars ? _kept.ToString(0, KeptOutputChars) + "…" : _kept.ToString());
        }
    }
}
