using System.Text.Encodings.Web;
using System.Text.Json;

namespace DaseCV.Runner.IO;

/// <summary>The runner's JSON settings, one per purpose.</summary>
internal static class JsonFiles
{
    /// <summary>
    /// How deeply JSON may nest. System.Text.Json stops at 64 by default, yet deeper notebook metadata is valid JSON
    /// that Jupyter reads; 1,024 keeps the recursive reader and writer far from the stack's end.
    /// </summary>
    public const int MaxDepth = 1024;

    /// <summary>Files people read (results.json, submission.json, requests): indented, '&lt;', '&amp;' and Chinese kept as they are.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        MaxDepth = MaxDepth,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>JSON lines between the runner and the grader: one value a line, text kept as it is.</summary>
    public static readonly JsonSerializerOptions Lines = new() { MaxDepth = MaxDepth, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Notebooks: as <see cref="Options"/>, indented by one space as Jupyter and VS Code write them.</summary>
    public static readonly JsonSerializerOptions Notebook = new(Options) { IndentSize = 1 };

    /// <summary>
    /// JSON placed inside an HTML &lt;script&gt; data block: the default encoder writes &lt;, &gt; and &amp; as
    /// \u003C…, so no string inside the data can close the element.
    /// </summary>
    public static readonly JsonSerializerOptions InHtml = new() { MaxDepth = MaxDepth, Encoder = JavaScriptEncoder.Default };

    /// <summary>Reading: the same depth, trailing commas allowed (as Jupyter reads notebooks).</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, MaxDepth = MaxDepth };
}
