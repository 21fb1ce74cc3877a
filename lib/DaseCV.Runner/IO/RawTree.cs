using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace DaseCV.Runner.IO;

/// <summary>What a directory entry is, as the file system says without following links or opening it.</summary>
internal enum EntryKind { File, Folder, Link, Other }

/// <summary>One directory entry: its name's bytes (for opening it) and the name as a person reads it.</summary>
/// <param name="Path">The full path's bytes on Linux; on other systems the path's UTF-8.</param>
/// <param name="Name">The entry's name decoded: UTF-8, else GB18030 (what Windows and LMS exports write in China), else with replacement characters.</param>
/// <param name="Kind">File, folder, symbolic link, or anything else (a FIFO, a socket, a device).</param>
/// <param name="What">For <see cref="EntryKind.Other"/>: what it is, e.g. "a FIFO".</param>
internal sealed record RawEntry(byte[] Path, string Name, EntryKind Kind, string What);

/// <summary>
/// Reads folders whose entry names need not be UTF-8 (a zip named 张三.zip in GBK bytes: .NET's own enumeration
/// replaces such bytes and can then open nothing) and opens files without following links or blocking on a FIFO.
/// Linux reads raw bytes with readdir/open; elsewhere names are Unicode by construction and .NET's APIs serve.
/// </summary>
internal static class RawTree
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

    static RawTree() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The path's bytes as the system names it.</summary>
    public static byte[] PathOf(string path) => Encoding.UTF8.GetBytes(System.IO.Path.GetFullPath(path));

    /// <summary>The entries of a folder, sorted by name bytes; "." and ".." left out.</summary>
    /// <exception cref="IOException">The folder cannot be read.</exception>
    public static IReadOnlyList<RawEntry> List(byte[] folder)
    {
        if (!OperatingSystem.IsLinux())
            return ListPortable(Encoding.UTF8.GetString(folder));
        var entries = new List<RawEntry>();
        var dir = opendir(folder.Append((byte)0).ToArray());
        if (dir == IntPtr.Zero)
            throw new IOException($"{Decode(folder)} cannot be read (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            while (true)
            {
                var entry = readdir(dir);
                if (entry == IntPtr.Zero)
                    break;
                // struct dirent (glibc and musl, 64-bit): d_ino 8, d_off 8, d_reclen 2, d_type 1, d_name.
                var type = Marshal.ReadByte(entry, 18);
                var name = ReadName(entry + 19);
                if (name is [(byte)'.'] or [(byte)'.', (byte)'.'])
                    continue;
                var path = folder.Append((byte)'/').Concat(name).ToArray();
                var (kind, what) = type switch
                {
                    8 => (EntryKind.File, ""),
                    4 => (EntryKind.Folder, ""),
                    10 => (EntryKind.Link, "a symbolic link"),
                    1 => (EntryKind.Other, "a FIFO"),
                    12 => (EntryKind.Other, "a socket"),
                    2 or 6 => (EntryKind.Other, "a device"),
                    _ => KindOf(path),
                };
                entries.Add(new RawEntry(path, Decode(name), kind, what));
            }
        }
        finally
        {
            // Nothing to do if closing fails: the listing is complete and the handle is gone either way.
            _ = closedir(dir);
        }

        return entries.OrderBy(e => e.Path, ByteOrder.Instance).ToList();
    }

    /// <summary>A regular file's stream, opened without following a link and without blocking on a FIFO swapped in.</summary>
    /// <exception cref="IOException">It cannot be opened as a regular file.</exception>
    public static FileStream OpenRead(byte[] path)
    {
        if (!OperatingSystem.IsLinux())
            return new FileStream(Encoding.UTF8.GetString(path), FileMode.Open, FileAccess.Read, FileShare.Read);
        const int nonBlock = 0x800, closeOnExec = 0x80000;
        var noFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;
        var fd = open(path.Append((byte)0).ToArray(), nonBlock | noFollow | closeOnExec);
        if (fd < 0)
            throw new IOException($"{Decode(path)} cannot be opened (errno {Marshal.GetLastPInvokeError()}).");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            return new FileStream(handle, FileAccess.Read, 1);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The name as a person reads it: UTF-8 when valid, else GB18030.</summary>
    public static string Decode(byte[] name)
    {
        try
        {
            return StrictUtf8.GetString(name);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding("GB18030").GetString(name);
        }
    }

    private static (EntryKind, string) KindOf(byte[] path)
    {
        // DT_UNKNOWN (some file systems): ask by name where the name is text .NET can pass through.
        var text = Encoding.UTF8.GetString(path);
        if (!Encoding.UTF8.GetBytes(text).AsSpan().SequenceEqual(path))
            return (EntryKind.Other, "an entry of unknown type");
        var info = new FileInfo(text);
        if (info.LinkTarget is not null)
            return (EntryKind.Link, "a symbolic link");
        if (Directory.Exists(text))
            return (EntryKind.Folder, "");
        return (info.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) == 0 && info.Exists ? (EntryKind.File, "") : (EntryKind.Other, "not a regular file");
    }

    private static IReadOnlyList<RawEntry> ListPortable(string folder) =>
        new DirectoryInfo(folder).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => new RawEntry(
            Encoding.UTF8.GetBytes(e.FullName), e.Name,
            e.LinkTarget is not null ? EntryKind.Link : e is DirectoryInfo ? EntryKind.Folder : (e.Attributes & FileAttributes.Device) == 0 ? EntryKind.File : EntryKind.Other,
            e.LinkTarget is not null ? "a symbolic link" : e is DirectoryInfo || (e.Attributes & FileAttributes.Device) == 0 ? "" : "a device")).ToList();

    private static byte[] ReadName(IntPtr name)
    {
        var length = 0;
        while (length < 256 && Marshal.ReadByte(name, length) != 0)
            length++;
        var bytes = new byte[length];
        Marshal.Copy(name, bytes, 0, length);
        return bytes;
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr opendir(byte[] name);

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr readdir(IntPtr dir);

    [DllImport("libc")]
    private static extern int closedir(IntPtr dir);

    [DllImport("libc", SetLastError = true)]
    private static extern int open(byte[] path, int flags);
}
