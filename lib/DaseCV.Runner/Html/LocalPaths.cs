using System.Text.RegularExpressions;

namespace DaseCV.Runner.Html;

/// <summary>
/// The local-paths step. Hides the absolute paths of the machine that ran a notebook in the text the HTML shows (outputs, code,
/// parameters): a path inside a known repository becomes relative to that repository's root
/// (<c>/home/ann/daseCV/data/x</c> → <c>data/x</c>), any other path in a home folder starts with <c>~</c>
/// (<c>/home/ann/x</c>, <c>/Users/ann/x</c>, <c>/root/x</c>, <c>C:\Users\ann\x</c> → <c>~/x</c>).
/// </summary>
/// <remarks>
/// Only whole path starts are replaced: a prefix preceded by a letter, digit or path character (as inside
/// base64 data or a longer path) is left alone. Other absolute paths (<c>/tmp</c>, <c>/mnt</c>) stay as they are.
/// </remarks>
internal sealed partial class LocalPaths : HtmlStep
{
    private readonly Regex? _roots;

    /// <param name="repositoryRoots">Folders whose paths are shown relative to them (e.g. the git repository).</param>
    /// <param name="homeFolders">The user's own home folders, replaced by <c>~</c> (besides the usual home patterns).</param>
    public LocalPaths(IEnumerable<string> repositoryRoots, IEnumerable<string> homeFolders)
    {
        // Longest first, so a repository inside the home folder wins over the home folder.
        var prefixes = repositoryRoots.Select(r => (Path: Trim(r), Repository: true))
            .Concat(homeFolders.Select(h => (Path: Trim(h), Repository: false)))
            .Where(p => p.Path.Length > 1)
            .DistinctBy(p => p.Path)
            .OrderByDescending(p => p.Path.Length)
            .ToList();
        Repositories = prefixes.Where(p => p.Repository).Select(p => p.Path).ToHashSet();
        if (prefixes.Count > 0)
            _roots = new Regex(Boundary + "(?<p>" + string.Join("|", prefixes.Select(p => Regex.Escape(p.Path))) + @")(?<sep>[/\\])?",
                               RegexOptions.CultureInvariant);
    }

    private HashSet<string> Repositories { get; }

    /// <summary>Paths of this machine: the git repositories holding <paramref name="notebookDirectory"/> and the
    /// current folder, and the user's home folder.</summary>
    public static LocalPaths ForThisMachine(string? notebookDirectory)
    {
        var roots = new[] { notebookDirectory, Directory.GetCurrentDirectory() }
            .OfType<string>().Select(RepositoryRoot).OfType<string>();
        return new LocalPaths(roots, [Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)]);
    }

    /// <summary>No machine-specific prefixes; only the usual home-folder patterns.</summary>
    public static LocalPaths None { get; } = new([], []);

    /// <inheritdoc cref="Hide"/>
    public override string Text(string text) => Hide(text);

    /// <summary><paramref name="text"/> with local absolute paths made relative or home-relative.</summary>
    public string Hide(string text)
    {
        if (_roots is not null)
            text = _roots.Replace(text, m =>
            {
                // A prefix followed by more name characters is another folder (/work/repo2 is not /work/repo).
                var end = m.Index + m.Length;
                if (!m.Groups["sep"].Success && end < text.Length && IsNameChar(text[end]))
                    return m.Value;
                return Repositories.Contains(m.Groups["p"].Value)
                    ? (m.Groups["sep"].Success ? "" : ".")
                    : "~" + m.Groups["sep"].Value;
            });
        return HomeFolder().Replace(text, "~");
    }

    /// <summary>The nearest folder at or above <paramref name="directory"/> holding <c>.git</c> (a folder, or a file in a worktree).</summary>
    public static string? RepositoryRoot(string directory)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(directory)); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git")))
                return dir.FullName;
        return null;
    }

    private static string Trim(string path) => path.TrimEnd('/', '\\');

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' or '.';

    // Not inside a word, base64 data or a longer path.
    private const string Boundary = @"(?<![\w.+/\\,:-])";

    [GeneratedRegex(Boundary + @"(?:/home/[^/\\\s""'<>]+|/Users/[^/\\\s""'<>]+|/root(?=[/\s""'<>]|$)|[A-Za-z]:\\Users\\[^\\\s""'<>]+)", RegexOptions.CultureInvariant)]
    private static partial Regex HomeFolder();
}
