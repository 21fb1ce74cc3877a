using System.Diagnostics;
using System.Globalization;
using DaseCV.Data;

namespace DaseCV.Benchmarks;

/// <summary>
/// <c>features</c>: HOG plus a 10-bin hue histogram of all 60,000 CIFAR-10 images (49000 train, 1000 validation, 10000
/// test, as features.ipynb extracts them), the C# library in a fresh process against CS231n's features.py
/// (<c>numpy/two_layer_np.py features</c>) with one BLAS thread and with OpenBLAS's default. Loading is not timed.
/// </summary>
internal static class FeaturesCommand
{
    public static int Run(string dataDir, NumpyReference numpy, int rounds, int images)
    {
        Report.Header();
        string data = Path.GetFullPath(dataDir);
        string n = images.ToString(CultureInfo.InvariantCulture);
        var rows = new List<Report.Row>();
        for (int r = 0; r < rounds; r++)
        {
            var ours = FreshProcess.Run("features-worker", data, "--images", n);
            var one = numpy.Run("features", data, "--images", n, "--threads", "1", "--zip", StarterZip);
            var all = numpy.Run("features", data, "--images", n, "--threads", "0", "--zip", StarterZip);
            if (r == 0) Console.WriteLine($"numpy BLAS: {TwoLayerNetCommand.Blas(one)} | {TwoLayerNetCommand.Blas(all)}");
            double s1 = one.GetProperty("extract_s").GetDouble(), sAll = all.GetProperty("extract_s").GetDouble();
            double checksumOurs = ours.GetProperty("checksum").GetDouble(), checksumNumpy = all.GetProperty("checksum").GetDouble();
            rows.Add(Report.Add($"Features.ExtractFeatures, HOG + hue histogram, {ours.GetProperty("images").GetInt32()} images (fresh process)",
                ours.GetProperty("extract_s").GetDouble(), Math.Min(s1, sAll),
                string.Create(CultureInfo.InvariantCulture,
                    $"round {r + 1}; numpy 1 thread {s1:F2} s, default threads {sAll:F2} s (best taken); sum of all features C# {checksumOurs:R}, numpy {checksumNumpy:R}; peak RSS C# {ours.GetProperty("peak_rss_mib").GetDouble():F0} MiB, numpy {all.GetProperty("peak_rss_mib").GetDouble():F0} MiB"),
                target: 0.5));
        }
        return Report.Table(rows);
    }

    /// <summary>Stanford's starter zip, whose cs231n/features.py the numpy side imports: <c>../shared/reference/</c> beside the repository.</summary>
    private static string StarterZip => Path.GetFullPath(Path.Combine(Runner.IO.RepositoryRoot.Find(AppContext.BaseDirectory) ?? ".", "..", "shared",
        "reference", "cs231n-2024-assignment1-starter.zip"));

    /// <summary>The worker: loads the raw images, then times the extraction alone.</summary>
    public static int Worker(string dataDir, int images)
    {
        var raw = Cifar10.GetRaw(dataDir, 49000, 1000, 10000);
        List<Func<ReadOnlySpan<byte>, double[]>> featureFns = [img => Features.HogFeature(img), img => Features.ColorHistogramHsv(img, nbin: 10)];
        var sets = new List<RawImages>();
        int budget = images;
        foreach (var set in new[] { raw.XTrain, raw.XVal, raw.XTest })
        {
            int take = Math.Clamp(budget, 0, set.Count);
            if (take > 0) sets.Add(take == set.Count ? set : new RawImages(set.Pixels[..(take * RawImages.ImageSize)].ToArray()));
            budget -= take;
        }
        long t0 = Stopwatch.GetTimestamp();
        var feats = sets.Select(set => Features.ExtractFeatures(set, featureFns)).ToList();
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        FreshProcess.Reply(new Dictionary<string, double>
        {
            ["extract_s"] = seconds,
            ["images"] = sets.Sum(s => s.Count),
            ["checksum"] = feats.Sum(f => f.Enumerate().Sum()),
            ["peak_rss_mib"] = FreshProcess.PeakRssMib(),
        });
        return 0;
    }
}
