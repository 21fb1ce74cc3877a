using System.Diagnostics;
using System.Globalization;

namespace DaseCV.Benchmarks;

/// <summary>A command's wall time and the peak memory of its whole process tree (Linux /proc).</summary>
internal static class PeakMemory
{
    /// <summary>
    /// Runs <paramref name="start"/> to the end. Peak: the largest sum of the tree's resident memory (VmRSS) over
    /// samples every 200 ms, and at least any one process's own high-water mark (VmHWM, which catches a peak between
    /// samples). Shared pages count once per process, so the sum errs high.
    /// </summary>
    public static (int ExitCode, double Seconds, long PeakBytes) Run(ProcessStartInfo start)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var highWater = new Dictionary<int, long>();
        long peakSum = 0;
        while (!process.WaitForExit(200))
        {
            long sum = 0;
            foreach (var pid in ProcessTree(process.Id))
            {
                if (Status(pid, "VmHWM:") is long hwm)
                    highWater[pid] = Math.Max(highWater.GetValueOrDefault(pid), hwm);
                sum += Status(pid, "VmRSS:") ?? 0;
            }

            peakSum = Math.Max(peakSum, sum);
        }

        process.WaitForExit();
        foreach (var (pid, bytes) in highWater.OrderByDescending(p => p.Value).Take(4))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  process {pid}: peak RSS {bytes / 1048576.0:F0} MiB"));
        return (process.ExitCode, clock.Elapsed.TotalSeconds, Math.Max(peakSum, highWater.Values.DefaultIfEmpty(0).Max()));
    }

    /// <summary><paramref name="root"/> and every process below it (Linux /proc; just the root elsewhere).</summary>
    private static List<int> ProcessTree(int root)
    {
        var tree = new List<int> { root };
        if (!Directory.Exists("/proc"))
            return tree;
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }

        for (var i = 0; i < tree.Count; i++)
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        return tree;
    }

    /// <summary>A memory line of /proc/PID/status (<c>VmHWM:</c>, <c>VmRSS:</c>) in bytes; null when unreadable.</summary>
    private static long? Status(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
