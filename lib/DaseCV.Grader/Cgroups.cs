using System.Globalization;

namespace DaseCV.Grader;

/// <summary>
/// Kernel-enforced limits for a sandboxed process and everything it starts: a control group of its own under this
/// process's, with memory (page cache, tmpfs and memfd pages included), task count (threads included) and CPU
/// accounting. cgroup v2 where the unified hierarchy has the controllers, v1 otherwise (these machines mount v1
/// memory, pids and cpuacct, and a v2 hierarchy holding only hugetlb). The sandbox's wrapper writes itself into
/// <see cref="Group.ProcsFiles"/> and then execs bwrap, so the limits hold before the student's first instruction.
/// </summary>
internal sealed class Cgroups
{
    private readonly string? _v2;
    private readonly IReadOnlyDictionary<string, string> _v1;

    private Cgroups(string? v2, IReadOnlyDictionary<string, string> v1, string description)
    {
        _v2 = v2;
        _v1 = v1;
        Description = description;
    }

    /// <summary>Which limits apply, for the report.</summary>
    public string Description { get; }

    /// <summary>True when memory and task limits can both be set.</summary>
    public bool Available => _v2 is not null || (_v1.ContainsKey("memory") && _v1.ContainsKey("pids"));

    /// <summary>The controllers that work here (a child group can be made and limited), found by trying.</summary>
    public static Cgroups Detect()
    {
        if (!OperatingSystem.IsLinux())
            return new(null, new Dictionary<string, string>(), "none (not Linux)");
        var own = Own();
        var mounts = Mounts();

        // v2: the unified mount with memory and pids enabled for children of our group.
        foreach (var (mount, _, _, root) in mounts.Where(m => m.Type == "cgroup2"))
        {
            if (!own.TryGetValue("", out var path))
                continue;
            var parent = Path.Join(mount, Below(root, path));
            if (Probe(parent, ["memory.max", "pids.max"]) is not null)
                return new(parent, new Dictionary<string, string>(), "cgroup v2: memory (tmpfs and memfd included), tasks (threads included), CPU time");
        }

        // v1: one hierarchy per controller.
        var v1 = new Dictionary<string, string>();
        foreach (var (controller, file) in new[] { ("memory", "memory.limit_in_bytes"), ("pids", "pids.max"), ("cpuacct", "cpuacct.usage") })
        {
            var (mount, _, _, root) = mounts.FirstOrDefault(m => m.Type == "cgroup" && m.Options.Contains(controller));
            if (mount is null || !own.TryGetValue(controller, out var path))
                continue;
            var parent = Path.Join(mount, Below(root, path));
            if (Probe(parent, [file]) is not null)
                v1[controller] = parent;
        }

        var names = v1.Keys.Select(c => c switch { "memory" => "memory (tmpfs and memfd included)", "pids" => "tasks (threads included)", _ => "CPU time" });
        return new(null, v1, v1.Count == 0 ? "none: no cgroup controller can be used here (not root, or not delegated)" : "cgroup v1: " + string.Join(", ", names));
    }

