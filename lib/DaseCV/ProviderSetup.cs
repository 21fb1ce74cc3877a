using System.Runtime.CompilerServices;
using DaseCV.LinearAlgebra;

namespace DaseCV;

/// <summary>Puts the SIMD provider under MathNet as soon as a program uses DaseCV, so plain MathNet code is fast, and compiles the course functions ahead of their first call.</summary>
internal static class ProviderSetup
{
#pragma warning disable CA2255 // a module initializer is the point: no program should need a setup call
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize()
    {
        SimdLinearAlgebraProvider.InstallOnce();
        // The course functions (losses, classifiers, kNN) compiled in the background, never run: a notebook's first
        // timed call then runs at once instead of waiting for the JIT (README, Speed).
        Warmup.Compile(typeof(ProviderSetup).Assembly.GetTypes().Where(t => t.Namespace == "DaseCV.Classifiers" && !t.IsNested));
    }
}
