using System.Runtime.InteropServices;

namespace DaseCV.Runner.IO;

/// <summary>
/// Whether two paths name the same file on disk. Strings cannot tell: a symlinked folder, <c>..</c>, a hard link
/// or a case-insensitive file system all give different strings for one file. On Linux the answer is the file's
/// (device, inode) from <c>statx</c>, which follows every symlink and sees hard links; elsewhere it compares the
/// paths with every symlink along them resolved.
/// </summary>
internal static class FileIdentity
{
    /// <summary>True when both paths exist and are one file (or one folder).</summary>
    public static bool AreSame(string a, string b)
    {
        if (OperatingSystem.IsLinux() &&
            TryGetInode(a, out var idA) is { } foundA && TryGetInode(b, out var idB) is { } foundB)
            return foundA && foundB && idA == idB; // not found: no such file, so not the same

        if (!Path.Exists(a) || !Path.Exists(b))
            return false;
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
            ? StringComparison.OrdinalIgnoreCase
            : StringComparison.Ordinal;
        return string.Equals(ResolvePath(a), ResolvePath(b), comparison);
    }

    /// <summary>The full path with every symlink along it (folders and the file itself) resolved.</summary>
    public static string ResolvePath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var resolved = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(resolved, part);
            // A link to a link to ... resolves in one call; a relative target is relative to the link's folder.
            var target = TryResolveLink(next);
            resolved = target is null ? next : ResolvePath(target);
        }

        return resolved;
    }

    private static string? TryResolveLink(string path)
    {
        try
        {
            FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            return info.LinkTarget is null ? null : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        }
        catch (IOException)
        {
            return null; // a dangling or looping link: compare it as it is
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>(device, inode) of the file a path leads to; null when statx is unavailable, false when it fails.</summary>
    private static bool? TryGetInode(string path, out (ulong Device, ulong Inode) id)
    {
        id = default;
        try
        {
            var buffer = new byte[StatxSize];
            if (Statx(AtFdCwd, path, 0, StatxIno, buffer) != 0)
                return false;
            // struct statx has one layout on every Linux architecture: stx_ino at 32, stx_dev_major/minor at 136/140.
            var inode = BitConverter.ToUInt64(buffer, 32);
            var device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
            id = (device, inode);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null; // a C library without statx (glibc < 2.28, musl < 1.2.5)
        }
    }

    private const int AtFdCwd = -100;
    private const uint StatxIno = 0x100;
    private const int StatxSize = 256;

    // DllImport rather than LibraryImport: the generator would need unsafe code enabled for this one call. The path
    // is marshalled as UTF-8 explicitly, which CA2101 does not recognise.
#pragma warning disable SYSLIB1054, CA2101
    [DllImport("libc", EntryPoint = "statx")]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
#pragma warning restore SYSLIB1054, CA2101
}
