using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace DaseCV.Grader;

/// <summary>One sandboxed process: a .NET program from a folder bound read-only at /check.</summary>
/// <param name="Folder">The host folder with the program and its dependencies.</param>
/// <param name="Program">The program's DLL in <paramref name="Folder"/>.</param>
/// <param name="Arguments">Its arguments, as seen inside.</param>
/// <param name="Binds">Further host folders bound read-only, host path to the path inside.</param>
/// <param name="Limits">The limits.</param>
/// <param name="CpuSeconds">The CPU-time limit of each process (RLIMIT_CPU, inherited).</param>
/// <param name="OpenSsl">Also bind OpenSSL, which .NET loads at run time for hashing (Roslyn hashes every source).</param>
internal sealed record SandboxRun(string Folder, string Program, IReadOnlyList<string> Arguments, IReadOnlyList<(string Host, string Inside)> Binds,
    Limits Limits, int CpuSeconds, bool OpenSsl = false);

/// <summary>
/// How sandboxed processes are isolated. <c>bubblewrap</c>: new user, PID, mount, network, IPC, UTS and cgroup
/// namespaces; the only files visible are the .NET runtime, the shared libraries it links (found with ldd) and the
/// folders of the run, all read-only, plus a private /tmp of bounded size; as root, bwrap itself runs as the
/// unprivileged user nobody. When the process's init ends, the kernel kills everything left in its PID namespace.
/// Where bwrap cannot work (a container without user namespaces) but the grader is root: an unused uid of its own,
/// every process of that uid killed after each run. Otherwise <c>none</c>. Independently, each run joins a cgroup of
/// its own with memory and task limits before its first instruction (<see cref="Cgroups"/>), and has RLIMIT_CPU.
/// </summary>
internal sealed class Sandbox
{
    private static readonly string[] BwrapPaths = ["/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap"];

    private const int Nobody = 65534;
    private const string Setpriv = "/usr/bin/setpriv";
    private readonly Mode _mode;
    private readonly string _bwrap;
    private readonly int _uid;

    private enum Mode { Bubblewrap, BubblewrapAsNobody, OwnUser, None }

    private Sandbox(Mode mode, string bwrap, int uid, string description, Cgroups cgroups)
    {
        _mode = mode;
        _bwrap = bwrap;
        _uid = uid;
        Description = description;
        Cgroups = cgroups;
    }

    /// <summary>For results.json and the report: what isolated the student's code.</summary>
    public string Description { get; }

    /// <summary>The kernel's limits that each run gets.</summary>
    public Cgroups Cgroups { get; }

    /// <summary>True for bubblewrap: the student's code sees none of the grader's files and leaves no process.</summary>
    public bool IsIsolated => _mode is Mode.Bubblewrap or Mode.BubblewrapAsNobody;

    /// <summary>The harness build (the grader's build output records where it is).</summary>
    public static string HarnessDirectory { get; } = BuildMetadata("DaseCV.Grader.HarnessDirectory");

    /// <summary>The compiler build.</summary>
    public static string CompilerDirectory { get; } = BuildMetadata("DaseCV.Grader.CompilerDirectory");

