using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace DaseCV.Grader;

/// <summary>Limits for one harness process and everything it starts.</summary>
/// <param name="Time">Wall-clock limit for the whole check.</param>
/// <param name="MemoryBytes">Resident memory of the process tree (and the GC heap limit).</param>
/// <param name="OutputBytes">What the student's code may print (stderr), before it is stopped.</param>
/// <param name="Processes">Processes in the tree at once.</param>
internal sealed record Limits(TimeSpan Time, long MemoryBytes, long OutputBytes, int Processes = 16);

/// <summary>
/// How harness processes are isolated. <c>bubblewrap</c>: new user, PID, mount, network, IPC, UTS and cgroup
/// namespaces; the only files visible are the .NET runtime, the system's shared libraries and the check folder
/// (the harness and the student's DaseCV.dll), all read-only, plus a private /tmp; as root, bwrap itself runs as
/// the unprivileged user nobody. When the harness's init process ends, the kernel kills everything left in its PID
/// namespace. Where bwrap cannot work (a container without user namespaces) but the grader is root: the harness
/// runs as an unused uid of its own, so it can write nothing of the grader's, and every process of that uid is
/// killed after each check; files readable by everyone stay readable (the Gradescope bundle's setup.sh makes its
/// sources root-only). Otherwise <c>none</c>: a plain process in the check folder. The results say which.
/// </summary>
internal sealed class Sandbox
{
    private const int Nobody = 65534;
    private readonly Mode _mode;
    private readonly string _bwrap;
    private readonly int _uid;

    private enum Mode { Bubblewrap, BubblewrapAsNobody, OwnUser, None }

    private Sandbox(Mode mode, string bwrap, int uid, string description)
    {
        _mode = mode;
        _bwrap = bwrap;
        _uid = uid;
        Description = description;
    }

    /// <summary>For results.json and the report: what isolated the student's code.</summary>
    public string Description { get; }

    /// <summary>True for bubblewrap: the student's code sees none of the grader's files and leaves no process.</summary>
    public bool IsIsolated => _mode is Mode.Bubblewrap or Mode.BubblewrapAsNobody;

