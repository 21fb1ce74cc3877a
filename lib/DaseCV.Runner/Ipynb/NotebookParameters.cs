using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DaseCV.Runner.IO;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DaseCV.Runner.Ipynb;

/// <summary>
/// papermill-style parameters: the cell tagged <c>parameters</c> declares defaults; each <c>-p NAME=VALUE</c>
/// becomes a declaration in one cell, tagged <c>injected-parameters</c>, right after it. As in papermill, a value
/// always becomes a literal of the declared type, never code: a string is an escaped string literal, a number is
/// parsed and written back, anything that is not a value of the declared type is refused before anything runs.
/// </summary>
internal static partial class NotebookParameters
{
    public const string ParametersTag = "parameters";
    public const string InjectedTag = "injected-parameters";

    /// <summary>The C# types a <c>-p</c> value can be written as a literal of; aliases map to the keyword.</summary>
    private static readonly Dictionary<string, string> Keywords = new()
    {
        ["string"] = "string", ["String"] = "string", ["System.String"] = "string",
        ["bool"] = "bool", ["Boolean"] = "bool", ["System.Boolean"] = "bool",
        ["char"] = "char", ["Char"] = "char", ["System.Char"] = "char",
        ["int"] = "int", ["Int32"] = "int", ["System.Int32"] = "int",
        ["long"] = "long", ["Int64"] = "long", ["System.Int64"] = "long",
        ["short"] = "short", ["Int16"] = "short", ["System.Int16"] = "short",
        ["byte"] = "byte", ["Byte"] = "byte", ["System.Byte"] = "byte",
        ["sbyte"] = "sbyte", ["SByte"] = "sbyte", ["System.SByte"] = "sbyte",
        ["uint"] = "uint", ["UInt32"] = "uint", ["System.UInt32"] = "uint",
        ["ulong"] = "ulong", ["UInt64"] = "ulong", ["System.UInt64"] = "ulong",
        ["ushort"] = "ushort", ["UInt16"] = "ushort", ["System.UInt16"] = "ushort",
        ["double"] = "double", ["Double"] = "double", ["System.Double"] = "double",
        ["float"] = "float", ["Single"] = "float", ["System.Single"] = "float",
        ["decimal"] = "decimal", ["Decimal"] = "decimal", ["System.Decimal"] = "decimal",
    };

    private const string SettableTypes = "string, bool, char, int, long, short, byte, sbyte, uint, ulong, ushort, double, float, decimal";

    /// <summary>Parses <c>NAME=VALUE</c>.</summary>
    /// <exception cref="UsageException">No '=' or the name is not a C# identifier.</exception>
    public static KeyValuePair<string, string> Parse(string argument)
    {
        var eq = argument.IndexOf('=');
        if (eq <= 0)
            throw new UsageException($"-p expects NAME=VALUE or NAME VALUE, got '{argument}'.");
        var name = argument[..eq].Trim();
        if (!SyntaxFacts.IsValidIdentifier(name))
            throw new UsageException($"-p {argument}: '{name}' is not a C# variable name.");
        return new(name, argument[(eq + 1)..]);
    }

    /// <summary>
    /// Checks <paramref name="values"/> against the parameters cell and, when there are any, replaces the
    /// notebook's injected-parameters cell (papermill replaces it, so a re-run never keeps an old value) with one
    /// holding them. Nothing in the notebook changes unless every value is valid.
    /// </summary>
    /// <returns>
    /// The parameters this run uses: <paramref name="values"/>, or with none given, those of an injected cell
    /// the notebook already holds (it is kept and runs again, as in papermill).
    /// </returns>
    /// <exception cref="UsageException">
    /// No cell is tagged <c>parameters</c>, a name is not declared there or given twice, or a value is not a
    /// value of its declared type.
    /// </exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Apply(IpynbNotebook notebook, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        if (values.Count == 0)
            return notebook.Cells.FirstOrDefault(IsInjected) is { } kept ? ReadValues(kept.Source) : [];

