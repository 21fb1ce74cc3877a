using System.Runtime.CompilerServices;
using DaseCV.Data;
using DaseCV.Grader;
using DaseCV.Runner.Execution;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>
/// The data the retraining checks train on (<see cref="TuningSubset"/>): a data folder that already holds the subset
/// (the Gradescope bundle's <c>data/</c>) is used as it is; a full CIFAR-10 (the instructor's <c>data/</c>) has the
/// subset drawn from it, by its fixed seed, into the grading's work folder.
/// </summary>
internal static class TuningData
{
    /// <summary>The data folder holding the subset as <c>cifar-10-batches-bin/</c>.</summary>
    /// <param name="dataDir">The instructor's data folder (<c>--data-dir</c>, by default the repository's <c>data/</c>).</param>
    /// <param name="work">A private folder the drawn subset may be written in.</param>
    /// <exception cref="InfrastructureException">No usable CIFAR-10 there: what to do is in the message.</exception>
    public static string Prepare(string dataDir, string work)
    {
        try
        {
            // The runner does not ship the library (DaseCVLoader): its data formats load from the library's build.
            string? prepared = null;
            DaseCVLoader.Run(() =>
            {
                prepared = DrawOrUse(dataDir, work);
                return 0;
            });
            return prepared!;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InfrastructureException($"the retraining checks (two_layer_net, features) train on CIFAR-10 and none was found: {e.Message} " +
                                              "Fetch it with `dotnet run --project lib/DaseCV.Runner -- get-data`, or name its folder with --data-dir.");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]  // compiled only once DaseCVLoader resolves DaseCV.Datasets
    private static string DrawOrUse(string dataDir, string work)
    {
        const int subset = TuningSubset.Training + TuningSubset.Validation;
        var count = Cifar10Subset.CountTrainingImages(dataDir);
        if (count == subset)
            return Path.GetFullPath(dataDir);
        if (count < subset)
            throw new InvalidDataException($"{dataDir} holds {count:N0} training images; the retraining checks need CIFAR-10 or their subset of {subset:N0}");
        var target = Path.Combine(work, "tuning-data");
        Cifar10Subset.Write(dataDir, target, TuningSubset.Training, TuningSubset.Validation, TuningSubset.Seed);
        return target;
    }
}