    /// <summary>The harness build (the grader's build output records where it is).</summary>
    public static string HarnessDirectory { get; } =
        typeof(Sandbox).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "DaseCV.Grader.HarnessDirectory").Value!;

    public static string DotnetRoot { get; } = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));

    private const string Setpriv = "/usr/bin/setpriv";

    /// <summary>The strongest isolation that works here, tried on <paramref name="probeFolder"/>.</summary>
    public static Sandbox Detect(string probeFolder)
    {
        var asRoot = Geteuid() == 0;
        // DASECV_GRADE_SANDBOX=own-user or none: a weaker mode on purpose (to try what a container without bwrap gets).
        var forced = Environment.GetEnvironmentVariable("DASECV_GRADE_SANDBOX");
        var bwrap = forced is "own-user" or "none" ? null : new[] { "/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap" }.FirstOrDefault(File.Exists);
        string? bwrapProblem = forced is null ? "bubblewrap (bwrap) is not installed" : $"bubblewrap not used (DASECV_GRADE_SANDBOX={forced})";
        if (bwrap is not null && (!asRoot || File.Exists(Setpriv)))
        {
            var candidate = asRoot
                ? new Sandbox(Mode.BubblewrapAsNobody, bwrap, Nobody, "bubblewrap, as the unprivileged user nobody: no network, own PID/IPC/mount namespaces, read-only runtime and check folder")
                : new Sandbox(Mode.Bubblewrap, bwrap, -1, "bubblewrap: no network, own PID/IPC/mount namespaces, read-only runtime and check folder");
            if (candidate.Probe(probeFolder) is not { } problem)
                return candidate;
            bwrapProblem = $"bubblewrap does not work here ({problem})";
        }

        if (asRoot && File.Exists(Setpriv) && forced != "none")
        {
            // An unused uid per grader process, so that killing all its processes touches no other grading.
            var uid = 61000 + Random.Shared.Next(4000);
            var own = new Sandbox(Mode.OwnUser, "", uid, $"an unprivileged user (uid {uid}) without namespaces: {bwrapProblem}; the code could read files readable by everyone and use the network");
            if (own.Probe(probeFolder) is null)
                return own;
        }

        return new Sandbox(Mode.None, "", -1, $"none: {bwrapProblem}; the student's code ran without isolation");
    }

    /// <summary>After each check: in the own-user mode, every process of that uid is killed (bubblewrap's PID namespace does it itself).</summary>
    public void KillLeftovers()
    {
        if (_mode != Mode.OwnUser)
            return;
        var kill = new ProcessStartInfo(Setpriv) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { $"--reuid={_uid}", $"--regid={_uid}", "--clear-groups", "--", "/bin/kill", "-9", "-1" })
            kill.ArgumentList.Add(a);
        using var process = Process.Start(kill);
        process?.WaitForExit(5000);
    }

    private string? Probe(string folder)
    {
        using var probe = Process.Start(StartInfo(folder, ["--list-runtimes"], runHarness: false))!;
        var output = probe.StandardOutput.ReadToEnd() + probe.StandardError.ReadToEnd();
        probe.WaitForExit();
        return probe.ExitCode == 0 ? null : Trim(output);
    }

    /// <summary>The start info for the harness in <paramref name="checkFolder"/>.</summary>
    public ProcessStartInfo StartInfo(string checkFolder, IReadOnlyList<string> arguments, bool runHarness = true, long gcHeapLimit = 0)
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1",
            ["DOTNET_TieredPGO"] = "0",  // steadier timings for the speed check
            ["DOTNET_gcServer"] = "0",
            // Keep freed memory mapped: a student's fresh temporaries then cost no page faults, as in a long-running kernel.
            ["DOTNET_GCRetainVM"] = "1",
            ["DOTNET_GCgen0size"] = "0x8000000",
        };
        if (gcHeapLimit > 0)
            environment["DOTNET_GCHeapHardLimit"] = "0x" + gcHeapLimit.ToString("X");

        ProcessStartInfo start;
        if (_mode is Mode.None or Mode.OwnUser)
        {
            var dotnet = Path.Combine(DotnetRoot, "dotnet");
            start = new ProcessStartInfo(_mode == Mode.None ? dotnet : Setpriv) { WorkingDirectory = checkFolder };
            if (_mode == Mode.OwnUser)
                foreach (var a in new[] { $"--reuid={_uid}", $"--regid={_uid}", "--clear-groups", "--", dotnet })
                    start.ArgumentList.Add(a);
            if (runHarness)
                start.ArgumentList.Add(Path.Combine(checkFolder, "DaseCV.Grader.Harness.dll"));
            foreach (var a in arguments)
                start.ArgumentList.Add(a);
            start.Environment.Clear();
            foreach (var (k, v) in environment.Append(new("DOTNET_ROOT", DotnetRoot)).Append(new("HOME", checkFolder)))
                start.Environment[k] = v;
        }
        else
        {
            var args = new List<string>();
            string program;
            if (_mode == Mode.BubblewrapAsNobody)
            {
                // bwrap itself as nobody: the student's processes hold no privilege outside their namespaces.
                program = Setpriv;
                args.AddRange([$"--reuid={_uid}", $"--regid={_uid}", "--clear-groups", "--", _bwrap]);
            }
            else
                program = _bwrap;

            args.AddRange(["--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]);
            foreach (var system in new[] { "/usr/lib", "/usr/lib64" }.Where(Directory.Exists))
                args.AddRange(["--ro-bind", system, system]);
            args.AddRange(["--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64"]);
            args.AddRange(["--ro-bind", Path.Combine(DotnetRoot, "dotnet"), "/opt/dotnet/dotnet"]);
            args.AddRange(["--ro-bind", Path.Combine(DotnetRoot, "host"), "/opt/dotnet/host"]);
            args.AddRange(["--ro-bind", Path.Combine(DotnetRoot, "shared", "Microsoft.NETCore.App"), "/opt/dotnet/shared/Microsoft.NETCore.App"]);
            args.AddRange(["--ro-bind", checkFolder, "/check"]);
            args.AddRange(["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--chdir", "/tmp", "--clearenv"]);
            foreach (var (k, v) in environment.Append(new("DOTNET_ROOT", "/opt/dotnet")).Append(new("HOME", "/tmp")))
                args.AddRange(["--setenv", k, v]);
            args.Add("/opt/dotnet/dotnet");
            if (runHarness)
                args.Add("/check/DaseCV.Grader.Harness.dll");
            args.AddRange(arguments);
            start = new ProcessStartInfo(program);
            foreach (var a in args)
                start.ArgumentList.Add(a);
            start.Environment.Clear();
            start.Environment["PATH"] = "/usr/bin:/bin";
            start.WorkingDirectory = "/";
        }

        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.StandardErrorEncoding = Encoding.UTF8;
        return start;
    }

    /// <summary>
    /// A fresh folder holding the harness build without the instructor's DaseCV, and the student's DaseCV.dll:
    /// all the sandbox sees. Readable by nobody, writable by no one else.
    /// </summary>
    public static string PrepareCheckFolder(string parent, string studentDll)
    {
        var folder = Path.Combine(parent, "dasecv-check-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)));
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(HarnessDirectory))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith("DaseCV.", StringComparison.Ordinal) && !name.StartsWith("DaseCV.Grader.Harness", StringComparison.Ordinal)
                && name is not ("DaseCV.LinearAlgebra.dll" or "DaseCV.Datasets.dll"))
                continue;  // the instructor's DaseCV.dll/.pdb/.xml: the student's takes its place
            File.Copy(file, Path.Combine(folder, name));
        }

        File.Copy(studentDll, Path.Combine(folder, "DaseCV.dll"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            foreach (var file in Directory.EnumerateFiles(folder))
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        return folder;
    }

    private static string Trim(string text)
    {
        text = text.Trim().ReplaceLineEndings(" ");
        return text.Length > 200 ? text[..200] + "…" : text;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint Geteuid();
}
