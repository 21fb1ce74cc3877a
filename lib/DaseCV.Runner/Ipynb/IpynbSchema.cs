using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DaseCV.Runner.Text;
using NJsonSchema;
using NJsonSchema.Validation;
using Newtonsoft.Json.Linq;

namespace DaseCV.Runner.Ipynb;

/// <summary>
/// Validates a notebook against the official nbformat 4 schema (jupyter/nbformat's <c>nbformat.v4.schema.json</c>,
/// 4.5, embedded) and against <c>dasecv-metadata.schema.json</c> for the metadata that Polyglot Notebooks and the
/// runner write, so that a hand-edited or generated notebook gets a message naming the file and the JSON path, never
/// a crash deep in the export.
/// </summary>
/// <remarks>
/// One schema for every 4.x notebook. A missing required field, an nbformat_minor below 5 and a malformed cell id are
/// not errors: the model reads older and minimal notebooks with defaults and writes them as 4.5
/// (<see cref="IpynbNotebook.NormalizeToNbformat45"/> adds ids, outputs and execution counts), as nbformat's reader
/// upgrades them.
/// </remarks>
internal static class IpynbSchema
{
    private static readonly Lazy<JsonSchema[]> Schemas = new(() => [Read("nbformat.v4.schema.json"), Read("dasecv-metadata.schema.json")]);

