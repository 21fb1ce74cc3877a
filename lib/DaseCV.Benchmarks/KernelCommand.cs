using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DaseCV.Runner.IO;

namespace DaseCV.Benchmarks;

/// <summary>
/// <c>kernel</c>: the student's port timed inside the real .NET Interactive kernel, started as VS Code starts it
/// (<c>dotnet tool run dotnet-interactive -- [vscode] stdio --working-dir notebooks</c>, JSON lines on stdin/stdout),
/// once with VS Code's own environment and once with this repository's <c>.vscode/settings.json</c>
/// (<c>polyglot-notebook.kernelEnvironmentVariables</c>), beside numpy in the same run. The kernel is the process a
/// student's notebook runs in; its runtime settings are the tool's (server GC), not this repository's.
/// </summary>
internal static class KernelCommand
{
    private const string EnvironmentSetting = "polyglot-notebook.kernelEnvironmentVariables";

    public static int Run(NumpyReference numpy, int rounds, int iters)
    {
        Report.Header();
        string root = RepositoryRoot.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("run the kernel benchmark from the repository (DaseCV.slnx not found above the binaries)");
        var workspace = WorkspaceKernelEnvironment(root);
        var environments = new (string Name, IReadOnlyDictionary<string, string> Variables)[]
        {
            ("VS Code's defaults", new Dictionary<string, string>()),
            (".vscode/settings.json (" + string.Join(", ", workspace.Select(kv => $"{kv.Key}={kv.Value}")) + ")", workspace),
        };
        var rows = new List<Report.Row>();
        for (int r = 0; r < rounds; r++)
        {
            double npDev = numpy.Run("dev", "--naive", "0").GetProperty("vectorized").GetProperty("median").GetDouble();
            double npStep = numpy.Run("train", "--iters", iters.ToString(CultureInfo.InvariantCulture)).GetProperty("train_total_s").GetDouble() / iters;
            foreach (var (name, variables) in environments)
            {
                var m = MeasureInKernel(root, variables, iters);
                string gc = $"round {r + 1}; server GC {m.GetProperty("serverGC").GetBoolean()}, LOH threshold {m.GetProperty("lohThreshold").GetInt64()} B";
                Console.WriteLine($"kernel with {name}: {m.GetProperty("machine").GetString()}; provider {m.GetProperty("provider").GetString()}; Transpose() of pixel minibatches through the override: {m.GetProperty("pixelTransposeFast").GetBoolean()}");
                rows.Add(Report.Add($"kernel, {name}: student dev loss (median of 200)", m.GetProperty("dev").GetDouble(), npDev, gc, target: 1.0));
                rows.Add(Report.Add($"kernel, {name}: student SGD step (mean of {iters})", m.GetProperty("step").GetDouble(), npStep,
                    $"{gc}; gen-2 GCs per 1000 steps {m.GetProperty("gen2PerThousand").GetDouble():0.0}, GC pauses {Report.Ms(m.GetProperty("gcPausePerStep").GetDouble())} a step; first 100 steps {Report.Ms(m.GetProperty("first100").GetDouble())} each",
                    target: 0.5));
                rows.Add(Report.Add($"kernel, {name}: X.Transpose() * dScores step ÷ TransposeThisAndMultiply step (C# ÷ C#)",
                    m.GetProperty("stepTranspose").GetDouble(), m.GetProperty("step").GetDouble(),
                    $"{gc}; gen-2 per 1000 {m.GetProperty("gen2PerThousandTranspose").GetDouble():0.0}", target: 1.2));
            }
        }
        return Report.Table(rows);
    }

    /// <summary>The variables the workspace gives the kernel; empty when the setting is absent.</summary>
    private static Dictionary<string, string> WorkspaceKernelEnvironment(string root)
    {
        string path = Path.Combine(root, ".vscode", "settings.json");
        var variables = new Dictionary<string, string>();
        if (!File.Exists(path)) return variables;
        using var settings = JsonDocument.Parse(File.ReadAllText(path),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (settings.RootElement.TryGetProperty(EnvironmentSetting, out var env))
            foreach (var variable in env.EnumerateObject()) variables[variable.Name] = variable.Value.GetString() ?? "";
        return variables;
    }

    /// <summary>Starts a kernel, runs <see cref="InKernelWorkload.Measure"/> in it as one cell, and stops it.</summary>
    private static JsonElement MeasureInKernel(string root, IReadOnlyDictionary<string, string> variables, int iters)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,  // where the tool manifest pins the kernel's version
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "tool", "run", "dotnet-interactive", "--", "[vscode]", "stdio", "--working-dir", Path.Combine(root, "notebooks") })
            start.ArgumentList.Add(arg);
        // This process's own runtime settings must not leak into the kernel; VS Code's variables plus the workspace's do.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in variables) start.Environment[name] = value;
        using var kernel = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet-interactive");
        kernel.ErrorDataReceived += (_, _) => { };
        kernel.BeginErrorReadLine();
        try
        {
            string dll = typeof(InKernelWorkload).Assembly.Location;
            string code = $"#r \"{dll}\"\nConsole.WriteLine(\"JSON \" + DaseCV.Benchmarks.InKernelWorkload.Measure({iters}));";
            var envelope = new { token = "bench", commandType = "SubmitCode", command = new { code, targetKernelName = "csharp" } };
            kernel.StandardInput.WriteLine(JsonSerializer.Serialize(envelope));
            kernel.StandardInput.Flush();
            var output = new System.Text.StringBuilder();
            var reading = Task.Run(() =>
            {
                while (kernel.StandardOutput.ReadLine() is string line)
                {
                    using var message = JsonDocument.Parse(line);
                    var m = message.RootElement;
                    string type = m.TryGetProperty("eventType", out var t) ? t.GetString() ?? "" : "";
                    bool ours = m.TryGetProperty("command", out var c) && c.ValueKind == JsonValueKind.Object && c.TryGetProperty("token", out var tok) && tok.GetString() == "bench";
                    if (!ours) continue;
                    if (type == "StandardOutputValueProduced")
                        foreach (var value in m.GetProperty("event").GetProperty("formattedValues").EnumerateArray())
                            output.Append(value.GetProperty("value").GetString());
                    if (type == "CommandFailed")
                        throw new InvalidOperationException("the kernel cell failed: " + m.GetProperty("event").GetProperty("message").GetString());
                    if (type == "CommandSucceeded") return;
                }
                throw new InvalidOperationException("the kernel exited before the cell finished");
            });
            if (!reading.Wait(TimeSpan.FromMinutes(10))) throw new TimeoutException("the kernel cell took over 10 minutes");
            string json = output.ToString().Split('\n').LastOrDefault(l => l.StartsWith("JSON ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException("the kernel cell printed no JSON line:\n" + output);
            return JsonDocument.Parse(json[5..]).RootElement.Clone();
        }
        finally
        {
            // The kernel does not exit when its stdin closes (it spins), so it is stopped with its children.
            kernel.Kill(entireProcessTree: true);
            kernel.WaitForExit();
        }
    }
}