    public static string DotnetRoot { get; } = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));

    /// <summary>The strongest isolation that works here, tried on <paramref name="probeFolder"/> (a folder like the runs' own).</summary>
    public static Sandbox Detect(string probeFolder, Cgroups cgroups)
    {
        var asRoot = Geteuid() == 0;
        // DASECV_GRADE_SANDBOX=own-user or none: a weaker mode on purpose (to try what a container without bwrap gets).
        var forced = Environment.GetEnvironmentVariable("DASECV_GRADE_SANDBOX");
        var bwrap = forced is "own-user" or "none" ? null : BwrapPaths.FirstOrDefault(File.Exists);
        string? bwrapProblem = forced is null ? "bubblewrap (bwrap) is not installed" : $"bubblewrap not used (DASECV_GRADE_SANDBOX={forced})";
        if (bwrap is not null && (!asRoot || File.Exists(Setpriv)))
        {
            var candidate = asRoot
                ? new Sandbox(Mode.BubblewrapAsNobody, bwrap, Nobody, "bubblewrap, as the unprivileged user nobody: no network, own PID/IPC/mount namespaces, read-only runtime and check folder", cgroups)
                : new Sandbox(Mode.Bubblewrap, bwrap, -1, "bubblewrap: no network, own PID/IPC/mount namespaces, read-only runtime and check folder", cgroups);
            if (candidate.Probe(probeFolder) is not { } problem)
                return candidate;
            bwrapProblem = $"bubblewrap does not work here ({problem})";
        }

        if (asRoot && File.Exists(Setpriv) && forced != "none")
        {
            // An unused uid per run (NewUid), so that killing all its processes touches no other run.
            var uid = 61000 + Random.Shared.Next(4000);
            var own = new Sandbox(Mode.OwnUser, "", uid, $"an unprivileged user (a uid of each run's own, from 61000) without namespaces: {bwrapProblem}; the code could read files readable by everyone and use the network", cgroups);
            if (own.Probe(probeFolder) is null)
                return own;
        }

        return new Sandbox(Mode.None, "", -1, $"none: {bwrapProblem}; the student's code ran without isolation", cgroups);
    }

    /// <summary>The uid a run's processes get: nobody under bubblewrap, else an unused uid of the run's own (so that killing its leftovers touches no other run).</summary>
    public int NewUid() => _mode == Mode.OwnUser ? 61000 + Random.Shared.Next(4000) : _uid;

    /// <summary>After each run: in the own-user mode, every process of the run's uid is killed (bubblewrap's PID namespace does it itself).</summary>
    public void KillLeftovers(int uid)
    {
        if (_mode != Mode.OwnUser)
            return;
        var kill = new ProcessStartInfo(Setpriv) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--", "/bin/kill", "-9", "-1" })
            kill.ArgumentList.Add(a);
        using var process = Process.Start(kill);
        process?.WaitForExit(5000);
    }

    /// <summary>Null when a process of this sandbox starts .NET with <paramref name="folder"/> bound; else what went wrong.</summary>
    private string? Probe(string folder)
    {
        var run = new SandboxRun(folder, "", ["--list-runtimes"], [], new Limits(TimeSpan.FromSeconds(30), 256L << 20, 1 << 20), 30);
        using var probe = Process.Start(StartInfo(run, null, runProgram: false))!;
        var output = probe.StandardOutput.ReadToEndAsync();
        var errors = probe.StandardError.ReadToEnd();
        probe.WaitForExit();
        return probe.ExitCode == 0 ? null : Trim(output.Result + errors);
    }

    /// <summary>The start info for <paramref name="run"/>, joining <paramref name="group"/> first when there is one.</summary>
    public ProcessStartInfo StartInfo(SandboxRun run, Cgroups.Group? group, bool runProgram = true, int? uid = null)
    {
        var user = uid ?? _uid;
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1",
            ["DOTNET_TieredPGO"] = "0",  // steadier timings for the speed check
            ["DOTNET_gcServer"] = "0",
            // Keep freed memory mapped: a student's fresh temporaries then cost no page faults, as in a long-running kernel.
            ["DOTNET_GCRetainVM"] = "1",
            ["DOTNET_GCgen0size"] = "0x2000000",
            // Below the cgroup's limit, so that the GC collects before the kernel kills.
            ["DOTNET_GCHeapHardLimit"] = "0x" + (run.Limits.MemoryBytes * 3 / 4).ToString("X"),
        };

        var command = new List<string>();
        if (_mode is Mode.None or Mode.OwnUser)
        {
            var dotnet = Path.Combine(DotnetRoot, "dotnet");
            if (_mode == Mode.OwnUser)
                command.AddRange([Setpriv, $"--reuid={user}", $"--regid={user}", "--clear-groups", "--"]);
            command.Add(dotnet);
            if (runProgram)
                command.Add(Path.Combine(run.Folder, run.Program));
            command.AddRange(run.Arguments.Select(a => a.StartsWith("/check/", StringComparison.Ordinal) ? Path.Combine(run.Folder, a["/check/".Length..]) : Inside(run, a)));
            environment["DOTNET_ROOT"] = DotnetRoot;
            environment["HOME"] = run.Folder;
        }
        else
        {
            if (_mode == Mode.BubblewrapAsNobody)
                // bwrap itself as nobody: the student's processes hold no privilege outside their namespaces.
                command.AddRange([Setpriv, $"--reuid={_uid}", $"--regid={_uid}", "--clear-groups", "--"]);
            command.AddRange([_bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]);
            foreach (var library in SharedLibraries.Value.Concat(run.OpenSsl ? OpenSslLibraries.Value : []))
                command.AddRange(["--ro-bind", library, library]);
            command.AddRange(["--ro-bind", Path.Combine(DotnetRoot, "dotnet"), "/opt/dotnet/dotnet"]);
            command.AddRange(["--ro-bind", Path.Combine(DotnetRoot, "host"), "/opt/dotnet/host"]);
            command.AddRange(["--ro-bind", Path.Combine(DotnetRoot, "shared", "Microsoft.NETCore.App"), "/opt/dotnet/shared/Microsoft.NETCore.App"]);
            command.AddRange(["--ro-bind", run.Folder, "/check"]);
            foreach (var (host, inside) in run.Binds)
                command.AddRange(["--ro-bind", host, inside]);
            command.AddRange(["--proc", "/proc", "--dev", "/dev", "--size", run.Limits.TmpBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tmpfs", "/tmp",
                "--chdir", "/tmp", "--clearenv"]);
            environment["DOTNET_ROOT"] = "/opt/dotnet";
            environment["HOME"] = "/tmp";
            foreach (var (k, v) in environment)
                command.AddRange(["--setenv", k, v]);
            command.Add("/opt/dotnet/dotnet");
            if (runProgram)
                command.Add("/check/" + run.Program);
            command.AddRange(run.Arguments);
        }

        // The wrapper: join the cgroup and set RLIMIT_CPU as the grader's user, then exec the sandbox (exit 125:
        // the wrapper itself failed, the machine's fault, never the student's).
        var start = new ProcessStartInfo("/bin/sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("for f in $0; do echo 0 > \"$f\" || exit 125; done; ulimit -t " + run.CpuSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + " || exit 125; exec \"$@\"");
        start.ArgumentList.Add(group is null ? "" : string.Join(' ', group.ProcsFiles));
        foreach (var a in command)
            start.ArgumentList.Add(a);
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/bin:/bin";
        if (_mode is Mode.None or Mode.OwnUser)
            foreach (var (k, v) in environment)
                start.Environment[k] = v;
        start.WorkingDirectory = _mode is Mode.None or Mode.OwnUser ? run.Folder : "/";
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.StandardErrorEncoding = Encoding.UTF8;
        return start;
    }

    /// <summary>A path inside the sandbox mapped back to the host, for the modes without one.</summary>
    private static string Inside(SandboxRun run, string argument) =>
        run.Binds.FirstOrDefault(b => argument == b.Inside || argument.StartsWith(b.Inside + "/", StringComparison.Ordinal)) is { Host: not null } bind
            ? bind.Host + argument[bind.Inside.Length..]
            : argument;

    /// <summary>
    /// The shared libraries the .NET host and runtime link, as ldd finds them (bound at the same paths, nothing else of
    /// /usr); where ldd is missing, all of /usr/lib and /usr/lib64.
    /// </summary>
    private static readonly Lazy<IReadOnlyList<string>> SharedLibraries = new(() =>
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var natives = new[] { Path.Combine(DotnetRoot, "dotnet") }
            .Concat(Directory.EnumerateFiles(runtime, "*.so"))
            .Concat(Directory.EnumerateFiles(Path.Combine(DotnetRoot, "host"), "*.so", SearchOption.AllDirectories));
        var found = new SortedSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var native in natives)
            {
                var ldd = new ProcessStartInfo("ldd") { RedirectStandardOutput = true, RedirectStandardError = true };
                ldd.ArgumentList.Add(native);
                using var process = Process.Start(ldd)!;
                var output = process.StandardOutput.ReadToEnd();
                process.StandardError.ReadToEnd();
                process.WaitForExit();
                foreach (var line in output.Split('\n'))
                {
                    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
                    var parts = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    var path = parts.Length >= 3 && parts[1] == "=>" ? parts[2] : parts.Length >= 1 ? parts[0] : "";
                    if (path.StartsWith('/') && File.Exists(path))
                        found.Add(path);
                }
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            found.Clear();
        }

        return found.Count > 0 ? found.ToList() : new[] { "/usr/lib", "/usr/lib64", "/lib", "/lib64" }.Where(Directory.Exists).ToList();
    });

    /// <summary>libssl and libcrypto beside the C library ldd found (.NET opens them by name at run time, so ldd does not list them).</summary>
    private static readonly Lazy<IReadOnlyList<string>> OpenSslLibraries = new(() =>
        SharedLibraries.Value.Where(l => Path.GetFileName(l).StartsWith("libc.so", StringComparison.Ordinal))
            .Select(Path.GetDirectoryName).Distinct()
            .SelectMany(dir => Directory.EnumerateFiles(dir!).Where(f => Path.GetFileName(f) is var n && (n.StartsWith("libssl.so.", StringComparison.Ordinal) || n.StartsWith("libcrypto.so.", StringComparison.Ordinal))))
            .Order(StringComparer.Ordinal).ToList());

    /// <summary>
    /// A fresh folder under <paramref name="parent"/> holding the harness build without the instructor's DaseCV, and
    /// the student's DaseCV.dll: all the sandbox sees. Readable by nobody, writable by no one else.
    /// </summary>
    /// <param name="parent">Where the folder goes (<see cref="WorkRoot"/>).</param>
    /// <param name="studentDll">The student's library; null for the reference's folder, which keeps the instructor's.</param>
    public static string PrepareCheckFolder(string parent, byte[]? studentDll)
    {
        var folder = NewFolder(parent, studentDll is null ? "dasecv-reference-" : "dasecv-check-");
        foreach (var file in Directory.EnumerateFiles(HarnessDirectory))
        {
            var name = Path.GetFileName(file);
            if (studentDll is not null && name.StartsWith("DaseCV.", StringComparison.Ordinal) && !name.StartsWith("DaseCV.Grader.Harness", StringComparison.Ordinal)
                && name is not ("DaseCV.LinearAlgebra.dll" or "DaseCV.Datasets.dll"))
                continue;  // the instructor's DaseCV.dll/.pdb/.xml: the student's takes its place
            File.Copy(file, Path.Combine(folder, name));
        }

        if (studentDll is not null)
            File.WriteAllBytes(Path.Combine(folder, "DaseCV.dll"), studentDll);
        MakeReadable(folder);
        return folder;
    }

    /// <summary>A new folder, readable and traversable by everyone (the sandbox's user), writable by its owner only.</summary>
    public static string NewFolder(string parent, string prefix)
    {
        var folder = Path.Combine(parent, prefix + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)));
        Directory.CreateDirectory(folder);
        MakeReadable(folder);
        return folder;
    }

    /// <summary>
    /// Where the runs' folders go: the first of TMPDIR, /tmp and /var/tmp that the sandbox's user can reach (every
    /// folder above it traversable by others). A private TMPDIR (a 0700 folder above it) cannot be bound into a
    /// sandbox that runs as another user; null when none can.
    /// </summary>
    public static string? WorkRoot(out string why)
    {
        var candidates = new[] { Path.GetTempPath(), "/tmp", "/var/tmp" }.Select(p => Path.GetFullPath(p).TrimEnd('/')).Distinct().ToList();
        var problems = new List<string>();
        foreach (var candidate in candidates)
        {
            if (OperatingSystem.IsWindows())
            {
                why = "";
                return candidate;
            }

            var blocked = BlockingAncestor(candidate);
            if (blocked is null && Directory.Exists(candidate))
            {
                why = candidate == candidates[0] ? "" : $"{problems[0]}; using {candidate} instead";
                return candidate;
            }

            problems.Add(blocked is null ? $"{candidate} does not exist" : $"{candidate} cannot be reached by other users ({blocked} is {Permissions(blocked)})");
        }

        why = string.Join("; ", problems);
        return null;
    }

    private static string? BlockingAncestor(string folder)
    {
        if (OperatingSystem.IsWindows())
            return null;
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
        {
            if (!dir.Exists)
                continue;
            if ((dir.UnixFileMode & UnixFileMode.OtherExecute) == 0)
                return dir.FullName;
        }

        return null;
    }

    private static string Permissions(string path) =>
        OperatingSystem.IsWindows() ? "" : "0" + Convert.ToString((int)File.GetUnixFileMode(path) & 0x1FF, 8);

    private static void MakeReadable(string folder)
    {
        if (OperatingSystem.IsWindows())
            return;
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (var file in Directory.EnumerateFiles(folder))
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    private static string BuildMetadata(string key) =>
        typeof(Sandbox).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static string Trim(string text)
    {
        text = text.Trim().ReplaceLineEndings(" ");
        return text.Length > 200 ? text[..200] + "…" : text;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint Geteuid();
}
