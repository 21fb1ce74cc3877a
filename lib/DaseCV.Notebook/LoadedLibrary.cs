using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace DaseCV.Notebook;

/// <summary>Tells whether the library this kernel loaded is still the one on disk.</summary>
/// <remarks>
/// A .NET process never reloads an assembly: after a student edits <c>lib/</c> and the build cell rebuilds it, a
/// second <c>#r</c> of the same path silently keeps the old code. Every build writes a new module version id (MVID)
/// into the DLL, and an unchanged rebuild keeps it (builds are deterministic), so comparing the loaded module's MVID
/// with the file's tells exactly whether the code on disk is the code that runs.
/// </remarks>
public static class LoadedLibrary
{
    /// <summary>What the notebook says when the library changed under a running kernel, Chinese first.</summary>
    public const string ChangedMessage =
        "库在本内核加载之后被修改过：请重启内核（Restart），然后 Run All（全部运行）" +
        " (the library changed since this kernel loaded it: restart the kernel, then Run All)";

    /// <summary>
    /// Throws when an assembly this process loaded from <paramref name="buildDirectory"/> differs from its file there
    /// now; in a notebook kernel every later cell then stops with the same message until the kernel restarts.
    /// </summary>
    /// <remarks>
    /// Without that, the cells after the <c>#r</c> cell would run on with the variables it never set and fail with
    /// null references a student cannot read; only a restart loads the new library, so nothing else can help.
    /// </remarks>
    /// <param name="buildDirectory">The folder the notebook <c>#r</c>s the library from; relative to the current directory.</param>
    /// <exception cref="LibraryChangedException">A loaded DLL was rebuilt with other code, or deleted, since it was loaded.</exception>
    public static void ThrowIfChanged(string buildDirectory)
    {
        var changed = FindChanged(buildDirectory);
        if (changed.Count == 0) return;
        var message = $"{ChangedMessage}. 磁盘上已改变 (changed on disk): {string.Join(", ", changed)}.";
        KernelDisplay.StopLaterCellsIfInKernel(message);
        throw new LibraryChangedException(message);
    }

    /// <summary>File names of the assemblies loaded from <paramref name="buildDirectory"/> whose file on disk now has another MVID or is gone.</summary>
    internal static IReadOnlyList<string> FindChanged(string buildDirectory)
    {
        ArgumentNullException.ThrowIfNull(buildDirectory);
        string directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(buildDirectory));
        var changed = new List<string>();
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic || string.IsNullOrEmpty(assembly.Location)) continue;
            if (!string.Equals(Path.GetDirectoryName(assembly.Location), directory, StringComparison.Ordinal)) continue;
            if (ModuleVersionId(assembly.Location) != assembly.ManifestModule.ModuleVersionId)
                changed.Add(Path.GetFileName(assembly.Location));
        }
        changed.Sort(StringComparer.Ordinal);
        return changed;
    }

    /// <summary>The MVID recorded in a DLL, or null when the file is gone or is not a .NET assembly.</summary>
    internal static Guid? ModuleVersionId(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata) return null;
            var metadata = pe.GetMetadataReader();
            return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException)
        {
            return null;
        }
    }
}

/// <summary>The library on disk is not the one loaded in this kernel; only a restart loads the new one.</summary>
/// <remarks>
/// A notebook shows a failing cell's exception through <see cref="ToString"/>; this one shows only its message,
/// because the stack trace of the check says nothing to a student.
/// </remarks>
public sealed class LibraryChangedException(string message) : InvalidOperationException(message)
{
    /// <summary>The message alone.</summary>
    public override string ToString() => Message;
}
