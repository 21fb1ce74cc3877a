using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Coursework;

/// <summary>What an executed notebook ran with, and where that differs from the assignment's settings.</summary>
/// <param name="Dataset">The data set the run used (<c>cifar10</c>, <c>synthetic</c>); null when neither the parameters nor the outputs say.</param>
/// <param name="Parameters">Every parameter as the run saw it (<see cref="NotebookParameters.RunValues"/>).</param>
/// <param name="Differences">Each of the assignment's settings (<see cref="Exercise.AssignmentSettings"/>) the run did not use, in their order.</param>
internal sealed partial record RunSettings(string? Dataset, IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<RunSettings.Difference> Differences)
{
    /// <param name="Name">The parameter.</param>
    /// <param name="Value">What the run used; null when the notebook does not say.</param>
    /// <param name="Assignment">What the assignment asks for.</param>
    internal sealed record Difference(string Name, string? Value, string Assignment);

    /// <summary>True when the run used every one of the assignment's settings.</summary>
    public bool AreTheAssignments => Differences.Count == 0;

    /// <summary>
    /// Reads the parameters cell and the injected cell, then the data set the setup cell printed
    /// (<c>synthetic: …/cifar-10-batches-bin</c>), which wins: a student may have edited a cell the source of the
    /// parameters cell does not show.
    /// </summary>
    public static RunSettings Read(IpynbNotebook notebook, Exercise exercise)
    {
        var parameters = new Dictionary<string, string>(NotebookParameters.RunValues(notebook));
        var printed = notebook.Cells.Where(c => c.Type == "code").SelectMany(c => c.Outputs.OfType<JsonObject>())
            .Where(o => o["output_type"] is JsonValue t && t.TryGetValue<string>(out var type) && type == "stream")
            .Select(o => DatasetLine().Match(IpynbNotebook.JoinText(o["text"])))
            .FirstOrDefault(m => m.Success);
        if (printed is not null)
            parameters["dataset"] = printed.Groups["dataset"].Value;
        var differences = exercise.AssignmentSettings
            .Where(s => !parameters.TryGetValue(s.Key, out var value) || value != s.Value)
            .Select(s => new Difference(s.Key, parameters.GetValueOrDefault(s.Key), s.Value))
            .ToList();
        return new RunSettings(parameters.GetValueOrDefault("dataset"), parameters, differences);
    }

    /// <summary>The differences as one line, e.g. <c>dataset=synthetic (cifar10), numIters=100 (2000)</c>.</summary>
    public string Describe() => string.Join(", ", Differences.Select(d => $"{d.Name}={d.Value ?? "?"} ({d.Assignment})"));

    [GeneratedRegex(@"^(?<dataset>cifar10|synthetic): .*cifar-10-batches-bin\s*$", RegexOptions.Multiline)]
    private static partial Regex DatasetLine();
}