        var source = InjectedSource(notebook, values);
        var cells = (JsonArray)notebook.Root["cells"]!;
        for (var i = cells.Count - 1; i >= 0; i--)
            if (IsInjected(new IpynbCell((JsonObject)cells[i]!)))
                cells.RemoveAt(i);
        notebook.InsertCellAfter(ParametersCellIndex(notebook), IpynbCell.NewCode(source, InjectedTag));
        return values;
    }

    /// <summary>The source of the injected cell for <paramref name="values"/>, every value checked.</summary>
    /// <exception cref="UsageException">As <see cref="Apply"/>.</exception>
    private static string InjectedSource(IpynbNotebook notebook, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        var index = ParametersCellIndex(notebook);
        var declared = FindDeclarations(notebook.Cells[index].Source);
        var source = new StringBuilder("// Parameters injected by the runner (-p)\n");
        var seen = new Dictionary<string, string>();
        foreach (var (name, value) in values)
        {
            if (seen.TryGetValue(name, out var first))
                throw new UsageException($"-p {name} is given twice ('{first}' and '{value}'); give each parameter once.");
            seen[name] = value;
            if (!declared.TryGetValue(name, out var type))
                throw new UsageException(
                    $"-p {name}: the parameters cell (cell {index + 1}) declares no '{name}'; it declares: " +
                    (declared.Count == 0 ? "(nothing)" : string.Join(", ", declared.Keys)) + ".");
            var keyword = SettableType(name, type);
            // A nullable value type keeps its '?', so that -p n=null compiles; string stays plain string.
            var emitted = type.EndsWith('?') && keyword != "string" ? keyword + "?" : keyword;
            source.Append(CultureInfo.InvariantCulture, $"{emitted} {name} = {ToLiteral(name, value, type)};\n");
        }

        return source.ToString().TrimEnd('\n');
    }

    /// <summary>
    /// Top-level variable declarations of a parameters cell, name → declared type as written (<c>int</c>,
    /// <c>List&lt;int&gt;</c>, <c>int?</c>). A <c>var</c> takes the type of a literal initializer
    /// (<c>var lr = 1e-7;</c> is <c>double</c>); other <c>var</c>s stay <c>var</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FindDeclarations(string source)
    {
        var found = new Dictionary<string, string>();
        foreach (var declaration in TopLevelDeclarations(source))
        {
            foreach (var variable in declaration.Variables)
            {
                var type = declaration.Type.IsVar && variable.Initializer?.Value is { } init
                    ? LiteralType(init) ?? "var"
                    : declaration.Type.ToString();
                found.TryAdd(variable.Identifier.ValueText, type);
            }
        }

        return found;
    }

    /// <summary>
    /// <paramref name="value"/> as a C# literal of <paramref name="declaredType"/>: a string is always quoted and
    /// escaped, numbers are parsed (invariant culture) and written back, <c>float</c>/<c>decimal</c> get their
    /// suffix, a nullable value type also takes <c>null</c>.
    /// </summary>
    /// <exception cref="UsageException">The value is not a value of that type (the message names both).</exception>
    public static string ToLiteral(string name, string value, string declaredType)
    {
        var nullable = declaredType.EndsWith('?');
        var keyword = SettableType(name, declaredType);
        if (nullable && keyword != "string" && value.Trim() == "null")
            return "null";
        var text = value.Trim();
        var literal = keyword switch
        {
            "string" => SymbolDisplay.FormatLiteral(value, quote: true),
            "char" => value.Length == 1 ? SymbolDisplay.FormatLiteral(value[0], quote: true) : null,
            "bool" => text.ToLowerInvariant() is "true" or "false" ? text.ToLowerInvariant() : null,
            "int" => Integer<int>(name, text, keyword, declaredType),
            "long" => Integer<long>(name, text, keyword, declaredType),
            "short" => Integer<short>(name, text, keyword, declaredType),
            "byte" => Integer<byte>(name, text, keyword, declaredType),
            "sbyte" => Integer<sbyte>(name, text, keyword, declaredType),
            "uint" => Integer<uint>(name, text, keyword, declaredType),
            "ulong" => Integer<ulong>(name, text, keyword, declaredType),
            "ushort" => Integer<ushort>(name, text, keyword, declaredType),
            "double" => Real<double>(name, text, keyword, declaredType, ""),
            "float" => Real<float>(name, text, keyword, declaredType, "f"),
            "decimal" => Real<decimal>(name, text, keyword, declaredType, "m"),
            _ => null,
        };
        return literal ?? throw NotA(name, value, keyword, declaredType,
            keyword switch { "bool" => " (true or false)", "char" => " (one character)", _ => "" });
    }

    /// <summary>
    /// The 1-based number of the cell with <paramref name="cellId"/> as the user sees their notebook: every cell
    /// counts except the injected-parameters cell. Null when there is no such cell or it is the injected one.
    /// </summary>
    public static int? UserCellNumber(IpynbNotebook notebook, string? cellId)
    {
        var number = 0;
        foreach (var cell in notebook.Cells)
        {
            if (IsInjected(cell))
            {
                if (cell.Id == cellId)
                    return null;
                continue;
            }

            number++;
            if (cell.Id == cellId)
                return number;
        }

        return null;
    }

    /// <summary>
    /// NAME → value of each parameter a run of <paramref name="notebook"/> uses, as its cells write them: the
    /// parameters cell's declarations whose value is a literal or a call with a literal default (the last literal
    /// argument, looked for inside nested calls too: <c>int.Parse(Param("NUM_ITERS", "2000"))</c> gives 2000), then
    /// the injected cell's values, which win. Other declarations are left out; without a parameters cell, none.
    /// String and char literals are decoded, other literals kept as written.
    /// </summary>
    public static IReadOnlyDictionary<string, string> RunValues(IpynbNotebook notebook)
    {
        var values = new Dictionary<string, string>();
        var parameters = notebook.Cells.FirstOrDefault(c => c.Type == "code" && c.Tags.Contains(ParametersTag));
        if (parameters is null)
            return values;
        foreach (var variable in TopLevelDeclarations(parameters.Source).SelectMany(d => d.Variables))
            if (variable.Initializer is { } init && DefaultValue(init.Value) is { } value)
                values.TryAdd(variable.Identifier.ValueText, value);
        if (notebook.Cells.FirstOrDefault(IsInjected) is { } injected)
            foreach (var (name, value) in ReadValues(injected.Source))
                values[name] = value;
        return values;
    }

    // A literal as a value, or a call's default: its last argument that has one.
    private static string? DefaultValue(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression or (int)SyntaxKind.CharacterLiteralExpression } s => s.Token.ValueText,
        LiteralExpressionSyntax or PrefixUnaryExpressionSyntax { Operand: LiteralExpressionSyntax } => expression.ToString(),
        InvocationExpressionSyntax call => call.ArgumentList.Arguments.Reverse().Select(a => DefaultValue(a.Expression)).FirstOrDefault(v => v is not null),
        _ => null,
    };

    /// <summary>Whether <paramref name="cell"/> is a cell the runner injected.</summary>
    public static bool IsInjected(IpynbCell cell) => cell.Type == "code" && cell.Tags.Contains(InjectedTag);

    private static int ParametersCellIndex(IpynbNotebook notebook)
    {
        var index = notebook.Cells.ToList().FindIndex(c => c.Type == "code" && c.Tags.Contains(ParametersTag));
        return index >= 0 ? index : throw new UsageException(
            $"{notebook.Name}.ipynb has no code cell tagged '{ParametersTag}' (metadata.tags), so -p has nothing to override.");
    }

    /// <summary>The keyword of a type -p can set, else a usage error naming the declaration.</summary>
    private static string SettableType(string name, string declaredType)
    {
        var bare = declaredType.EndsWith('?') ? declaredType[..^1] : declaredType;
        if (Keywords.TryGetValue(bare, out var keyword))
            return keyword;
        if (declaredType == "var")
            throw new UsageException(
                $"{name} is declared with var in the parameters cell and its type cannot be read from its initializer; " +
                $"declare it with its type (e.g. int {name} = ...;) so that -p can check the value.");
        throw new UsageException($"{name} is declared {declaredType} in the parameters cell; -p can set parameters of type {SettableTypes}.");
    }

    private static string? Integer<T>(string name, string text, string keyword, string declaredType)
        where T : IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            return parsed.ToString(null, CultureInfo.InvariantCulture);
        if (BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            throw NotA(name, text, keyword, declaredType,
                string.Create(CultureInfo.InvariantCulture, $" (out of range: {keyword} holds {T.MinValue} to {T.MaxValue})"));
        return null;
    }

    private static string? Real<T>(string name, string text, string keyword, string declaredType, string suffix)
        where T : INumberBase<T>
    {
        const NumberStyles style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (!T.TryParse(text, style, CultureInfo.InvariantCulture, out var parsed))
            return null;
        if (T.IsNaN(parsed))
            return null;
        if (!T.IsFinite(parsed))
            throw NotA(name, text, keyword, declaredType, " (out of range)");
        // The text as typed when it is already a plain C# literal (1e-7 stays 1e-7), else the parsed value written back.
        var literal = PlainReal().IsMatch(text) ? text : parsed.ToString(null, CultureInfo.InvariantCulture);
        return literal + suffix;
    }

    // A C# real literal without suffix, as a user types one: 200, -3.5, .5, 1e-7 (not "5.", "+5" or "1_000").
    [GeneratedRegex(@"^-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?$")]
    private static partial Regex PlainReal();

    private static UsageException NotA(string name, string value, string keyword, string declaredType, string detail)
    {
        var article = keyword == "int" ? "an" : "a"; // a uint, a ulong: only "int" starts with a vowel sound
        return new UsageException($"{name} is declared {declaredType} in the parameters cell; '{value}' is not {article} {keyword}{detail}.");
    }

    /// <summary>The type of a literal initializer (<c>"x"</c>, <c>200</c>, <c>1e-7</c>, <c>0.5f</c>, <c>true</c>, <c>-3</c>), else null.</summary>
    private static string? LiteralType(ExpressionSyntax init)
    {
        if (init is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression or (int)SyntaxKind.UnaryPlusExpression } unary)
            init = unary.Operand;
        return init switch
        {
            InterpolatedStringExpressionSyntax => "string",
            LiteralExpressionSyntax literal => literal.Kind() switch
            {
                SyntaxKind.StringLiteralExpression or SyntaxKind.Utf8StringLiteralExpression => "string",
                SyntaxKind.TrueLiteralExpression or SyntaxKind.FalseLiteralExpression => "bool",
                SyntaxKind.CharacterLiteralExpression => "char",
                SyntaxKind.NumericLiteralExpression => literal.Token.Value switch
                {
                    int => "int",
                    uint => "uint",
                    long => "long",
                    ulong => "ulong",
                    float => "float",
                    double => "double",
                    decimal => "decimal",
                    _ => null,
                },
                _ => null,
            },
            _ => null,
        };
    }

    /// <summary>Top-level declarations of a cell parsed as a script (fields and local declarations).</summary>
    private static IEnumerable<VariableDeclarationSyntax> TopLevelDeclarations(string source)
    {
        if (CellSyntax.Parse(source) is not CompilationUnitSyntax root)
            yield break;
        foreach (var member in root.Members)
        {
            if (member is FieldDeclarationSyntax field)
                yield return field.Declaration;
            else if (member is GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax local })
                yield return local.Declaration;
        }
    }

    /// <summary>NAME → value of each declaration in an injected cell (string literals decoded), for the run record.</summary>
    private static IReadOnlyList<KeyValuePair<string, string>> ReadValues(string source) =>
        TopLevelDeclarations(source)
            .SelectMany(d => d.Variables)
            .Where(v => v.Initializer is not null)
            .Select(v => KeyValuePair.Create(v.Identifier.ValueText, v.Initializer!.Value switch
            {
                LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression or (int)SyntaxKind.CharacterLiteralExpression } s => s.Token.ValueText,
                var other => other.ToString(),
            }))
            .ToList();
}
