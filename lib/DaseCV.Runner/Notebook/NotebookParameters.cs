using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;

namespace DaseCV.Runner.Notebook;

/// <summary>
/// papermill-style parameters: the cell tagged <c>parameters</c> declares defaults; each <c>-p NAME=VALUE</c>
/// becomes a declaration in a new cell, tagged <c>injected-parameters</c>, inserted right after it.
/// </summary>
internal static partial class NotebookParameters
{
    public const string ParametersTag = "parameters";
    public const string InjectedTag = "injected-parameters";

    /// <summary>Parses <c>NAME=VALUE</c>.</summary>
    /// <exception cref="UsageException">No '=' or the name is not a C# identifier.</exception>
    public static KeyValuePair<string, string> Parse(string argument)
    {
        var eq = argument.IndexOf('=');
        if (eq <= 0)
            throw new UsageException($"-p expects NAME=VALUE, got '{argument}'.");
        var name = argument[..eq].Trim();
        if (!SyntaxFacts.IsValidIdentifier(name))
            throw new UsageException($"-p {argument}: '{name}' is not a C# variable name.");
        return new(name, argument[(eq + 1)..]);
    }

    /// <summary>
    /// Inserts the override cell. Returns its source, or null when <paramref name="values"/> is empty.
    /// </summary>
    /// <exception cref="UsageException">No cell is tagged <c>parameters</c>, or a name is not declared there.</exception>
    public static string? Inject(IpynbNotebook notebook, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        if (values.Count == 0)
            return null;

        var cells = notebook.Cells;
        var index = cells.ToList().FindIndex(c => c.Type == "code" && c.Tags.Contains(ParametersTag));
        if (index < 0)
            throw new UsageException(
                $"{notebook.Name}.ipynb has no code cell tagged '{ParametersTag}' (metadata.tags), so -p has nothing to override.");

        var declared = FindDeclarations(cells[index].Source);
        var source = new StringBuilder("// Parameters injected by the runner (-p)\n");
        foreach (var (name, value) in values)
        {
            if (!declared.TryGetValue(name, out var type))
                throw new UsageException(
                    $"-p {name}: the parameters cell (cell {index + 1}) declares no '{name}'; it declares: " +
                    (declared.Count == 0 ? "(nothing)" : string.Join(", ", declared.Keys)) + ".");
            source.Append(CultureInfo.InvariantCulture, $"{type} {name} = {ToLiteral(value, type)};\n");
        }

        notebook.InsertCellAfter(index, IpynbCell.NewCode(source.ToString().TrimEnd('\n'), InjectedTag));
        return source.ToString();
    }

    /// <summary>
    /// Top-level declarations <c>TYPE NAME = ...;</c> in a parameters cell, name → type. A <c>var</c> whose default
    /// is a string or floating-point literal reports <c>string</c> / <c>double</c>, so that <c>-p lr=1</c>
    /// keeps <c>lr</c> a double.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FindDeclarations(string source)
    {
        var found = new Dictionary<string, string>();
        foreach (Match m in Declaration().Matches(source))
        {
            var type = m.Groups["type"].Value;
            var init = m.Groups["init"].Value.Trim();
            if (type == "var")
                type = init.StartsWith('"') || init.StartsWith("@\"") ? "string"
                    : FloatLiteral().IsMatch(init) ? "double"
                    : "var";
            found.TryAdd(m.Groups["name"].Value, type);
        }

        return found;
    }

    /// <summary>
    /// VALUE as a C# literal: numbers and true/false as they are, quoted strings as they are, anything else
    /// quoted; a declared <c>string</c> always quotes, <c>float</c>/<c>decimal</c> get their suffix.
    /// </summary>
    public static string ToLiteral(string value, string declaredType)
    {
        var type = declaredType.TrimEnd('?');
        var isQuoted = value.Length >= 2 && value[0] == '"' && value[^1] == '"';
        if (type is "string" or "String")
            return isQuoted ? value : Quote(value);
        if (isQuoted)
            return value;
        if (value is "true" or "false" or "null")
            return value;
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            return type switch { "float" => value + "f", "decimal" => value + "m", _ => value };
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && !value.Contains(','))
            return type switch { "float" => value + "f", "decimal" => value + "m", _ => value };
        return Quote(value);
    }

    private static string Quote(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    // A declaration at the start of a line: optional modifiers, a type (var, int, double[], List<int>, ...), a name, '='.
    [GeneratedRegex(@"^[ \t]*(?:(?:const|static|readonly)\s+)*(?<type>[A-Za-z_][\w.]*(?:<[\w\s,.<>?]*>)?(?:\[\])*\??)\s+(?<name>[A-Za-z_]\w*)\s*=(?!=)(?<init>[^;\n]*)", RegexOptions.Multiline)]
    private static partial Regex Declaration();

    [GeneratedRegex(@"^[-+]?(\d+\.\d*|\.\d+|\d+(\.\d*)?[eE][-+]?\d+)[dD]?$")]
    private static partial Regex FloatLiteral();
}