    /// <summary>A new group with these limits; null when none can be had.</summary>
    public Group? Create(long memoryBytes, int tasks)
    {
        var name = "dasecv-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        try
        {
            if (_v2 is not null)
            {
                var folder = Path.Join(_v2, name);
                Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Join(folder, "memory.max"), memoryBytes.ToString(CultureInfo.InvariantCulture));
                TryWrite(Path.Join(folder, "memory.swap.max"), "0");
                File.WriteAllText(Path.Join(folder, "pids.max"), tasks.ToString(CultureInfo.InvariantCulture));
                return new Group([folder], v2: true);
            }

            var folders = new List<string>();
            foreach (var (controller, parent) in _v1)
            {
                var folder = Path.Join(parent, name);
                Directory.CreateDirectory(folder);
                folders.Add(folder);
                if (controller == "memory")
                {
                    File.WriteAllText(Path.Join(folder, "memory.limit_in_bytes"), memoryBytes.ToString(CultureInfo.InvariantCulture));
                    TryWrite(Path.Join(folder, "memory.memsw.limit_in_bytes"), memoryBytes.ToString(CultureInfo.InvariantCulture));
                }
                else if (controller == "pids")
                    File.WriteAllText(Path.Join(folder, "pids.max"), tasks.ToString(CultureInfo.InvariantCulture));
            }

            return folders.Count == 0 ? null : new Group(folders, v2: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>One process tree's group: where the wrapper joins, what the kernel counted, and removal.</summary>
    internal sealed class Group(IReadOnlyList<string> folders, bool v2)
    {
        /// <summary>The files the wrapper writes "0" into to join (one per hierarchy).</summary>
        public IReadOnlyList<string> ProcsFiles { get; } = folders.Select(f => Path.Join(f, "cgroup.procs")).ToList();

        /// <summary>Why the kernel stopped something in the group, or null: the memory limit hit (an OOM kill) or the task limit refused a fork.</summary>
        public string? Breach()
        {
            foreach (var folder in folders)
            {
                var oom = v2 ? Counter(Path.Join(folder, "memory.events"), "oom_kill") : Counter(Path.Join(folder, "memory.oom_control"), "oom_kill");
                if (oom > 0)
                    return Feedback.Say("内存超出限制，已被系统终止", "went over the memory limit and was stopped by the kernel");
                if (Counter(Path.Join(folder, "pids.events"), "max") > 0)
                    return Feedback.Say("启动的线程或进程超出限制，已被系统拒绝", "started more threads or processes than allowed; the kernel refused them");
            }

            return null;
        }

        /// <summary>CPU time used by the group so far, or null where it is not counted.</summary>
        public TimeSpan? CpuTime()
        {
            foreach (var folder in folders)
            {
                if (v2 && Counter(Path.Join(folder, "cpu.stat"), "usage_usec") is long usec)
                    return TimeSpan.FromMicroseconds(usec);
                if (!v2 && File.Exists(Path.Join(folder, "cpuacct.usage")) && long.TryParse(File.ReadAllText(Path.Join(folder, "cpuacct.usage")).Trim(), out var ns))
                    return TimeSpan.FromTicks(ns / 100);
            }

            return null;
        }

        /// <summary>Kills what is left and removes the group (the kernel keeps a group with tasks in it).</summary>
        public void Remove()
        {
            foreach (var folder in folders)
            {
                for (var attempt = 0; attempt < 50 && Directory.Exists(folder); attempt++)
                {
                    try
                    {
                        foreach (var line in File.ReadAllLines(Path.Join(folder, "cgroup.procs")))
                            if (int.TryParse(line, out var pid))
                                Kill(pid);
                        Directory.Delete(folder);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        Thread.Sleep(20);
                    }
                }
            }
        }

        private static long? Counter(string file, string key)
        {
            try
            {
                foreach (var line in File.ReadLines(file))
                    if (line.Split(' ') is [var k, var v] && k == key && long.TryParse(v, out var n))
                        return n;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }

            return null;
        }

        private static void Kill(int pid)
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
        }
    }

    /// <summary>A child group can be made under <paramref name="parent"/> and has <paramref name="files"/>; the parent, or null.</summary>
    private static string? Probe(string parent, string[] files)
    {
        var probe = Path.Join(parent, "dasecv-probe-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        try
        {
            Directory.CreateDirectory(probe);
            var ok = files.All(f => File.Exists(Path.Join(probe, f)));
            if (ok && Array.IndexOf(files, "memory.max") >= 0)
                File.WriteAllText(Path.Join(probe, "memory.max"), "max");
            Directory.Delete(probe);
            return ok ? parent : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                if (Directory.Exists(probe))
                    Directory.Delete(probe);
            }
            catch (Exception f) when (f is IOException or UnauthorizedAccessException)
            {
            }

            return null;
        }
    }

    private static string Below(string root, string path) =>
        root != "/" && path.StartsWith(root, StringComparison.Ordinal) ? path[root.Length..] : path;

    private static void TryWrite(string file, string value)
    {
        if (File.Exists(file))
            File.WriteAllText(file, value);
    }

    /// <summary>This process's group per v1 controller list (e.g. "memory", "cpu,cpuacct"), and "" for v2.</summary>
    private static Dictionary<string, string> Own()
    {
        var own = new Dictionary<string, string>();
        foreach (var line in File.ReadAllLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
                continue;
            own[parts[1]] = parts[2];
            foreach (var controller in parts[1].Split(','))
                own.TryAdd(controller, parts[2]);
        }

        return own;
    }

    /// <summary>Cgroup mounts; <c>Mount</c> already joined with the part of our group's path below the mount's root (a container's namespace).</summary>
    private static List<(string Mount, string Type, string[] Options, string Root)> Mounts()
    {
        // /proc/self/mountinfo: "id parent major:minor root mountpoint options ... - type source superoptions".
        var mounts = new List<(string, string, string[], string)>();
        foreach (var line in File.ReadAllLines("/proc/self/mountinfo"))
        {
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0)
                continue;
            var left = line[..separator].Split(' ');
            var right = line[(separator + 3)..].Split(' ');
            if (left.Length < 5 || right.Length < 3 || right[0] is not ("cgroup" or "cgroup2"))
                continue;
            // A mount of a group below the hierarchy's root (left[3]) stands for that group: our path is relative to it.
            mounts.Add((left[4].Replace("\\040", " "), right[0], right[2].Split(','), left[3]));
        }

        return mounts;
    }
}