    /// <exception cref="InvalidDataException">The notebook breaks the schema; the message names the file and the JSON path.</exception>
    public static void Check(JsonObject root, string file)
    {
        JToken notebook;
        try
        {
            notebook = ToToken(root);
        }
        catch (ArgumentException e) when (e.ParamName == "key")
        {
            // JsonObject builds its dictionary lazily and throws on the first access to an object with a repeated key.
            throw new InvalidDataException($"{file} repeats a key in one JSON object ({e.Message.Split(" (")[0]}); a notebook's keys are unique.", e);
        }

        // The major version picks the schema, so it is read first, as nbformat's reader does.
        var nbformat = notebook["nbformat"];
        if (nbformat?.Type is not (JTokenType.Integer or JTokenType.Float))
            throw new InvalidDataException($"{file}: $.nbformat is {Describe(nbformat)}; expected the number 4.");
        if (nbformat.Value<double>() != 4)
            throw new InvalidDataException($"{file} has nbformat {nbformat.ToString(Newtonsoft.Json.Formatting.None)}; the runner reads nbformat 4 notebooks.");

        foreach (var schema in Schemas.Value)
            if (Explain(schema.Validate(notebook)) is string problem)
                throw new InvalidDataException($"{file}: {problem}{CellHint(problem)}");
    }

    private static JsonSchema Read(string name)
    {
        using var stream = typeof(IpynbSchema).Assembly.GetManifestResourceStream($"DaseCV.Runner.Ipynb.{name}")
                           ?? throw new InvalidOperationException($"the resource {name} is not embedded in the runner");
        var schema = JsonNode.Parse(stream)!.AsObject();
        // nbformat keeps shared pieces one level down (#/definitions/misc/multiline_string), where NJsonSchema does not
        // resolve a $ref; lift them to #/definitions/misc_multiline_string.
        if (schema["definitions"]?["misc"] is JsonObject misc)
        {
            var definitions = schema["definitions"]!.AsObject();
            definitions.Remove("misc");
            foreach (var (key, value) in misc.ToList())
            {
                misc.Remove(key);
                definitions["misc_" + key] = value;
            }
        }
        // 4.5's schema asks for nbformat_minor ≥ 5; older 4.x notebooks are read too and written as 4.5
        // (IpynbNotebook.NormalizeToNbformat45), as nbformat's reader upgrades them.
        (schema["properties"]?["nbformat_minor"] as JsonObject)?.Remove("minimum");
        // A malformed or repeated cell id is repaired, not refused: NormalizeToNbformat45 gives that cell a new one.
        if (schema["definitions"]?["cell_id"] is JsonObject cellId)
            foreach (var rule in new[] { "pattern", "minLength", "maxLength" })
                cellId.Remove(rule);
        // Fields nbformat does not define, and repeated or comma-holding tags, are read as Jupyter reads them (it warns
        // and opens the notebook): a grader must not refuse a student's answers for a field some editor added.
        Relax(schema);
        return JsonSchema.FromJsonAsync(schema.ToJsonString().Replace("#/definitions/misc/", "#/definitions/misc_", StringComparison.Ordinal))
            .GetAwaiter().GetResult();
    }

    private static void Relax(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["additionalProperties"] is JsonValue extra && extra.GetValueKind() == JsonValueKind.False)
                    o.Remove("additionalProperties");
                o.Remove("uniqueItems");
                if (o["items"] is JsonObject { } items && items["pattern"] is JsonValue && items["type"]?.GetValue<string>() == "string")
                    items.Remove("pattern");
                foreach (var (_, value) in o.ToList())
                    Relax(value);
                break;
            case JsonArray a:
                foreach (var item in a)
                    Relax(item);
                break;
        }
    }

    /// <summary>The notebook as Newtonsoft's tree, which NJsonSchema validates; whole numbers stay integers (nbformat_minor, execution_count).</summary>
    private static JToken ToToken(JsonNode? node) => node switch
    {
        null => JValue.CreateNull(),
        JsonObject o => new JObject(o.Select(p => new JProperty(p.Key, ToToken(p.Value)))),
        JsonArray a => new JArray(a.Select(ToToken)),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => new JValue(v.GetValue<string>()),
            JsonValueKind.True => new JValue(true),
            JsonValueKind.False => new JValue(false),
            JsonValueKind.Number when long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => new JValue(n),
            JsonValueKind.Number => new JValue(double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)),
            _ => JValue.CreateNull(),
        },
        _ => throw new UnreachableException(),
    };

    /// <summary>"path is found; expected what." for the first error in document order, or null if there is none.</summary>
    private static string? Explain(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
            if (Explain(error) is string problem)
                return problem;
        return null;
    }

    private static string? Explain(ValidationError error) => error switch
    {
        { Kind: ValidationErrorKind.PropertyRequired } => null,
        ChildSchemaValidationError { Kind: ValidationErrorKind.NotOneOf or ValidationErrorKind.NotAnyOf } choice => ExplainChoice(choice),
        ChildSchemaValidationError child => Explain(child.Errors.Values.SelectMany(e => e)),
        MultiTypeValidationError types => types.Errors.Values.Any(e => e.Count == 0 || e.All(IsRequired)) ? null
            : $"{PathOf(error.Token)} is {Describe(error.Token)}; expected {string.Join(" or ", types.Errors.Keys.Select(Expected))}.",
        { Kind: ValidationErrorKind.NoAdditionalPropertiesAllowed } =>
            $"{PathOf(error.Token)} is a field that nbformat 4 does not define here.",
        _ => $"{PathOf(error.Token)} is {Describe(error.Token)}; expected {Expected(error)}.",
    };

    private static bool IsRequired(ValidationError error) => error.Kind == ValidationErrorKind.PropertyRequired;

    /// <summary>
    /// A oneOf (a cell by its <c>cell_type</c>, an output by its <c>output_type</c>, text as a string or lines): the
    /// branch the value was meant for explains the error; a type no branch takes is itself the error.
    /// </summary>
    private static string? ExplainChoice(ChildSchemaValidationError choice)
    {
        var branches = choice.Errors.ToList();
        var tags = branches.Select(b => Tag(b.Key.ActualSchema)).ToList();
        if (tags.All(t => t is not null) && tags.Select(t => t!.Value.Key).Distinct().Count() == 1)
        {
            var key = tags[0]!.Value.Key;
            var value = choice.Token?[key];
            int meant = tags.FindIndex(t => value?.Type == JTokenType.String && t!.Value.Value == value.Value<string>());
            if (meant < 0)
                return $"{PathOf(choice.Token)}{Key(key)} is {Describe(value)}; expected " +
                       $"{Alternatives(tags.Select(t => JsonSerializer.Serialize(t!.Value.Value)).Order(StringComparer.Ordinal))}.";
            return Explain(branches[meant].Value);
        }

        if (branches.Any(b => b.Value.All(IsRequired)))
            return null;  // only fields missing: the value is of that branch
        // No tag: the branch whose errors lie deepest took the value's type (["a", 2] is an array of strings).
        var (deepest, depth) = branches.Select(b => (b.Value, Depth: b.Value.Where(e => !IsRequired(e)).Min(e => Depth(e.Token))))
            .MaxBy(b => b.Depth);
        if (depth > Depth(choice.Token))
            return Explain(deepest);
        return $"{PathOf(choice.Token)} is {Describe(choice.Token)}; expected " +
               $"{Alternatives(branches.Select(b => Expected(b.Key.ActualSchema)))}.";
    }

    /// <summary>The property a branch requires to hold one value (<c>"cell_type": {"enum": ["code"]}</c>).</summary>
    private static KeyValuePair<string, string>? Tag(JsonSchema branch) =>
        branch.ActualProperties
            .Where(p => p.Key.EndsWith("_type", StringComparison.Ordinal) && p.Value.ActualSchema.Enumeration.Count == 1)
            .Select(p => (KeyValuePair<string, string>?)new(p.Key, p.Value.ActualSchema.Enumeration.Single()?.ToString() ?? ""))
            .FirstOrDefault();

    private static string Expected(ValidationError error) => error.Kind switch
    {
        ValidationErrorKind.NotInEnumeration => Alternatives(error.Schema.Enumeration.Select(v => JsonSerializer.Serialize(v))),
        ValidationErrorKind.PatternMismatch => $"text matching {error.Schema.Pattern}",
        ValidationErrorKind.StringTooShort => $"at least {error.Schema.MinLength} characters",
        ValidationErrorKind.StringTooLong => $"at most {error.Schema.MaxLength} characters",
        ValidationErrorKind.NumberTooSmall => $"at least {error.Schema.Minimum}",
        ValidationErrorKind.NumberTooBig => $"at most {error.Schema.Maximum}",
        ValidationErrorKind.ItemsNotUnique => "no repeated items",
        ValidationErrorKind.TooFewItems => $"at least {error.Schema.MinItems} items",
        _ => Expected(error.Schema),
    };

    private static string Expected(JsonSchema schema) => Expected(schema.ActualSchema.Type, schema.ActualSchema);

    private static string Expected(JsonObjectType type) => Expected(type, null);

    private static string Expected(JsonObjectType type, JsonSchema? schema) => type switch
    {
        JsonObjectType.String => "a string",
        JsonObjectType.Integer => "a whole number",
        JsonObjectType.Number => "a number",
        JsonObjectType.Boolean => "true or false",
        JsonObjectType.Null => "null",
        JsonObjectType.Object => "an object",
        JsonObjectType.Array when schema?.Item?.ActualSchema.Type == JsonObjectType.String => "an array of strings",
        JsonObjectType.Array => "an array",
        _ => "a value that nbformat 4 allows here",
    };

    private static string Alternatives(IEnumerable<string> options)
    {
        var list = options.Distinct().ToList();
        return list.Count == 1 ? list[0] : string.Join(", ", list[..^1]) + " or " + list[^1];
    }

    /// <summary>The path in the style of the messages: <c>$.cells[2].outputs[0].data["text/plain"]</c>.</summary>
    private static string PathOf(JToken? token)
    {
        var parts = new Stack<string>();
        for (var t = token; t?.Parent is not null; t = t.Parent)
        {
            if (t is JProperty property)
                parts.Push(Key(property.Name));
            else if (t.Parent is JArray array)
                parts.Push($"[{array.IndexOf(t)}]");
        }
        return "$" + string.Concat(parts);
    }

    private static int Depth(JToken? token) => token is null ? 0 : token.Ancestors().Count();

    private static string Key(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? "." + name : $"[{JsonSerializer.Serialize(name)}]";

    private static string Describe(JToken? token) => token?.Type switch
    {
        null or JTokenType.Null => "missing (or null)",
        JTokenType.Property => Describe(((JProperty)token).Value),
        JTokenType.Object => "an object",
        JTokenType.Array => "an array",
        JTokenType.String => $"the string {Feedback.Clip(JsonSerializer.Serialize(token.Value<string>()), 40)}",
        JTokenType.Integer or JTokenType.Float => $"the number {Feedback.Clip(token.ToString(Newtonsoft.Json.Formatting.None), 40)}",
        JTokenType.Boolean => $"the boolean {token.ToString(Newtonsoft.Json.Formatting.None)}",
        _ => token.ToString(Newtonsoft.Json.Formatting.None),
    };


    /// <summary>" (That is cell 3 of the notebook.)" for a path inside $.cells[2]: people count cells from 1.</summary>
    private static string CellHint(string problem)
    {
        if (!problem.StartsWith("$.cells[", StringComparison.Ordinal))
            return "";
        var end = problem.IndexOf(']', StringComparison.Ordinal);
        return int.TryParse(problem["$.cells[".Length..end], CultureInfo.InvariantCulture, out var index)
            ? $" (That is cell {index + 1} of the notebook.)"
            : "";
    }
}
