using System.Text.Json.Nodes;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.EndToEnd;

/// <summary>
/// Runs the test notebooks once (each in its own runner process) for every end-to-end and browser test:
/// features.ipynb with -p overrides, failing.ipynb, library-reference.ipynb.
/// </summary>
public sealed class TestNotebookRuns : IAsyncLifetime
{
    public string OutputDirectory { get; } = TestPaths.NewTempDirectory();

    internal RunnerOutcome Features { get; private set; } = null!;
    internal RunnerOutcome Failing { get; private set; } = null!;
    internal RunnerOutcome LibraryReference { get; private set; } = null!;

    public string FeaturesHtmlPath => Path.Combine(OutputDirectory, "features.html");

    internal IpynbNotebook Executed(string name) => IpynbNotebook.Load(Path.Combine(OutputDirectory, name + ".ipynb"));

    public async Task InitializeAsync()
    {
        string Notebook(string name) => Path.Combine(TestPaths.TestData, name + ".ipynb");
        Features = await RunnerProcess.RunAsync("run", Notebook("features"), "--out", OutputDirectory, "-p", "label=from cli", "-p", "count=5");
        Failing = await RunnerProcess.RunAsync("run", Notebook("failing"), "--out", OutputDirectory);
        LibraryReference = await RunnerProcess.RunAsync("run", Notebook("library-reference"), "--out", OutputDirectory);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>All text of a cell's outputs of one kind (stream text, data of one MIME type, error value).</summary>
    internal static string OutputText(IpynbCell cell, string mimeOrStream) => string.Concat(cell.Outputs.OfType<JsonObject>().Select(o =>
        o["output_type"]!.GetValue<string>() switch
        {
            "stream" when o["name"]!.GetValue<string>() == mimeOrStream => IpynbNotebook.JoinText(o["text"]),
            "display_data" or "execute_result" when o["data"]?[mimeOrStream] is { } data => IpynbNotebook.JoinText(data),
            "error" when mimeOrStream == "error" => o["evalue"]!.GetValue<string>(),
            _ => "",
        }));
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TestNotebookRunsCollection : ICollectionFixture<TestNotebookRuns>
{
    public const string Name = "Runner processes";
}
