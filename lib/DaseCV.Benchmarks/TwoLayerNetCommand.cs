using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DaseCV.Classifiers;
using DaseCV.Data;

namespace DaseCV.Benchmarks;

/// <summary>
/// <c>two-layer</c>: the notebook's first CIFAR-10 training run (hidden 50, 1000 iterations, batch 200, lr 1e-4, decay
/// 0.95, reg 0.25; the validation check every epoch included), the C# library in a fresh process against CS231n's numpy
/// code (<c>numpy/two_layer_np.py</c>) in fresh processes with one BLAS thread and with OpenBLAS's default, alternating.
/// Data loading is not timed.
/// </summary>
internal static class TwoLayerNetCommand
{
    public static int Run(string dataDir, NumpyReference numpy, int rounds, int iters)
    {
        Report.Header();
        string data = Path.GetFullPath(dataDir);
        string it = iters.ToString(CultureInfo.InvariantCulture);
        var rows = new List<Report.Row>();
        for (int r = 0; r < rounds; r++)
        {
            var ours = FreshProcess.Run("two-layer-worker", data, "--iters", it);
            var one = numpy.Run("two-layer", data, "--iters", it, "--threads", "1");
            var all = numpy.Run("two-layer", data, "--iters", it, "--threads", "0");
            if (r == 0) Console.WriteLine($"numpy BLAS: {Blas(one)} | {Blas(all)}");
            double s1 = one.GetProperty("train_s").GetDouble(), sAll = all.GetProperty("train_s").GetDouble();
            rows.Add(Report.Add($"TwoLayerNet.Train, hidden 50, {iters} iterations, batch 200 of 49000 × 3073 (fresh process)",
                ours.GetProperty("train_s").GetDouble(), Math.Min(s1, sAll),
                string.Create(CultureInfo.InvariantCulture,
                    $"round {r + 1}; numpy 1 thread {s1:F2} s, default threads {sAll:F2} s (best taken); val acc C# {ours.GetProperty("val_acc").GetDouble():F3}, numpy {all.GetProperty("val_acc").GetDouble():F3}; peak RSS C# {ours.GetProperty("peak_rss_mib").GetDouble():F0} MiB, numpy {all.GetProperty("peak_rss_mib").GetDouble():F0} MiB"),
                target: 0.5));
        }
        return Report.Table(rows);
    }

    /// <summary>The worker: loads the data as the notebook does, then times Train alone.</summary>
    public static int Worker(string dataDir, int iters)
    {
        var data = Cifar10.GetForLinearClassifier(dataDir, 49000, 1000, 1000, numDev: 0, seed: 0);
        var net = new TwoLayerNet(data.XTrain.ColumnCount, 50, 10, seed: 0);
        long t0 = Stopwatch.GetTimestamp();
        net.Train(data.XTrain, data.yTrain, data.XVal, data.yVal, learningRate: 1e-4, learningRateDecay: 0.95, reg: 0.25,
            numIters: iters, batchSize: 200);
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        double valAcc = net.Predict(data.XVal).Zip(data.yVal).Average(p => p.First == p.Second ? 1.0 : 0.0);
        FreshProcess.Reply(new Dictionary<string, double> { ["train_s"] = seconds, ["val_acc"] = valAcc, ["peak_rss_mib"] = FreshProcess.PeakRssMib() });
        return 0;
    }

    internal static string Blas(JsonElement numpyResult)
    {
        var info = numpyResult.GetProperty("info");
        string Get(string name) => info.TryGetProperty(name, out var v) ? v.ToString() : "?";
        return $"numpy {Get("numpy")}, {Path.GetFileName(Get("blas"))} {Get("blas_version")} ({Get("blas_arch")}), {Get("blas_threads")} threads";
    }
}
