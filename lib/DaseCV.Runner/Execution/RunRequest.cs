using System.Globalization;
using System.Text.Json.Nodes;
using DaseCV.Runner.IO;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Execution;

/// <summary>
/// One notebook run, built once from the command line (by <c>run</c> or <c>submit</c>) and handed to the kernel
/// process as data (a file it reads, never a command line rebuilt from options): the notebook already
/// parameterised, where its two files go, the limits.
/// </summary>
/// <param name="Notebook">The notebook, parameterised and ready to execute.</param>
/// <param name="NotebookPath">The input's full path; its folder is the kernel's current directory.</param>
/// <param name="ShownPath">The input as the user named it, for messages.</param>
/// <param name="OutDir">The output folder as the user named it, for messages.</param>
/// <param name="IpynbPath">Where the executed notebook goes.</param>
/// <param name="HtmlPath">Where its HTML goes.</param>
/// <param name="Parameters">The parameter values this run uses (the -p values, or those an earlier run injected).</param>
/// <param name="KeepsEarlierParameters">No -p was given and the notebook keeps an earlier run's injected values.</param>
/// <param name="CellTimeout">Per-cell time limit, null for none.</param>
/// <param name="Verbose">Print a failing cell's trace.</param>
internal sealed record RunRequest(
    IpynbNotebook Notebook, string NotebookPath, string ShownPath, string OutDir, string IpynbPath, string HtmlPath,
    IReadOnlyList<KeyValuePair<string, string>> Parameters, bool KeepsEarlierParameters, TimeSpan? CellTimeout, bool Verbose)
{
    /// <summary>The notebook's folder: the kernel's current directory, where relative paths and images resolve.</summary>
    public string NotebookFolder => Path.GetDirectoryName(NotebookPath)!;

    /// <summary>
    /// Loads the notebook and checks everything that can be checked before running: the notebook, every -p value
    /// against its declared type (parameterising it, once), the output paths. Writes nothing.
    /// </summary>
    /// <param name="notebook">The notebook as the user named it.</param>
    /// <param name="outDir">The output folder (relative to the current directory).</param>
    /// <param name="parameters">The -p values as typed, in order.</param>
    /// <exception cref="UsageException">A bad parameter or output folder.</exception>
    /// <exception cref="FileNotFoundException">No such notebook.</exception>
    /// <exception cref="InvalidDataException">Not a notebook.</exception>
    public static RunRequest Prepare(string notebook, string outDir, IReadOnlyList<KeyValuePair<string, string>> parameters, TimeSpan? cellTimeout, bool verbose)
    {
        var notebookPath = Path.GetFullPath(notebook);
        if (!File.Exists(notebookPath))
            throw new FileNotFoundException($"Notebook not found: {notebook}", notebook);
        var loaded = IpynbNotebook.Load(notebookPath);
        var used = NotebookParameters.Apply(loaded, parameters);

        var outputDirectory = Path.GetFullPath(outDir);
        var ipynbPath = Path.Combine(outputDirectory, loaded.Name + ".ipynb");
        var htmlPath = Path.Combine(outputDirectory, loaded.Name + ".html");
        if (FileIdentity.AreSame(ipynbPath, notebookPath))
            throw new UsageException($"--out {outDir} would overwrite the input notebook {notebook}; choose another folder.");
        return new RunRequest(loaded, notebookPath, notebook, outDir, ipynbPath, htmlPath, used, parameters.Count == 0 && used.Count > 0, cellTimeout, verbose);
    }

    /// <summary>The request as the kernel process reads it (<see cref="Read"/>), with the journal it reports to.</summary>
    public string ToJson(string journalPath) => new JsonObject
    {
        ["journal"] = journalPath,
        ["notebookPath"] = NotebookPath,
        ["shownPath"] = ShownPath,
        ["outDir"] = OutDir,
        ["ipynbPath"] = IpynbPath,
        ["htmlPath"] = HtmlPath,
        ["parameters"] = new JsonArray([.. Parameters.Select(p => (JsonNode)new JsonArray(p.Key, p.Value))]),
        ["keepsEarlierParameters"] = KeepsEarlierParameters,
        ["cellTimeoutSeconds"] = CellTimeout?.TotalSeconds,
        ["verbose"] = Verbose,
        ["notebook"] = Notebook.Root.DeepClone(),
    }.ToJsonString(JsonFiles.Options);

    /// <summary>Reads what <see cref="ToJson"/> wrote: the request and its journal's path.</summary>
    /// <exception cref="InvalidDataException">Not a request.</exception>
    public static (RunRequest Request, string JournalPath) Read(string path)
    {
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path), documentOptions: JsonFiles.DocumentOptions)!.AsObject();
            string Text(string name) => json[name]!.GetValue<string>();
            var notebookPath = Text("notebookPath");
            var request = new RunRequest(
                IpynbNotebook.FromJson(json["notebook"]!.DeepClone(), notebookPath), notebookPath, Text("shownPath"), Text("outDir"), Text("ipynbPath"), Text("htmlPath"),
                [.. json["parameters"]!.AsArray().Select(p => KeyValuePair.Create(p![0]!.GetValue<string>(), p[1]!.GetValue<string>()))],
                json["keepsEarlierParameters"]!.GetValue<bool>(),
                json["cellTimeoutSeconds"] is JsonValue seconds ? TimeSpan.FromSeconds(seconds.GetValue<double>()) : null,
                json["verbose"]!.GetValue<bool>());
            return (request, Text("journal"));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException or IOException or FormatException)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path} is not a run request: {e.Message}"), e);
        }
    }
}
