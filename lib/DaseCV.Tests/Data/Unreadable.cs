using System.Runtime.InteropServices;

namespace DaseCV.Tests.Data;

/// <summary>
/// Runs code as a user who cannot read a chmod-000 folder. Tests run as root, for whom permissions do not apply, so
/// as root the code runs on a thread of its own whose filesystem user is <c>nobody</c> (Linux's setfsuid is per thread
/// and drops the permission-override capabilities while it is not 0); as another user it runs as is.
/// </summary>
internal static class Unreadable
{
    private const int Nobody = 65534;

    /// <summary>
    /// A fresh folder the ordinary user can reach: under the temp folder when every folder above it lets others through,
    /// else under /tmp (a private TMPDIR under a 0700 folder would make every path "unreadable" for another reason).
    /// </summary>
    public static TempDirectory NewFolder()
    {
        var temp = Path.GetFullPath(Path.GetTempPath());
        for (var folder = new DirectoryInfo(temp); folder is not null; folder = folder.Parent)
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(folder.FullName) & UnixFileMode.OtherExecute) == 0)
                return new TempDirectory("/tmp");
        return new TempDirectory(temp);
    }

    /// <summary>Makes <paramref name="path"/> mode 000 and returns a handle that restores 755 (so it can be deleted).</summary>
    public static IDisposable Lock(string path)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("chmod 000 needs a Unix file system.");
        File.SetUnixFileMode(path, UnixFileMode.None);
        return new Restore(path);
    }

    /// <summary>Makes <paramref name="path"/> mode 777, so the ordinary user the test acts as may write in it.</summary>
    public static void OpenToAll(string path)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("chmod needs a Unix file system.");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111);
    }

    /// <summary>Runs <paramref name="action"/> with the file permissions of an ordinary user; returns what it threw.</summary>
    public static Exception? Run(Action action)
    {
        bool root = !OperatingSystem.IsWindows() && geteuid() == 0;
        Assert.False(root && !OperatingSystem.IsLinux(), "Running as root on a Unix other than Linux: no setfsuid to act as an ordinary user.");
        Exception? thrown = null;
        var thread = new Thread(() =>
        {
            if (root) setfsuid(Nobody);
            try
            {
                // setfsuid(-1) changes nothing and returns the current filesystem user.
                if (root && setfsuid(-1) != Nobody) throw new InvalidOperationException("setfsuid(nobody) did not take effect");
                action();
            }
            catch (Exception e)
            {
                thrown = e;
            }
            finally
            {
                if (root) setfsuid(0);
            }
        });
        thread.Start();
        thread.Join();
        Assert.False(thrown is InvalidOperationException { Message: "setfsuid(nobody) did not take effect" },
            "Could not act as an ordinary user (setfsuid), so the unreadable folder could not be simulated.");
        return thrown;
    }

    [DllImport("libc")]
    private static extern int setfsuid(int fsuid);

    [DllImport("libc")]
    private static extern uint geteuid();

    private sealed class Restore(string path) : IDisposable
    {
        public void Dispose()
        {
            if (OperatingSystem.IsWindows()) return;
            File.SetUnixFileMode(path,
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }
}
