using System.Diagnostics;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Text.Json;
using DaseCV.Classifiers;
using MathNet.Numerics.Providers.LinearAlgebra;

namespace DaseCV.Benchmarks;

/// <summary>
/// What the <c>kernel</c> benchmark runs inside a .NET Interactive kernel, as a notebook cell would: the student's
/// port (<see cref="StudentSoftmax"/>) on the dev set and as a <see cref="LinearClassifier"/> subclass, in the
/// kernel's own process with its own GC settings. Public because a cell calls it after <c>#r</c> of this assembly.
/// </summary>
public static class InKernelWorkload
{
    /// <summary>
    /// Times the dev loss (median of 200), the SGD step (mean of <paramref name="iters"/> after a 1500-step warm-up) with
    /// <c>TransposeThisAndMultiply</c> and with <c>X.Transpose() * dScores</c>, and counts gen-2 collections.
    /// </summary>
    /// <returns>One JSON object: seconds, gen-2 collections per 1000 steps, and the GC settings that ran.</returns>
    public static string Measure(int iters)
    {
        // As DaseCV's first use in a notebook does: its module initializer puts the SIMD provider under MathNet.
        RuntimeHelpers.RunModuleConstructor(typeof(LinearClassifier).Module.ModuleHandle);
        var (XDev, yDev, WDev) = Workloads.Dev();
        double dev = Timing.Median(() => StudentSoftmax.Loss(WDev, XDev, yDev, 5e-6), warmup: 20, repeats: 200);
        var (XTrain, yTrain, _) = Workloads.CifarLikePixels(49000, seed: 1);
        double first100 = Timing.Once(() => new StudentSoftmax.Classifier(seed: 99).Train(XTrain, yTrain, learningRate: 1e-7, reg: 2.5e4, numIters: 100)) / 100;
        // A longer warm-up than the other benchmarks' 300 steps: the kernel's own background work keeps delaying the
        // JIT's tier-1 recompilation of the cell's code (AVX2 step 0.57-0.66 ms after 300 steps, 0.46 ms after 6000).
        var (step, gen2, pause) = Timing.Steps(new StudentSoftmax.Classifier(seed: 1), XTrain, yTrain, iters, warmup: 1500);
        var (stepT, gen2T, _) = Timing.Steps(new StudentSoftmax.Classifier(seed: 1, transpose: true), XTrain, yTrain, iters, warmup: 1500);
        var gc = GC.GetConfigurationVariables();
        return JsonSerializer.Serialize(new
        {
            dev, first100, step, gen2PerThousand = gen2, gcPausePerStep = pause, stepTranspose = stepT, gen2PerThousandTranspose = gen2T,
            serverGC = GCSettings.IsServerGC,
            lohThreshold = gc.TryGetValue("LOHThreshold", out var loh) ? Convert.ToInt64(loh) : -1,
            provider = LinearAlgebraControl.Provider.ToString(),
            pixelTransposeFast = LinearAlgebra.PixelTranspose.IsFast,
            machine = Machine.Description,
        });
    }
}
