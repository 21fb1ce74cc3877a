using System.Diagnostics;
using System.Text.Json;

namespace DaseCV.Benchmarks;

/// <summary>Runs a command of this benchmark program in a new process (a fresh runtime: JIT, GC heap and all) and reads its JSON line.</summary>
internal static class FreshProcess
{
    /// <summary>Runs <c>DaseCV.Benchmarks COMMAND args…</c> in a new process and returns the object of its last <c>JSON {…}</c> line.</summary>
    public static JsonElement Run(string command, params string[] args)
    {
        string self = typeof(FreshProcess).Assembly.Location;
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet");
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet") start.ArgumentList.Add(self);
        start.ArgumentList.Add(command);
        foreach (var a in args) start.ArgumentList.Add(a);
        // A fresh process stands for the notebook's kernel: the same runtime variables.
        DaseCV.Runner.Execution.KernelRuntimeVariables.AddTo(start.Environment);
        return JsonLine(start);
    }

    /// <summary>Runs <paramref name="start"/> (a worker of ours, or a numpy script) and returns the object of its last <c>JSON {…}</c> line.</summary>
    public static JsonElement JsonLine(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        var what = $"{start.FileName} {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{what} exited with {process.ExitCode}:\n{output}");
        string json = output.Split('\n').LastOrDefault(l => l.StartsWith("JSON ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{what} printed no JSON line:\n{output}");
        return JsonDocument.Parse(json[5..]).RootElement.Clone();
    }

    /// <summary>Prints the JSON line a worker hands back.</summary>
    public static void Reply(object result) => Console.WriteLine("JSON " + JsonSerializer.Serialize(result));

    /// <summary>This process's peak resident memory (VmHWM), in MiB; 0 where /proc is missing.</summary>
    public static double PeakRssMib()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
